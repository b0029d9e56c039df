package dev.parlance;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 14's attack, against a cluster with credentials, on 127.0.0.1: a gateway and an
 * inference node with certificates of the cluster's CA; an impostor Parlance node with a
 * certificate of another CA; a rogue plain Vert.x JVM with only the cluster name (it joins
 * Hazelcast, which authenticates nobody, deletes the directory's entries, adds its own and calls
 * the model); and an event-bus client with a certificate of a third CA. Neither the rogue nor
 * the impostor gets a job, no HTTP client gets their answers, and neither they nor the client
 * can call the model; the real node serves every request.
 */
class ClusterSecurityTest {

    private static final Pattern ANNOUNCED = Pattern.compile("cluster node (\\S+) announces models");

    private final List<ServerProcess> processes = new ArrayList<>();
    private final List<Process> others = new ArrayList<>();
    private final String clusterName = "parlance-sec-" + UUID.randomUUID();
    private final int[] hazelcastPorts = {TestServer.freePort(), TestServer.freePort(), TestServer.freePort(),
            TestServer.freePort(), TestServer.freePort()};
    private final List<String> members = List.of("127.0.0.1:" + hazelcastPorts[0], "127.0.0.1:" + hazelcastPorts[1]);

    @AfterEach
    void stopAll() {
        processes.forEach(ServerProcess::close);
        others.forEach(Process::destroyForcibly);
    }

    private ServerProcess start(String role, int hazelcastPort, TestCertificates.Member credentials) {
        ServerProcess process = ServerProcess.start(ClusterTest.config(role, TestServer.freePort(), hazelcastPort, clusterName,
                members, credentials, true));
        processes.add(process);
        return process;
    }

    @Test
    void aMemberWithoutTheClustersCertificateGetsNoJobAndCannotAnswerOrCallAModel() throws Exception {
        TestCertificates ca = TestCertificates.ca("cluster-ca");
        TestCertificates otherCa = TestCertificates.ca("other-ca");
        TestCertificates thirdCa = TestCertificates.ca("third-ca");
        ServerProcess gateway = start("http", hazelcastPorts[0], ca.member("gateway"));
        gateway.await("/health/live", s -> s == 200, 90_000);
        ServerProcess node = start("inference", hazelcastPorts[1], ca.member("node-a"));
        node.awaitReady(90_000);
        gateway.awaitReady(90_000);
        ServerProcess impostor = start("inference", hazelcastPorts[2], otherCa.member("impostor"));
        impostor.awaitReady(90_000);
        String impostorId = announcedId(impostor);

        Process rogue = new ProcessBuilder("java", "-cp", System.getProperty("java.class.path"), RogueMember.class.getName(),
                clusterName, "127.0.0.1", Integer.toString(hazelcastPorts[3]), String.join(",", members), "nli")
                .redirectErrorStream(true).start();
        others.add(rogue);
        BlockingQueue<String> rogueOut = lines(rogue);
        String ready = lineStartingWith(rogueOut, "READY ");
        String rogueId = ready.split(" ")[1];
        assertTrue(Integer.parseInt(ready.split(" ")[2]) >= 2, "the rogue joined Hazelcast and read the directory: " + ready);
        // Meanwhile, an event-bus client whose certificate another CA signed.
        TestCertificates.Member stranger = thirdCa.member("stranger");
        Process client = ClusterTest.clusterClient(clusterName, hazelcastPorts[4], members, stranger);
        others.add(client);
        BlockingQueue<String> clientOut = lines(client);

        // The gateway has read both forged entries (it says so once per entry) before the requests.
        TestServer.await("the gateway ignores the rogue's and the impostor's entries", () ->
                gateway.log().contains("entry for " + rogueId + " that is not signed")
                        && gateway.log().contains("entry for " + impostorId + " that is not signed"));

        Vertx vertx = Vertx.vertx();
        try {
            WebClient http = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(gateway.port));
            JsonObject body = new JsonObject().put("text", ClassificationTest.SEED_TEXT)
                    .put("labels", new JsonArray().add("job").add("nature").add("space"));
            double before = node.metric("parlance_jobs_completed_total{model=\"nli\",task=\"classification\"}");
            for (int i = 0; i < 30; i++) {
                HttpResponse<Buffer> response = ClusterTest.classify(http, body);
                assertEquals(200, response.statusCode(), response.bodyAsString());
                assertEquals(Set.of("job", "nature", "space"),
                        Set.copyOf(response.bodyAsJsonObject().getJsonArray("labels").getList()), response.bodyAsString());
            }
            assertEquals(30, node.metric("parlance_jobs_completed_total{model=\"nli\",task=\"classification\"}") - before,
                    "the real node answered every request");
            assertEquals(0, impostor.metric("parlance_jobs_completed_total{model=\"nli\",task=\"classification\"}"),
                    "the impostor, signed by another CA, got no job");
        } finally {
            vertx.close().await();
        }

        String call = lineStartingWith(rogueOut, "CALL ");
        assertTrue(call.startsWith("CALL FAILED") && !call.contains("NO_HANDLERS"),
                "the rogue's call to the node's own address reached no consumer over the TLS bus: " + call);

        OutputStream toRogue = rogue.getOutputStream();
        toRogue.write("REPORT\n".getBytes(StandardCharsets.UTF_8));
        toRogue.flush();
        assertEquals("JOBS 0", lineStartingWith(rogueOut, "JOBS "), "the rogue received no job");
        assertTrue(rogue.waitFor(60, TimeUnit.SECONDS));

        // The client with a certificate of another CA: the bus refused it.
        String answer = line(clientOut, l -> l.startsWith("REPLY ") || l.startsWith("FAILED "));
        assertTrue(answer.startsWith("FAILED ") && !answer.contains("NO_HANDLERS"),
                "no answer for a certificate of another CA: " + answer);
        assertTrue(client.waitFor(60, TimeUnit.SECONDS));
    }

    @Test
    void anInsecureMemberStartsOnlyWhenToldAndSaysSoLoudly() throws Exception {
        JsonObject config = ClusterTest.config("inference", TestServer.freePort(), hazelcastPorts[0], clusterName,
                List.of("127.0.0.1:" + hazelcastPorts[0]), null, true);
        ServerProcess open = ServerProcess.start(config);
        processes.add(open);
        open.awaitReady(90_000);
        assertTrue(open.log().lines().anyMatch(l -> l.contains("WARN") && l.contains("INSECURE CLUSTER")), open.log());
        // Not a SIGTERM: readiness can turn 200 a moment before the signal handlers are installed.
        open.kill();

        config.getJsonObject("cluster").remove("insecure");
        ServerProcess refused = ServerProcess.start(config);
        processes.add(refused);
        assertTrue(refused.process().waitFor(60, TimeUnit.SECONDS));
        assertEquals(2, refused.process().exitValue());
        assertTrue(refused.log().contains("cluster.tls: a cluster member needs credentials"), refused.log());
    }

    private static String announcedId(ServerProcess process) throws InterruptedException {
        TestServer.await("the node announces its models", () -> ANNOUNCED.matcher(process.log()).find());
        Matcher m = ANNOUNCED.matcher(process.log());
        assertTrue(m.find());
        return m.group(1);
    }

    /** The lines a process prints, as they come, so that a test can wait for one with a bound. */
    private static BlockingQueue<String> lines(Process process) {
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread pump = new Thread(() -> {
            try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = out.readLine()) != null) {
                    lines.add(line);
                }
            } catch (java.io.IOException e) {
                // the process ended
            }
            lines.add(END);
        });
        pump.setDaemon(true);
        pump.start();
        return lines;
    }

    private static final String END = "\u0000end";

    private static String lineStartingWith(BlockingQueue<String> lines, String prefix) throws InterruptedException {
        return line(lines, l -> l.startsWith(prefix));
    }

    /** The next line the predicate accepts; the bound only stops a broken test. */
    private static String line(BlockingQueue<String> lines, Predicate<String> wanted) throws InterruptedException {
        StringBuilder seen = new StringBuilder();
        while (true) {
            String line = lines.poll(180, TimeUnit.SECONDS);
            if (line == null || line.equals(END)) {
                throw new AssertionError((line == null ? "timed out" : "the process ended") + " before the line wanted: " + seen);
            }
            if (wanted.test(line)) {
                return line;
            }
            seen.append(line).append('\n');
        }
    }
}
