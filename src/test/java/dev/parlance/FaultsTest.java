package dev.parlance;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Models that fail or hang, and model folders that are missing or broken. */
class FaultsTest {

    static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start(TestServer.config(TestServer.nli("throws", "nli-throws"),
                TestServer.nli("slow", "nli-slow")));
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
    void aModelThatHangsGives504AtTheDeadlineAndItsWorkerServesAgainAfterwards() {
        long start = System.nanoTime();
        Future<HttpResponse<Buffer>> hanging = server.post("/api/v1/slow/classification").putHeader("X-Timeout-Ms", "400")
                .sendJson(body("dawdle please"));
        // Queued behind the hanging pass on the only worker; its own deadline is generous.
        Future<HttpResponse<Buffer>> next = server.post("/api/v1/slow/classification").sendJson(body("I love pizza"));
        HttpResponse<Buffer> late = hanging.await();
        long waitedMs = (System.nanoTime() - start) / 1_000_000;
        assertEquals(504, late.statusCode());
        assertTrue(waitedMs < 1500, "the caller is answered at its deadline, not when the model returns: " + waitedMs + " ms");
        assertEquals(200, next.await().statusCode(), "the worker serves again once the pass is over");
        assertEquals(200, server.postJson("/api/v1/slow/classification", body("I love pizza")).statusCode());
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
