package dev.parlance;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One HTTP gateway and two inference nodes, each in its own JVM, clustered over Hazelcast on
 * 127.0.0.1 under a cluster name of their own. Requests spread over both nodes; a node killed
 * with SIGKILL costs no request; restarted, it takes work again. A JVM that is not Parlance
 * gets the same answer over the event bus as over HTTP.
 */
class ClusterTest {

    /** Made once for the class: keytool takes seconds. */
    private static TestCertificates ca;

    private final List<ServerProcess> processes = new ArrayList<>();
    /** Each member's credentials, by its Hazelcast port: a restarted member keeps its own. */
    private final Map<Integer, TestCertificates.Member> credentials = new HashMap<>();
    private final String clusterName = "parlance-test-" + UUID.randomUUID();
    private final int[] hazelcastPorts = {TestServer.freePort(), TestServer.freePort(), TestServer.freePort(), TestServer.freePort()};
    private final List<String> members = List.of("127.0.0.1:" + hazelcastPorts[0], "127.0.0.1:" + hazelcastPorts[1],
            "127.0.0.1:" + hazelcastPorts[2]);

    @BeforeAll
    static void certificateAuthority() {
        ca = TestCertificates.ca("cluster-ca");
    }

    @AfterEach
    void stopAll() {
        processes.forEach(ServerProcess::close);
    }

    /** A member with credentials of the cluster's CA: the first node's in PEM, the others' in PKCS12 (both forms must work). */
    private JsonObject config(String role, int httpPort, int hazelcastPort) {
        TestCertificates.Member member = credentials.computeIfAbsent(hazelcastPort, p -> ca.member("member-" + p));
        return config(role, httpPort, hazelcastPort, clusterName, members, member, hazelcastPort == hazelcastPorts[1]);
    }

    /**
     * A member's config; its credentials in PEM or PKCS12, as {@code pem} says. Without
     * credentials, an explicitly insecure member.
     */
    static JsonObject config(String role, int httpPort, int hazelcastPort, String clusterName, List<String> members,
                             TestCertificates.Member credentials, boolean pem) {
        JsonObject config = TestServer.config(TestServer.nli("nli", "nli-tiny"));
        config.put("roles", new JsonArray().add(role));
        config.getJsonObject("http").put("port", httpPort).put("instances", 1);
        JsonObject cluster = new JsonObject().put("enabled", true).put("name", clusterName).put("host", "127.0.0.1")
                .put("port", hazelcastPort).put("members", new JsonArray(new ArrayList<>(members)));
        config.put("cluster", cluster);
        if (credentials == null) {
            cluster.put("insecure", true);
            return config;
        }
        JsonObject tls = pem
                ? new JsonObject().put("cert", credentials.certPem().toString()).put("key", credentials.keyPem().toString())
                : new JsonObject().put("cert", credentials.p12().toString()).put("password", TestCertificates.PASSWORD);
        cluster.put("tls", tls.put("ca", credentials.caPem().toString()));
        return config;
    }

    private ServerProcess start(String role, int httpPort, int hazelcastPort) {
        return start(config(role, httpPort, hazelcastPort));
    }

    private ServerProcess start(JsonObject config) {
        ServerProcess process = ServerProcess.start(config);
        processes.add(process);
        return process;
    }

    private static double completed(ServerProcess node) throws Exception {
        return node.metric("parlance_jobs_completed_total{model=\"nli\",task=\"classification\"}");
    }

    /** What every test classifies. */
    private static final JsonObject BODY = new JsonObject().put("text", ClassificationTest.SEED_TEXT)
            .put("labels", new JsonArray().add("job").add("nature").add("space"));

    /** A gateway and two inference nodes, ready; {@code nodeAPort} is node A's HTTP port, to restart it on. */
    private record Cluster(ServerProcess gateway, int gatewayPort, ServerProcess nodeA, int nodeAPort, ServerProcess nodeB) {
    }

    /**
     * Starts the gateway, then both nodes, as a deployment would: members that all start at once
     * may each form a cluster of their own before Hazelcast merges them. {@code adjust} may change
     * each member's config.
     */
    private Cluster startCluster(java.util.function.UnaryOperator<JsonObject> adjust) throws Exception {
        int gatewayPort = TestServer.freePort();
        int nodeAPort = TestServer.freePort();
        ServerProcess gateway = start(adjust.apply(config("http", gatewayPort, hazelcastPorts[0])));
        gateway.await("/health/live", s -> s == 200, 90_000);
        ServerProcess nodeA = start(adjust.apply(config("inference", nodeAPort, hazelcastPorts[1])));
        ServerProcess nodeB = start(adjust.apply(config("inference", TestServer.freePort(), hazelcastPorts[2])));
        nodeA.awaitReady(90_000);
        nodeB.awaitReady(90_000);
        gateway.awaitReady(90_000);
        return new Cluster(gateway, gatewayPort, nodeA, nodeAPort, nodeB);
    }

    /** Classifies until both nodes have done work: the gateway learns of each node within a second of its announcement. */
    private static void untilBothNodesWork(WebClient client, Cluster cluster) throws Exception {
        long deadline = System.currentTimeMillis() + 120_000;
        while (completed(cluster.nodeA()) == 0 || completed(cluster.nodeB()) == 0) {
            assertTrue(System.currentTimeMillis() < deadline, "both nodes should get work");
            assertEquals(200, classify(client, BODY).statusCode());
        }
    }

    private static WebClient client(Vertx vertx, Cluster cluster) {
        return WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(cluster.gatewayPort()));
    }

    @Test
    void gatewaySpreadsOverNodesSurvivesAKilledNodeAndTakesItBack() throws Exception {
        Cluster cluster = startCluster(c -> c);
        ServerProcess gateway = cluster.gateway();
        ServerProcess nodeA = cluster.nodeA();
        ServerProcess nodeB = cluster.nodeB();
        Vertx vertx = Vertx.vertx();
        try {
            WebClient client = client(vertx, cluster);
            untilBothNodesWork(client, cluster);
            double a0 = completed(nodeA);
            double b0 = completed(nodeB);
            // Until each node has answered 10 more. Not a fixed share of a fixed count: routing
            // follows each node's backlog and avoids one that has been silent for a while, which on a
            // loaded machine can be either of them for a few requests.
            JsonObject expected = null;
            int sent = 0;
            while (completed(nodeA) - a0 < 10 || completed(nodeB) - b0 < 10) {
                assertTrue(sent < 400, "spread over both nodes: " + (completed(nodeA) - a0) + " and "
                        + (completed(nodeB) - b0) + " of " + sent);
                HttpResponse<Buffer> response = classify(client, BODY);
                assertEquals(200, response.statusCode(), response.bodyAsString());
                expected = response.bodyAsJsonObject();
                sent++;
            }

            // Another JVM, not Parlance, over the clustered event bus, with a certificate of the cluster's CA.
            TestCertificates.Member busClient = ca.member("client");
            Process external = clusterClient(clusterName, hazelcastPorts[3], members, busClient);
            String out = new String(external.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(external.waitFor(60, TimeUnit.SECONDS));
            String reply = out.lines().filter(l -> l.startsWith("REPLY ")).findFirst()
                    .orElseThrow(() -> new AssertionError("no reply from the event-bus client: " + out));
            assertEquals(expected, new JsonObject(reply.substring("REPLY ".length())));

            // A crash: no withdrawal, no goodbye. Not one request may be lost or fail.
            nodeA.kill();
            long start = System.nanoTime();
            List<Integer> statuses = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                statuses.add(classify(client, BODY).statusCode());
            }
            long tookMs = (System.nanoTime() - start) / 1_000_000;
            assertEquals(List.of(200), statuses.stream().distinct().toList(), "every request answered after the crash: " + statuses);
            // Failure detection takes seconds; a busy machine stretches it, hence the wide bound.
            assertTrue(tookMs < 60_000, "no request waited for the dead node much past failure detection: " + tookMs + " ms");
            gateway.awaitReady(60_000);

            // Back again: it takes work again.
            ServerProcess nodeA2 = start("inference", cluster.nodeAPort(), hazelcastPorts[1]);
            nodeA2.awaitReady(90_000);
            long deadline = System.currentTimeMillis() + 120_000;
            while (completed(nodeA2) < 5) {
                assertTrue(System.currentTimeMillis() < deadline, "the restarted node gets work again");
                assertEquals(200, classify(client, BODY).statusCode());
            }
            assertEquals(0, nodeA2.terminate(), "a node leaves the cluster cleanly on SIGTERM");
            assertEquals(0, nodeB.terminate());
            gateway.await("/health/ready", s -> s == 503, 60_000);
            HttpResponse<Buffer> none = classify(client, BODY);
            assertEquals(503, none.statusCode(), "no node left: refused at once, " + none.bodyAsString());
            assertEquals("1", none.getHeader("Retry-After"));
        } finally {
            vertx.close().await();
        }
    }

    /**
     * Both inference nodes crash under load. The gateway's readiness follows the cluster's own
     * member list: by the time its directory logs that the last node left, readiness already
     * says 503 (it is read at each probe, not from the directory's last refresh). The deaths
     * are expected, so the gateway logs no ERROR (a job written to a connection that had just
     * closed used to log "Unhandled exception ... Promise already completed").
     */
    @Test
    void readinessFallsWithTheLastNodeAndCrashesLogNoError() throws Exception {
        Cluster cluster = startCluster(c -> c);
        ServerProcess gateway = cluster.gateway();
        ServerProcess nodeA = cluster.nodeA();
        ServerProcess nodeB = cluster.nodeB();
        Vertx vertx = Vertx.vertx();
        try {
            WebClient client = client(vertx, cluster);
            untilBothNodesWork(client, cluster);
            // Load from 8 clients while both nodes die: jobs are being written to their connections.
            AtomicBoolean stop = new AtomicBoolean();
            AtomicInteger answered = new AtomicInteger();
            List<Thread> clients = new ArrayList<>();
            for (int c = 0; c < 8; c++) {
                Thread t = new Thread(() -> {
                    while (!stop.get()) {
                        classify(client, BODY);
                        answered.incrementAndGet();
                    }
                });
                t.start();
                clients.add(t);
            }
            int before = answered.get();
            while (answered.get() < before + 40) {
                Thread.sleep(10);
            }
            long killedAt = System.nanoTime();
            nodeA.kill();
            nodeB.kill();
            // Wait for the event: the gateway's directory has seen both nodes leave.
            while (gateway.log().lines().filter(l -> l.contains("NodeDirectory - cluster node") && l.endsWith(" left")).count() < 2) {
                assertTrue(System.nanoTime() - killedAt < 60_000_000_000L, "the gateway notices both deaths: " + gateway.log());
                Thread.sleep(20);
            }
            assertEquals(503, gateway.status("/health/ready"), "no node left: not ready");
            System.out.println("ClusterTest: both nodes killed; their departure logged by the gateway "
                    + (System.nanoTime() - killedAt) / 1_000_000 + " ms later");
            stop.set(true);
            for (Thread t : clients) {
                t.join(60_000);
            }
            assertEquals(503, classify(client, BODY).statusCode());
            List<String> errors = gateway.log().lines().filter(l -> l.contains(" ERROR ")).toList();
            assertEquals(List.of(), errors, "a node's crash is no error of the gateway's");
        } finally {
            vertx.close().await();
        }
    }

    /**
     * A node frozen by SIGSTOP keeps its cluster membership (the heartbeat timeout is set far
     * beyond the test here, as on a machine that stalls for a while) and its connections. The
     * gateway must neither pile new jobs onto it nor leave the jobs it holds waiting for their
     * deadline: 8 clients each send 20 requests while it is frozen, and every one is answered.
     * Only the jobs that reached the node before the gateway found it silent are sent again.
     * Thawed, it takes work again.
     */
    @Test
    void aFrozenNodeGetsNoNewJobsAndItsJobsAreSentElsewhere() throws Exception {
        Cluster cluster = startCluster(ClusterTest::frozenTolerant);
        ServerProcess gateway = cluster.gateway();
        ServerProcess nodeA = cluster.nodeA();
        Vertx vertx = Vertx.vertx();
        try {
            WebClient client = client(vertx, cluster);
            untilBothNodesWork(client, cluster);
            double completedBeforeFreeze = completed(nodeA);

            signal(nodeA, "STOP");
            long frozenAt = System.nanoTime();
            AtomicInteger within5s = new AtomicInteger();
            List<Integer> statuses = java.util.Collections.synchronizedList(new ArrayList<>());
            List<Thread> clients = new ArrayList<>();
            for (int c = 0; c < 8; c++) {
                Thread t = new Thread(() -> {
                    for (int i = 0; i < 20; i++) {
                        int status = classify(client, BODY).statusCode();
                        statuses.add(status);
                        if (status == 200 && System.nanoTime() - frozenAt < 5_000_000_000L) {
                            within5s.incrementAndGet();
                        }
                    }
                });
                t.start();
                clients.add(t);
            }
            for (Thread t : clients) {
                t.join(120_000);
            }
            System.out.println("ClusterTest: node frozen; " + within5s.get() + " requests answered in the 5 s after the freeze, "
                    + statuses.stream().filter(s -> s == 200).count() + " of " + statuses.size() + " in all");
            assertEquals(160, statuses.size());
            assertEquals(List.of(200), statuses.stream().distinct().toList(), "every request answered while a node is frozen");
            double resent = gateway.metric("parlance_cluster_resent_total{reason=\"silent\"}")
                    + gateway.metric("parlance_cluster_resent_total{reason=\"left\"}");
            // Round robin would have sent it half of the 160: each of them would have been sent again.
            assertTrue(resent >= 1 && resent <= 24, "only the jobs it held when found silent go elsewhere: " + resent);
            // The gateway's directory reads the cluster map every second, and a read waits for
            // the frozen member: reads must not pile up, each holding a worker thread (all 20
            // were taken within 20 s, and /metrics, rendered on a worker, hung). Frozen 6 s at
            // least, the gateway holds at most the read under way and this scrape (and a spare).
            long frozenMs = (System.nanoTime() - frozenAt) / 1_000_000;
            if (frozenMs < 6_000) {
                Thread.sleep(6_000 - frozenMs);
            }
            double workersBusy = gateway.get("/metrics").lines()
                    .filter(l -> l.startsWith("vertx_pool_in_use{") && l.contains("pool_type=\"worker\""))
                    .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
            assertTrue(workersBusy <= 3, "worker threads in use on the gateway while a member is frozen: " + workersBusy);

            signal(nodeA, "CONT");
            // Thawed: it answers its stale jobs (dropped by the gateway: already answered), then new ones.
            long deadline = System.currentTimeMillis() + 120_000;
            while (completed(nodeA) < completedBeforeFreeze + resent + 5) {
                assertTrue(System.currentTimeMillis() < deadline, "the thawed node takes work again");
                assertEquals(200, classify(client, BODY).statusCode());
            }
            List<String> errors = gateway.log().lines().filter(l -> l.contains(" ERROR ")).toList();
            assertEquals(List.of(), errors);
        } finally {
            vertx.close().await();
        }
    }

    /**
     * Kubernetes-style discovery on loopback: no member list, one name that resolves to three
     * addresses (127.0.0.1-3, from a hosts file given to each JVM, as a headless service's
     * name resolves to its pods' IPs), the same Hazelcast port on each. All three start at
     * once, as a Deployment's pods do; they must end up in one cluster, the gateway routing to
     * both inference nodes.
     */
    @Test
    void membersFoundThroughOneDnsNameFormOneCluster() throws Exception {
        String name = "parlance-headless.test.invalid";
        java.nio.file.Path hosts = java.nio.file.Files.createTempFile("parlance-hosts", ".txt");
        java.nio.file.Files.writeString(hosts, "127.0.0.1 " + name + "\n127.0.0.2 " + name + "\n127.0.0.3 " + name + "\n");
        int hazelcastPort = TestServer.freePort();
        int gatewayPort = TestServer.freePort();
        List<String> jvm = List.of("-Djdk.net.hosts.file=" + hosts);
        ServerProcess gateway = startDns(jvm, "http", gatewayPort, "127.0.0.1", hazelcastPort, name);
        ServerProcess nodeA = startDns(jvm, "inference", TestServer.freePort(), "127.0.0.2", hazelcastPort, name);
        ServerProcess nodeB = startDns(jvm, "inference", TestServer.freePort(), "127.0.0.3", hazelcastPort, name);
        nodeA.awaitReady(120_000);
        nodeB.awaitReady(120_000);
        gateway.awaitReady(120_000);

        Vertx vertx = Vertx.vertx();
        try {
            WebClient client = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(gatewayPort));
            // Members that found only themselves at first merge at the next check (every 10 s).
            long deadline = System.currentTimeMillis() + 120_000;
            while (completed(nodeA) == 0 || completed(nodeB) == 0) {
                assertTrue(System.currentTimeMillis() < deadline, "both nodes, found through DNS, get work: " + gateway.log());
                int status = classify(client, BODY).statusCode();
                assertTrue(status == 200 || status == 503, "answered, or not yet routable: " + status);
            }
            assertTrue(gateway.log().contains("Members {size:3"), "one cluster of three");
        } finally {
            vertx.close().await();
        }
    }

    private ServerProcess startDns(List<String> jvmOptions, String role, int httpPort, String host, int hazelcastPort,
                                   String dns) {
        JsonObject config = config(role, httpPort, hazelcastPort);
        // No member list: the name is the only way to the others. The credentials stay.
        JsonObject cluster = config.getJsonObject("cluster");
        cluster.remove("members");
        cluster.put("host", host).put("dns", dns);
        ServerProcess process = ServerProcess.startWithJvmOptions(jvmOptions, config);
        processes.add(process);
        return process;
    }

    /** So that Hazelcast keeps a frozen member for the whole test: only Parlance's own detection acts. */
    private static JsonObject frozenTolerant(JsonObject config) {
        config.getJsonObject("cluster").put("heartbeatTimeoutSeconds", 300);
        return config;
    }

    private static void signal(ServerProcess process, String signal) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.process().pid())).inheritIO().start();
        assertEquals(0, kill.waitFor());
    }

    /**
     * The README's plain Vert.x client ({@code examples/ClusterClient}) in a JVM of its own, joining
     * on {@code hazelcastPort} with {@code credentials} and classifying the seed text on model nli.
     */
    static Process clusterClient(String clusterName, int hazelcastPort, List<String> members,
                                 TestCertificates.Member credentials) throws java.io.IOException {
        return new ProcessBuilder("java", "-cp", System.getProperty("java.class.path"),
                "dev.parlance.examples.ClusterClient", clusterName, "127.0.0.1", Integer.toString(hazelcastPort),
                String.join(",", members), "nli", ClassificationTest.SEED_TEXT, "job,nature,space",
                credentials.p12().toString(), credentials.caPem().toString(), TestCertificates.PASSWORD)
                .redirectErrorStream(true).start();
    }

    static HttpResponse<Buffer> classify(WebClient client, JsonObject body) {
        return client.post("/api/v1/classification").putHeader("Authorization", "Token " + TestServer.TOKEN)
                .putHeader("X-Timeout-Ms", "15000").sendJson(body).await();
    }
}
