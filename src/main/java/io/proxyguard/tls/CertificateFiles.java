package io.proxyguard.tls;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

/**
 * The four PEM files of a webhook's TLS setup in one directory, named as in a Kubernetes TLS Secret:
 * {@code ca.crt}, {@code ca.key}, {@code tls.crt}, {@code tls.key}. Each file is written to a temporary
 * name and moved into place, so a reader never sees half a file; key files are readable by the owner only.
 */
public record CertificateFiles(Path directory) {

    public static final String CA_CERT = "ca.crt";
    public static final String CA_KEY = "ca.key";
    public static final String TLS_CERT = "tls.crt";
    public static final String TLS_KEY = "tls.key";

    public Path caCert() {
        return directory.resolve(CA_CERT);
    }

    public Path caKey() {
        return directory.resolve(CA_KEY);
    }

    public Path tlsCert() {
        return directory.resolve(TLS_CERT);
    }

    public Path tlsKey() {
        return directory.resolve(TLS_KEY);
    }

    public List<Path> all() {
        return List.of(caCert(), caKey(), tlsCert(), tlsKey());
    }

    /** The files of this set that exist already. */
    public List<Path> existing() {
        return all().stream().filter(Files::exists).toList();
    }

    /** Writes the CA and the serving certificate, creating the directory when needed. */
    public void write(CertificateAuthority ca, CertificateAndKey serving) throws IOException {
        Files.createDirectories(directory);
        writeAtomically(caCert(), ca.caBundlePem(), false);
        writeAtomically(caKey(), ca.certificate().privateKeyPem(), true);
        writeAtomically(tlsKey(), serving.privateKeyPem(), true);
        writeAtomically(tlsCert(), serving.certificatePem(), false);
    }

    /** Reads the serving pair of this directory. */
    public CertificateAndKey readServing() throws TlsMaterialException {
        return read(tlsCert(), tlsKey());
    }

    /** Reads the CA pair of this directory. */
    public CertificateAuthority readAuthority() throws TlsMaterialException {
        return CertificateAuthority.of(read(caCert(), caKey()));
    }

    /** Reads a certificate file (leaf first, chain after) and its key file. */
    public static CertificateAndKey read(Path certificateFile, Path keyFile) throws TlsMaterialException {
        return CertificateAndKey.fromPem(readText(certificateFile), certificateFile.toString(), readText(keyFile), keyFile.toString());
    }

    /**
     * Writes {@code text} to a temporary file beside {@code target} and moves it into place in one step.
     *
     * @param secret restricts the file to its owner (rw-------, else rw-r--r--) where the file system has POSIX permissions
     */
    public static void writeAtomically(Path target, String text, boolean secret) throws IOException {
        Path directory = target.toAbsolutePath().getParent();
        Path temporary = Files.createTempFile(directory, "." + target.getFileName(), ".tmp");
        try {
            if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
                Files.setPosixFilePermissions(temporary, PosixFilePermissions.fromString(secret ? "rw-------" : "rw-r--r--"));
            }
            Files.writeString(temporary, text, StandardCharsets.US_ASCII);
            try {
                Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    private static String readText(Path file) throws TlsMaterialException {
        try {
            return Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new TlsMaterialException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}
