package io.proxyguard.probe;

import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** What a report says of a peer's certificate: subject, issuer, expiry and the DNS names it covers. */
public record CertificateSummary(String subject, String issuer, Instant notAfter, List<String> dnsNames) {

    private static final int SAN_DNS = 2;
    private static final int SAN_IP = 7;

    public CertificateSummary {
        dnsNames = List.copyOf(dnsNames);
    }

    public static CertificateSummary of(X509Certificate certificate) {
        return new CertificateSummary(
                certificate.getSubjectX500Principal().getName(),
                certificate.getIssuerX500Principal().getName(),
                certificate.getNotAfter().toInstant(),
                subjectAltNames(certificate));
    }

    private static List<String> subjectAltNames(X509Certificate certificate) {
        List<String> names = new ArrayList<>();
        try {
            Collection<List<?>> entries = certificate.getSubjectAlternativeNames();
            if (entries != null) {
                for (List<?> entry : entries) {
                    int type = (Integer) entry.get(0);
                    if (type == SAN_DNS || type == SAN_IP) {
                        names.add(String.valueOf(entry.get(1)));
                    }
                }
            }
        } catch (CertificateParsingException e) {
            names.add("(unreadable subjectAltName: " + e.getMessage() + ")");
        }
        return names;
    }

    /** {@code CN=external.test (names: external.test), issued by CN=Test CA, expires 2026-12-01T00:00:00Z}. */
    public String describe() {
        return subject + (dnsNames.isEmpty() ? "" : " (names: " + String.join(", ", dnsNames) + ")")
                + ", issued by " + issuer + ", expires " + notAfter;
    }
}
