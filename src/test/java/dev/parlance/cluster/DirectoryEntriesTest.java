package dev.parlance.cluster;

import dev.parlance.TestCertificates;
import dev.parlance.config.ClusterTlsConfig;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * What a gateway believes of the node directory, which any Hazelcast member can write: only
 * entries signed by a certificate of the cluster's CA, for the node they name, newest first,
 * and a removal by someone else changes nothing.
 */
class DirectoryEntriesTest {

    private static Vertx vertx;
    private static ClusterCredentials nodeA;
    private static ClusterCredentials gateway;
    private static ClusterCredentials impostor;

    @BeforeAll
    static void credentials() throws Exception {
        vertx = Vertx.vertx();
        TestCertificates ca = TestCertificates.ca("cluster-ca");
        TestCertificates otherCa = TestCertificates.ca("other-ca");
        TestCertificates.Member a = ca.member("node-a");
        TestCertificates.Member g = ca.member("gateway");
        TestCertificates.Member i = otherCa.member("impostor");
        nodeA = ClusterCredentials.load(vertx, new ClusterTlsConfig(a.certPem().toString(), a.keyPem().toString(), a.caPem().toString(), null));
        gateway = ClusterCredentials.load(vertx, new ClusterTlsConfig(g.p12().toString(), null, g.caPem().toString(), TestCertificates.PASSWORD));
        impostor = ClusterCredentials.load(vertx, new ClusterTlsConfig(i.p12().toString(), null, i.caPem().toString(), TestCertificates.PASSWORD));
        // A member whose certificate its configured CA did not sign cannot even start.
        assertThrows(Exception.class, () -> ClusterCredentials.load(vertx,
                new ClusterTlsConfig(i.p12().toString(), null, a.caPem().toString(), TestCertificates.PASSWORD)));
    }

    @AfterAll
    static void close() {
        vertx.close().await();
    }

    @Test
    void onlyEntriesSignedByAMemberForTheirOwnNodeAreBelieved() {
        DirectoryEntries writerA = new DirectoryEntries("prod", nodeA);
        DirectoryEntries reader = new DirectoryEntries("prod", gateway);
        Object signed = writerA.entry("A", List.of("nli"));
        Set<String> members = Set.of("A", "ROGUE", "IMPOSTOR");

        Map<String, Object> map = new HashMap<>();
        map.put("A", signed);
        map.put("ROGUE", new JsonArray().add("nli"));                                   // unsigned, the old format
        map.put("IMPOSTOR", new DirectoryEntries("prod", impostor).entry("IMPOSTOR", List.of("nli"))); // another CA
        assertEquals(Map.of("A", List.of("nli")), reader.modelsByNode(map, members));

        // A's genuine entry copied under another node id, or with its models changed: refused.
        map.put("ROGUE", ((JsonObject) signed).copy());
        JsonObject tampered = ((JsonObject) signed).copy().put("models", new JsonArray().add("nli").add("other"));
        DirectoryEntries freshReader = new DirectoryEntries("prod", gateway);
        assertEquals(Map.of(), freshReader.modelsByNode(Map.of("A", tampered, "ROGUE", map.get("ROGUE")), members));
        // Signed for another cluster that shares the CA: refused.
        assertEquals(Map.of(), freshReader.modelsByNode(
                Map.of("A", new DirectoryEntries("staging", nodeA).entry("A", List.of("nli"))), members));
        // A member Hazelcast no longer sees: its entry is not routed to.
        assertEquals(Map.of(), new DirectoryEntries("prod", gateway).modelsByNode(Map.of("A", signed), Set.of("B")));
    }

    @Test
    void removalsAndReplaysByOthersChangeNothingASignedWithdrawalDoes() {
        DirectoryEntries writerA = new DirectoryEntries("prod", nodeA);
        DirectoryEntries reader = new DirectoryEntries("prod", gateway);
        Set<String> members = Set.of("A");
        Object first = writerA.entry("A", List.of("nli"));
        assertEquals(Map.of("A", List.of("nli")), reader.modelsByNode(Map.of("A", first), members));
        assertEquals(Map.of("A", List.of("nli")), reader.modelsByNode(Map.of(), members), "a removal is not a withdrawal");

        Object withdrawal = writerA.entry("A", List.of());
        assertEquals(Map.of(), reader.modelsByNode(Map.of("A", withdrawal), members));
        assertEquals(Map.of(), reader.modelsByNode(Map.of("A", first), members), "an older entry replayed is ignored");

        Object again = writerA.entry("A", List.of("nli", "minilm"));
        assertEquals(Map.of("A", List.of("nli", "minilm")), reader.modelsByNode(Map.of("A", again), members));
        reader.left("A");
        assertEquals(Map.of(), reader.modelsByNode(Map.of(), members), "a node that left is forgotten");
    }

    @Test
    void anInsecureClusterReadsBareModelLists() {
        DirectoryEntries insecure = new DirectoryEntries("dev", null);
        Object entry = insecure.entry("A", List.of("nli"));
        assertEquals(new JsonArray().add("nli"), entry);
        assertEquals(Map.of("A", List.of("nli")), insecure.modelsByNode(Map.of("A", entry, "GONE", entry), Set.of("A")));
        assertFalse(insecure.secure());
        assertEquals(Map.of(), new DirectoryEntries("dev", gateway).modelsByNode(Map.of("A", entry), Set.of("A")),
                "a cluster with credentials ignores unsigned entries");
    }
}
