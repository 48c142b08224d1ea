package io.proxyguard.tls;

import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.List;

/** A certificate's subject alternative names as text, in order (DNS names and IP addresses alike). */
final class SubjectAltNames {

    private SubjectAltNames() {
    }

    static List<String> of(X509Certificate certificate) {
        try {
            return certificate.getSubjectAlternativeNames().stream().map(san -> String.valueOf(san.get(1))).toList();
        } catch (CertificateParsingException e) {
            throw new AssertionError(e);
        }
    }
}
