package io.proxyguard.certmanager;

import io.fabric8.kubernetes.api.model.Secret;
import io.proxyguard.tls.CertificateAndKey;
import io.proxyguard.tls.CertificateAuthority;
import io.proxyguard.tls.Pem;
import io.proxyguard.tls.TlsMaterialException;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * What the self-managed Secret holds: the CA that signs (certificate and key), the CAs being retired that
 * the API server must still trust for a while, and the serving certificate. In the Secret, {@code ca.crt}
 * is the whole trust bundle (signing CA first, then the retiring ones): exactly the webhooks' {@code caBundle},
 * and what a client such as the chart's test pod trusts. {@code ca.key} is the signing CA's key, so that any
 * later leader can renew; {@code tls.crt} and {@code tls.key} are what every replica serves.
 */
public record CertificateSet(CertificateAndKey signingCa, List<X509Certificate> retiringCas, CertificateAndKey serving) {

    public static final String CA_CERT = "ca.crt";
    public static final String CA_KEY = "ca.key";
    public static final String TLS_CERT = "tls.crt";
    public static final String TLS_KEY = "tls.key";

    public CertificateSet {
        retiringCas = List.copyOf(retiringCas);
    }

    /** Reads a Secret's data; fails naming the key that is missing or does not parse. */
    public static CertificateSet fromSecret(Secret secret) throws TlsMaterialException {
        String source = "Secret " + secret.getMetadata().getNamespace() + "/" + secret.getMetadata().getName();
        Map<String, String> data = secret.getData() == null ? Map.of() : secret.getData();
        List<X509Certificate> bundle = Pem.decodeCertificates(decoded(data, CA_CERT, source), source + " " + CA_CERT);
        PrivateKey caKey = Pem.decodePrivateKey(decoded(data, CA_KEY, source), source + " " + CA_KEY);
        CertificateAndKey signing;
        try {
            signing = new CertificateAndKey(bundle.get(0), caKey);
        } catch (IllegalArgumentException e) {
            throw new TlsMaterialException(source + ": " + CA_KEY + " does not belong to the first certificate of " + CA_CERT, e);
        }
        CertificateAuthority.of(signing); // fails unless the signing certificate is a CA
        CertificateAndKey serving = CertificateAndKey.fromPem(decoded(data, TLS_CERT, source), source + " " + TLS_CERT,
                decoded(data, TLS_KEY, source), source + " " + TLS_KEY);
        return new CertificateSet(signing, bundle.subList(1, bundle.size()), serving);
    }

    /** The four keys of the Secret, base64 as Secret data is. */
    public Map<String, String> toSecretData() {
        Map<String, String> data = new LinkedHashMap<>();
        data.put(CA_CERT, base64(caBundlePem()));
        data.put(CA_KEY, base64(signingCa.privateKeyPem()));
        data.put(TLS_CERT, base64(serving.certificatePem()));
        data.put(TLS_KEY, base64(serving.privateKeyPem()));
        return data;
    }

    /** Every CA the API server must trust now: the signing CA first, then the retiring ones. */
    public List<X509Certificate> trustBundle() {
        return Stream.concat(Stream.of(signingCa.certificate()), retiringCas.stream()).toList();
    }

    /** {@link #trustBundle()} as PEM: {@code ca.crt}, and the webhooks' {@code caBundle} before base64. */
    public String caBundlePem() {
        return Pem.encodeCertificates(trustBundle());
    }

    /** The signing CA, ready to issue with {@code clock}'s time. */
    public CertificateAuthority authority(Clock clock) {
        try {
            return CertificateAuthority.of(signingCa, clock);
        } catch (TlsMaterialException e) {
            throw new IllegalStateException("checked when read: " + e.getMessage(), e);
        }
    }

    /** True when the serving certificate was signed by the signing CA (false after a CA rotation, until re-issued). */
    public boolean servingSignedBySigningCa() {
        try {
            serving.certificate().verify(signingCa.certificate().getPublicKey());
            return true;
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    /** A new signing CA; the old one joins the retiring CAs, still trusted, and the serving certificate stays. */
    public CertificateSet withSigningCa(CertificateAndKey next) {
        List<X509Certificate> retiring = new ArrayList<>();
        retiring.add(signingCa.certificate());
        retiring.addAll(retiringCas);
        return new CertificateSet(next, retiring, serving);
    }

    public CertificateSet withServing(CertificateAndKey next) {
        return new CertificateSet(signingCa, retiringCas, next);
    }

    public CertificateSet withoutRetiringCas() {
        return new CertificateSet(signingCa, List.of(), serving);
    }

    private static String decoded(Map<String, String> data, String key, String source) throws TlsMaterialException {
        String value = data.get(key);
        if (value == null || value.isBlank()) {
            throw new TlsMaterialException(source + " has no " + key);
        }
        try {
            return new String(Base64.getMimeDecoder().decode(value), StandardCharsets.US_ASCII);
        } catch (IllegalArgumentException e) {
            throw new TlsMaterialException(source + " " + key + " is not base64: " + e.getMessage(), e);
        }
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.US_ASCII));
    }
}
