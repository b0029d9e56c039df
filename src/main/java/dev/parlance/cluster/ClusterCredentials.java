package dev.parlance.cluster;

import dev.parlance.config.ClusterTlsConfig;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.net.KeyCertOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.core.net.PfxOptions;
import io.vertx.core.net.TrustOptions;

import javax.net.ssl.KeyManager;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509KeyManager;
import javax.net.ssl.X509TrustManager;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;

/**
 * A member's cluster credentials, used twice: the clustered event bus speaks TLS with them in
 * both directions (a peer without a certificate from the cluster's CA fails the handshake, so it
 * can neither send nor receive a message), and the member signs its node-directory entry with the
 * same key, so gateways route only to members that hold a certificate (Hazelcast itself, which
 * carries the directory, authenticates nobody in its open-source edition).
 *
 * <p>Vert.x reads the files for TLS and this class reads them again through the same Vert.x
 * options, so PEM (PKCS8, PKCS1 or SEC1 keys) and PKCS12 work the same for both uses.
 */
public final class ClusterCredentials {

    private final PrivateKey key;
    private final X509Certificate[] chain;
    private final X509TrustManager trust;
    private final String signatureAlgorithm;

    private ClusterCredentials(PrivateKey key, X509Certificate[] chain, X509TrustManager trust) {
        this.key = key;
        this.chain = chain;
        this.trust = trust;
        this.signatureAlgorithm = signatureAlgorithm(key.getAlgorithm());
    }

    /**
     * The event bus with mutual TLS: a member both presents its certificate and requires one from
     * every peer that connects. Host names are not checked (Vert.x's event bus client does not):
     * every holder of a certificate from the cluster's CA is a member, whatever its address.
     */
    public static EventBusOptions secure(EventBusOptions options, ClusterTlsConfig tls) {
        return options.setSsl(true)
                .setClientAuth(ClientAuth.REQUIRED)
                .setKeyCertOptions(keyCertOptions(tls))
                .setTrustOptions(trustOptions(tls));
    }

    static KeyCertOptions keyCertOptions(ClusterTlsConfig tls) {
        return ClusterTlsConfig.isPkcs12(tls.cert())
                ? new PfxOptions().setPath(tls.cert()).setPassword(tls.password())
                : new PemKeyCertOptions().setCertPath(tls.cert()).setKeyPath(tls.key());
    }

    static TrustOptions trustOptions(ClusterTlsConfig tls) {
        return ClusterTlsConfig.isPkcs12(tls.ca())
                ? new PfxOptions().setPath(tls.ca()).setPassword(tls.password())
                : new PemTrustOptions().addCertPath(tls.ca());
    }

    /** Reads the key, the chain and the CA (blocking: file reads). */
    public static ClusterCredentials load(Vertx vertx, ClusterTlsConfig tls) throws Exception {
        X509KeyManager keys = null;
        for (KeyManager m : keyCertOptions(tls).getKeyManagerFactory(vertx).getKeyManagers()) {
            if (m instanceof X509KeyManager x) {
                keys = x;
            }
        }
        X509TrustManager trust = null;
        for (TrustManager m : trustOptions(tls).getTrustManagerFactory(vertx).getTrustManagers()) {
            if (m instanceof X509TrustManager x) {
                trust = x;
            }
        }
        if (keys == null || trust == null) {
            throw new GeneralSecurityException("cluster.tls: no X.509 key or trust manager in the configured files");
        }
        String alias = alias(keys);
        if (alias == null) {
            throw new GeneralSecurityException("cluster.tls: " + tls.cert() + " holds no private key with a certificate");
        }
        X509Certificate[] chain = keys.getCertificateChain(alias);
        ClusterCredentials credentials = new ClusterCredentials(keys.getPrivateKey(alias), chain, trust);
        // Fail at start, not at the first refresh: a member whose own certificate its CA does not
        // sign would be refused by every peer.
        credentials.checkTrusted(chain);
        return credentials;
    }

    private static String alias(X509KeyManager keys) {
        for (String type : new String[] {"RSA", "EC", "EdDSA", "Ed25519"}) {
            String[] aliases = keys.getServerAliases(type, null);
            if (aliases != null && aliases.length > 0) {
                return aliases[0];
            }
        }
        return null;
    }

    private static String signatureAlgorithm(String keyAlgorithm) {
        return switch (keyAlgorithm) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "EdDSA", "Ed25519" -> "Ed25519";
            default -> throw new IllegalArgumentException("cluster.tls: unsupported key algorithm " + keyAlgorithm);
        };
    }

    /** This member's certificate chain, leaf first. */
    public X509Certificate[] chain() {
        return chain.clone();
    }

    public byte[] sign(byte[] payload) throws GeneralSecurityException {
        Signature signature = Signature.getInstance(signatureAlgorithm);
        signature.initSign(key);
        signature.update(payload);
        return signature.sign();
    }

    /** Whether {@code chain} leads to the cluster's CA and its leaf's key signed {@code payload}. */
    public boolean verify(X509Certificate[] chain, byte[] payload, byte[] signatureBytes) {
        try {
            checkTrusted(chain);
            Signature signature = Signature.getInstance(signatureAlgorithm(chain[0].getPublicKey().getAlgorithm()));
            signature.initVerify(chain[0].getPublicKey());
            signature.update(payload);
            return signature.verify(signatureBytes);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }

    private void checkTrusted(X509Certificate[] chain) throws CertificateException {
        if (chain == null || chain.length == 0) {
            throw new CertificateException("no certificate");
        }
        // As a TLS server checks a client: the same CA, validity and key usage as the event bus.
        trust.checkClientTrusted(chain, chain[0].getPublicKey().getAlgorithm());
    }
}
