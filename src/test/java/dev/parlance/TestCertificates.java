package dev.parlance;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Key;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Cluster credentials made at test time with the JDK's keytool, in a fresh temporary folder:
 * a CA and member certificates it signs, nothing committed. Each member gets a PKCS12 file
 * (key and chain) and the same key and chain as PEM, so tests use both forms. A keytool run
 * costs a JVM start, so CAs and members are made once per test JVM and shared by name.
 */
public final class TestCertificates {

    public static final String PASSWORD = "test-only-password";

    /** One member's files. */
    public record Member(Path p12, Path certPem, Path keyPem, Path caPem) {
    }

    private final Path dir;
    private final Path caP12;
    public final Path caPem;

    private TestCertificates(Path dir) {
        this.dir = dir;
        this.caP12 = dir.resolve("ca.p12");
        this.caPem = dir.resolve("ca.pem");
    }

    private static final Map<String, TestCertificates> CAS = new ConcurrentHashMap<>();
    private final Map<String, Member> members = new ConcurrentHashMap<>();

    /** The CA called {@code name}, made on first use, in its own temporary folder. */
    public static TestCertificates ca(String name) {
        return CAS.computeIfAbsent(name, TestCertificates::newCa);
    }

    private static TestCertificates newCa(String name) {
        try {
            TestCertificates ca = new TestCertificates(Files.createTempDirectory("parlance-certs-" + name));
            ca.keytool("-genkeypair", "-alias", "ca", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=" + name,
                    "-ext", "bc:c", "-validity", "2", "-keystore", ca.caP12.toString());
            ca.keytool("-exportcert", "-rfc", "-alias", "ca", "-keystore", ca.caP12.toString(), "-file", ca.caPem.toString());
            return ca;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The member certificate called {@code name} signed by this CA, made on first use. */
    public Member member(String name) {
        return members.computeIfAbsent(name, this::newMember);
    }

    private Member newMember(String name) {
        Path p12 = dir.resolve(name + ".p12");
        Path csr = dir.resolve(name + ".csr");
        Path signed = dir.resolve(name + ".crt");
        keytool("-genkeypair", "-alias", "member", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=" + name,
                "-validity", "2", "-keystore", p12.toString());
        keytool("-certreq", "-alias", "member", "-keystore", p12.toString(), "-file", csr.toString());
        keytool("-gencert", "-rfc", "-alias", "ca", "-keystore", caP12.toString(), "-infile", csr.toString(),
                "-outfile", signed.toString(), "-validity", "2");
        try {
            // The signed chain goes in beside the key here, not with two more keytool runs.
            KeyStore store = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(p12)) {
                store.load(in, PASSWORD.toCharArray());
            }
            Key key = store.getKey("member", PASSWORD.toCharArray());
            CertificateFactory x509 = CertificateFactory.getInstance("X.509");
            Certificate[] chain = {certificate(x509, signed), certificate(x509, caPem)};
            store.setKeyEntry("member", key, PASSWORD.toCharArray(), chain);
            try (OutputStream out = Files.newOutputStream(p12)) {
                store.store(out, PASSWORD.toCharArray());
            }
            Path keyPem = dir.resolve(name + ".key.pem");
            Files.writeString(keyPem, pem("PRIVATE KEY", key.getEncoded()));
            StringBuilder chainPem = new StringBuilder();
            for (Certificate c : chain) {
                chainPem.append(pem("CERTIFICATE", c.getEncoded()));
            }
            Path certPem = dir.resolve(name + ".pem");
            Files.writeString(certPem, chainPem.toString());
            return new Member(p12, certPem, keyPem, caPem);
        } catch (Exception e) {
            throw new IllegalStateException("cannot read back the member's key", e);
        }
    }

    private static Certificate certificate(CertificateFactory x509, Path file) throws Exception {
        try (InputStream in = Files.newInputStream(file)) {
            return x509.generateCertificate(in);
        }
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(der) + "\n-----END " + type + "-----\n";
    }

    private void keytool(String... args) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString()));
        command.addAll(List.of(args));
        command.addAll(List.of("-storetype", "PKCS12", "-storepass", PASSWORD));
        try {
            Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("keytool " + String.join(" ", args) + " failed: " + out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
