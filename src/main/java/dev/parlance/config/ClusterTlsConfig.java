package dev.parlance.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The credentials of a cluster member: the clustered event bus speaks TLS with client
 * certificates, so only holders of a certificate from the cluster's CA can send or receive
 * jobs, and the same key signs the member's entry in the node directory.
 *
 * @param cert     PEM certificate chain of this member, or a PKCS12 file (.p12/.pfx) holding its key and chain
 * @param key      PEM private key (PKCS8, PKCS1 RSA or SEC1 EC, as Vert.x reads them); not used with a PKCS12 {@code cert}
 * @param ca       PEM certificate(s) of the CA that signs members, or a PKCS12 trust store (.p12/.pfx)
 * @param password password of the PKCS12 file(s); null for PEM
 */
public record ClusterTlsConfig(String cert, String key, String ca, String password) {

    public static final ClusterTlsConfig NONE = new ClusterTlsConfig(null, null, null, null);

    /** Whether credentials are configured at all. */
    public boolean configured() {
        return cert != null || key != null || ca != null;
    }

    public static boolean isPkcs12(String path) {
        String lower = path.toLowerCase(Locale.ROOT);
        return lower.endsWith(".p12") || lower.endsWith(".pfx");
    }

    static ClusterTlsConfig read(ConfigReader r) {
        String cert = blankToNull(r.string("cert", null));
        String key = blankToNull(r.string("key", null));
        String ca = blankToNull(r.string("ca", null));
        String password = r.string("password", null);
        ClusterTlsConfig tls = new ClusterTlsConfig(cert, key, ca, password);
        if (!tls.configured()) {
            return tls;
        }
        if (cert == null) {
            r.problem("cert", "is required with cluster credentials (PARLANCE_CLUSTER_TLS_CERT)");
        }
        if (ca == null) {
            r.problem("ca", "is required with cluster credentials (PARLANCE_CLUSTER_TLS_CA): the CA that signs members");
        }
        if (cert != null && !isPkcs12(cert) && key == null) {
            r.problem("key", "is required with a PEM certificate (PARLANCE_CLUSTER_TLS_KEY)");
        }
        if (password != null && !password.isEmpty() && password.chars().allMatch(c -> c == '*')) {
            // --print-config masks the password: fed back, it would only fail later and less clearly.
            r.problem("password", "looks masked (as --print-config prints it): put the real password back");
        }
        for (String[] file : new String[][] {{"cert", cert}, {"key", key}, {"ca", ca}}) {
            if (file[1] != null && !Files.isReadable(Path.of(file[1]))) {
                r.problem(file[0], "cannot read " + file[1]);
            }
        }
        return tls;
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }

    @Override
    public String toString() {
        return "ClusterTlsConfig[cert=" + cert + ", key=" + key + ", ca=" + ca + ", password=" + (password == null ? null : "(hidden)") + "]";
    }
}
