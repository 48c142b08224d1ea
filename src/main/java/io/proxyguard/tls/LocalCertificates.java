package io.proxyguard.tls;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * The certificate {@code proxyguard serve} uses when given none: a local CA and a serving certificate for
 * {@code localhost}, {@code 127.0.0.1} and {@code ::1}, kept in a directory and reused on the next start
 * while it has more than {@link #RENEW_BEFORE} of life left. Meant for trying the webhook on a laptop.
 */
public final class LocalCertificates {

    public static final Duration VALIDITY = Duration.ofDays(365);
    public static final Duration RENEW_BEFORE = Duration.ofDays(7);
    public static final List<String> DNS_NAMES = List.of("localhost");
    public static final List<String> IP_ADDRESSES = List.of("127.0.0.1", "::1");

    private LocalCertificates() {
    }

    /** What {@link #ensure} found: the files, and whether they were created just now. */
    public record Result(CertificateFiles files, boolean created, String reason) {
    }

    /** Reuses the serving certificate in {@code files} when it is readable and not about to expire, else writes a new set. */
    public static Result ensure(CertificateFiles files, Clock clock) throws IOException {
        String reason = reusableOrWhyNot(files, clock);
        if (reason == null) {
            return new Result(files, false, "reused");
        }
        CertificateAuthority ca = CertificateAuthority.create(CertificateAuthority.DEFAULT_COMMON_NAME, VALIDITY, clock);
        files.write(ca, ca.issueServing(DNS_NAMES, IP_ADDRESSES, VALIDITY));
        return new Result(files, true, reason);
    }

    private static String reusableOrWhyNot(CertificateFiles files, Clock clock) {
        if (files.existing().size() < files.all().size()) {
            return "no certificate in " + files.directory();
        }
        try {
            CertificateAndKey serving = files.readServing();
            if (!serving.isValidAt(clock.instant().plus(RENEW_BEFORE))) {
                return "the certificate in " + files.tlsCert() + " expires within " + RENEW_BEFORE.toDays() + " days";
            }
            return null;
        } catch (TlsMaterialException e) {
            return e.getMessage();
        }
    }
}
