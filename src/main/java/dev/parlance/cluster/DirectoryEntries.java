package dev.parlance.cluster;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What a node writes into the node directory, and what a reader believes of it.
 *
 * <p>With credentials, an entry is signed: {@code {"node", "models", "seq", "chain", "sig"}},
 * the signature by the node's TLS key over the cluster name, node id, sequence number and
 * models, its certificate chain checked against the cluster's CA. Hazelcast lets any member
 * write or delete any entry, so a reader keeps, per live member, the newest entry it verified:
 * an unsigned or forged entry is ignored, a deleted one changes nothing (the member is still
 * there; its death is Hazelcast's to tell), an older one replayed is ignored (lower sequence
 * number), and a withdrawal is itself a signed entry with no models.
 *
 * <p>Without credentials ({@code "insecure": true}) an entry is the bare JSON array of model
 * names, as before signing existed, and believed as it is read.
 */
final class DirectoryEntries {

    private static final Logger log = LoggerFactory.getLogger(DirectoryEntries.class);
    private static final String PAYLOAD_VERSION = "parlance-node-entry-v1";
    /** Bounds the memory of checked entries: a rogue member could write new ones without end. */
    private static final int MAX_REMEMBERED = 1024;

    /** A verified entry. */
    record Entry(String node, long seq, List<String> models) {
    }

    private final String cluster;
    private final ClusterCredentials credentials;
    private long seq;
    /** Per node, the newest verified entry. Secure mode only. */
    private final Map<String, Entry> believed = new ConcurrentHashMap<>();
    /** Entries already verified or refused, by their exact text: each is checked once, not every second. */
    private final Map<String, Entry> checked = new ConcurrentHashMap<>();
    private final Set<String> refused = ConcurrentHashMap.newKeySet();

    /** @param credentials null for an insecure cluster */
    DirectoryEntries(String cluster, ClusterCredentials credentials) {
        this.cluster = cluster;
        this.credentials = credentials;
    }

    boolean secure() {
        return credentials != null;
    }

    /** This node's entry saying it serves {@code models} (none: it withdrew). */
    synchronized Object entry(String node, List<String> models) {
        if (credentials == null) {
            return new JsonArray(new ArrayList<>(models));
        }
        long next = ++seq;
        try {
            JsonArray chain = new JsonArray();
            for (X509Certificate c : credentials.chain()) {
                chain.add(Base64.getEncoder().encodeToString(c.getEncoded()));
            }
            byte[] signature = credentials.sign(payload(node, next, models));
            return new JsonObject().put("node", node).put("models", new JsonArray(new ArrayList<>(models)))
                    .put("seq", next).put("chain", chain).put("sig", Base64.getEncoder().encodeToString(signature));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign this node's directory entry", e);
        }
    }

    /**
     * The models of each member, from the directory's current content.
     *
     * @param entries the directory map as read
     * @param members the Vert.x node ids of the members Hazelcast sees now
     */
    Map<String, List<String>> modelsByNode(Map<String, Object> entries, Set<String> members) {
        Map<String, List<String>> byNode = new HashMap<>();
        if (credentials == null) {
            entries.forEach((node, value) -> {
                if (members.contains(node) && value instanceof JsonArray models) {
                    byNode.put(node, names(models));
                }
            });
            return byNode;
        }
        believed.keySet().retainAll(members);
        entries.forEach((node, value) -> {
            if (!members.contains(node)) {
                return;
            }
            Entry entry = verified(node, value);
            if (entry != null) {
                believed.merge(node, entry, (old, now) -> now.seq() > old.seq() ? now : old);
            }
        });
        believed.forEach((node, entry) -> {
            if (!entry.models().isEmpty()) {
                byNode.put(node, entry.models());
            }
        });
        return byNode;
    }

    /** Forgets a node that left the cluster. */
    void left(String node) {
        believed.remove(node);
    }

    private Entry verified(String key, Object value) {
        String text = value instanceof JsonObject json ? json.encode() : String.valueOf(value);
        Entry known = checked.get(text);
        if (known != null) {
            return known.node().equals(key) ? known : null;
        }
        if (refused.contains(text)) {
            return null;
        }
        if (checked.size() > MAX_REMEMBERED || refused.size() > MAX_REMEMBERED) {
            checked.clear();
            refused.clear();
        }
        Entry entry = value instanceof JsonObject json ? check(json) : null;
        if (entry == null || !entry.node().equals(key)) {
            if (refused.add(text)) {
                // Once per distinct entry: a rogue member, or a member of another cluster with the same name.
                log.warn("ignoring a node-directory entry for {} that is not signed by a cluster member", key);
            }
            return null;
        }
        checked.put(text, entry);
        return entry;
    }

    private Entry check(JsonObject json) {
        try {
            String node = json.getString("node");
            long seq = json.getLong("seq");
            List<String> models = names(json.getJsonArray("models"));
            JsonArray encodedChain = json.getJsonArray("chain");
            X509Certificate[] chain = new X509Certificate[encodedChain.size()];
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            for (int i = 0; i < chain.length; i++) {
                chain[i] = (X509Certificate) factory.generateCertificate(
                        new ByteArrayInputStream(Base64.getDecoder().decode(encodedChain.getString(i))));
            }
            byte[] signature = Base64.getDecoder().decode(json.getString("sig"));
            return node != null && credentials.verify(chain, payload(node, seq, models), signature)
                    ? new Entry(node, seq, models) : null;
        } catch (CertificateException | RuntimeException e) {
            return null; // malformed: not a member's
        }
    }

    /** The signed bytes: rebuilt from the fields on both sides, so no canonical JSON is needed. */
    private byte[] payload(String node, long seq, List<String> models) {
        return new JsonArray().add(PAYLOAD_VERSION).add(cluster).add(node).add(seq).add(new JsonArray(new ArrayList<>(models)))
                .encode().getBytes(StandardCharsets.UTF_8);
    }

    private static List<String> names(JsonArray models) {
        List<String> names = new ArrayList<>();
        for (Object model : models) {
            if (model instanceof String name) {
                names.add(name);
            }
        }
        return List.copyOf(names);
    }
}
