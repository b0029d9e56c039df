package dev.parlance;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Models that fail, hang or run out of memory, callers who leave, and model folders that are missing or broken. */
class FaultsTest {

    static TestServer server;

    @BeforeAll
    static void start() {
        JsonObject config = TestServer.config(TestServer.nli("throws", "nli-throws"), TestServer.nli("slow", "nli-slow"));
        // The slow pass takes as long as this machine needs for its matrix products (seconds, and
        // more when other work shares the cores): requests queued behind it get a deadline that no
        // machine reaches, so only the request that asks for a short one times out.
        config.put("limits", new JsonObject().put("requestTimeoutMs", 600_000));
        server = TestServer.start(config);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static JsonObject body(String text) {
        return new JsonObject().put("text", text).put("labels", new JsonArray().add("job").add("space"));
    }

    @Test
    void aModelThatThrowsGives500WithAnIdAndItsWorkerServesTheNextRequest() {
        HttpResponse<Buffer> failed = server.postJson("/api/v1/throws/classification", body("explode now"));
        assertEquals(500, failed.statusCode());
        assertEquals("internal", failed.bodyAsJsonObject().getString("error"));
        assertNotNull(failed.bodyAsJsonObject().getString("id"));
        for (int i = 0; i < 3; i++) {
            assertEquals(200, server.postJson("/api/v1/throws/classification", body("I love pizza")).statusCode(),
                    "the one worker keeps serving");
        }
        assertEquals(1, server.count("parlance.jobs.failed", "throws", "reason", "internal"));
    }

    @Test
    void aModelThatHangsGives504AtTheDeadlineAndItsWorkerServesAgainAfterwards() throws Exception {
        Future<HttpResponse<Buffer>> hanging = server.post("/api/v1/slow/classification").putHeader("X-Timeout-Ms", "400")
                .sendJson(body("dawdle please"));
        TestServer.await("the hanging pass runs", () -> server.gauge("parlance.jobs.running", "slow") == 1.0);
        // Queued behind the hanging pass on the only worker.
        Future<HttpResponse<Buffer>> next = server.post("/api/v1/slow/classification").sendJson(body("I love pizza"));
        HttpResponse<Buffer> late = hanging.await();
        assertEquals(504, late.statusCode());
        // The 504 came from the deadline, not from the model: the pass is still running. (It is
        // seconds of matrix products; 400 ms is far less on any machine, and load only slows it.)
        assertEquals(1.0, server.gauge("parlance.jobs.running", "slow"),
                "the caller is answered at its deadline while the model still works");
        assertEquals(200, next.await().statusCode(), "the worker serves again once the pass is over");
        assertEquals(200, server.postJson("/api/v1/slow/classification", body("I love pizza")).statusCode());
    }

    /**
     * A client that hangs up while its job waits: the job is skipped, and the access log says
     * 499 (the client closed), not 200 as if it had been answered.
     */
    @Test
    void aCallerWhoLeavesIsSkippedAndLoggedAs499() throws Exception {
        ListAppender<ILoggingEvent> access = new ListAppender<>();
        access.start();
        Logger logger = (Logger) LoggerFactory.getLogger("parlance.access");
        logger.addAppender(access);
        double goneBefore = server.count("parlance.jobs.skipped", "slow", "reason", "gone");
        try (Socket busy = new Socket(); Socket leaving = new Socket()) {
            busy.connect(new InetSocketAddress("127.0.0.1", server.port));
            busy.getOutputStream().write(raw(body("dawdle please"), "busy-1").getBytes(StandardCharsets.UTF_8));
            TestServer.await("the slow pass runs", () -> server.gauge("parlance.jobs.running", "slow") == 1.0);
            leaving.connect(new InetSocketAddress("127.0.0.1", server.port));
            leaving.getOutputStream().write(raw(body("I love pizza"), "gone-1").getBytes(StandardCharsets.UTF_8));
            TestServer.await("the second job waits in the queue", () -> server.gauge("parlance.queue.depth", "slow") == 1.0);
            leaving.close();
            TestServer.await("the job of the caller who left is skipped",
                    () -> server.count("parlance.jobs.skipped", "slow", "reason", "gone") == goneBefore + 1);
            busy.setSoTimeout(600_000);
            String answer = HardeningTest.readResponse(busy.getInputStream());
            assertTrue(answer.startsWith("HTTP/1.1 200"), answer);
            // The line is written once the response is handed to the socket: the client may read first.
            TestServer.await("both access log lines are written", () -> accessLines(access).size() == 2);
        } finally {
            logger.detachAppender(access);
        }
        assertEquals(499, accessLine(access, "gone-1").getInteger("status"));
        assertEquals(200, accessLine(access, "busy-1").getInteger("status"));
    }

    private static List<JsonObject> accessLines(ListAppender<ILoggingEvent> access) {
        List<ILoggingEvent> events;
        synchronized (access) { // the appender appends under its own lock
            events = List.copyOf(access.list);
        }
        return events.stream().map(e -> new JsonObject(e.getFormattedMessage()))
                .filter(j -> List.of("gone-1", "busy-1").contains(j.getString("id"))).toList();
    }

    private static String raw(JsonObject body, String requestId) {
        String json = body.encode();
        return "POST /api/v1/slow/classification HTTP/1.1\r\nHost: x\r\nAuthorization: Token " + TestServer.TOKEN
                + "\r\nX-Request-Id: " + requestId + "\r\nContent-Type: application/json\r\nContent-Length: "
                + json.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + json;
    }

    private static JsonObject accessLine(ListAppender<ILoggingEvent> access, String id) {
        return List.copyOf(access.list).stream().map(e -> new JsonObject(e.getFormattedMessage()))
                .filter(j -> id.equals(j.getString("id"))).findFirst()
                .orElseThrow(() -> new AssertionError("no access log line for " + id + ": " + access.list));
    }

    /**
     * A real Error on a worker thread: "hoard" makes the model's output 400 MB, which a JVM
     * with a 160 MB heap cannot copy into an array (OutOfMemoryError). The job gets 500; the
     * worker lives on, the server stays ready and answers the next request.
     */
    @Test
    void aWorkerSurvivesAnOutOfMemoryErrorAndTheServerStaysReady() throws Exception {
        JsonObject config = TestServer.config(TestServer.nli("hoard", "nli-hoard"));
        config.getJsonObject("http").put("port", TestServer.freePort());
        try (ServerProcess process = ServerProcess.startWithJvmOptions(List.of("-Xmx160m"), config)) {
            process.awaitReady(120_000);
            HttpResponse<Buffer> failed = server.client.post(process.port, "127.0.0.1", "/api/v1/classification")
                    .putHeader("Authorization", "Token " + TestServer.TOKEN).sendJson(body("hoard it all")).await();
            assertEquals(500, failed.statusCode(), failed.bodyAsString());
            assertEquals("internal", failed.bodyAsJsonObject().getString("error"));
            // The worker answers its jobs first and logs the error after: wait for the line, not for a time.
            TestServer.await("the error logged was a real OutOfMemoryError", () -> process.log().contains("OutOfMemoryError"));
            assertEquals(200, process.status("/health/ready"), "its worker is alive: " + process.get("/health/ready"));
            for (int i = 0; i < 3; i++) {
                HttpResponse<Buffer> ok = server.client.post(process.port, "127.0.0.1", "/api/v1/classification")
                        .putHeader("Authorization", "Token " + TestServer.TOKEN).sendJson(body("I love pizza")).await();
                assertEquals(200, ok.statusCode(), ok.bodyAsString());
                assertEquals(2, ok.bodyAsJsonObject().getJsonArray("scores").size());
            }
        }
    }

    private static String startFailure(JsonObject model) {
        RuntimeException e = assertThrows(RuntimeException.class, () -> TestServer.start(TestServer.config(model)).close());
        return e.getMessage();
    }

    @Test
    void aMissingModelFolderStopsTheStartNamingIt() {
        String message = startFailure(new JsonObject().put("name", "ghost").put("kind", "nli").put("source", "/no/such/folder"));
        assertTrue(message.contains("ghost") && message.contains("/no/such/folder") && message.contains("does not exist"), message);
    }

    @Test
    void brokenModelFilesStopTheStartNamingThem() throws Exception {
        Path broken = Files.createTempDirectory("broken-model");
        Files.copy(TestServer.fixture("nli-tiny").resolve("tokenizer.json"), broken.resolve("tokenizer.json"));
        Files.copy(TestServer.fixture("nli-tiny").resolve("config.json"), broken.resolve("config.json"));
        Files.writeString(broken.resolve("model.onnx"), "this is not an ONNX file");
        String message = startFailure(new JsonObject().put("name", "corrupt").put("kind", "nli").put("source", broken.toString()));
        assertTrue(message.contains("corrupt") && message.contains(broken.toString()) && message.contains("cannot be loaded"), message);

        Files.copy(TestServer.fixture("nli-tiny").resolve("model.onnx"), broken.resolve("model.onnx"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.writeString(broken.resolve("tokenizer.json"), "{\"truncated\": ");
        message = startFailure(new JsonObject().put("name", "bad-tokenizer").put("kind", "nli").put("source", broken.toString()));
        assertTrue(message.contains("bad-tokenizer") && message.contains(broken.toString()), message);

        Files.delete(broken.resolve("config.json"));
        message = startFailure(new JsonObject().put("name", "no-config").put("kind", "token-classification")
                .put("source", broken.toString()));
        assertTrue(message.contains("no-config") && message.contains("config.json is missing"), message);
    }
}
