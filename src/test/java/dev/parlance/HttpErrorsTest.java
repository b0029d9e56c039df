package dev.parlance;

import dev.parlance.bus.Schemas;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every error status of the API, each with its JSON body; and the server keeps serving. */
class HttpErrorsTest {

    static TestServer server;
    static Schemas schemas;

    @BeforeAll
    static void start() throws IOException {
        // An NLI model whose config names an entailment index the model does not have: a
        // realistic misconfiguration that fails inside the worker, for the 500 path.
        Path broken = Files.createTempDirectory("nli-broken");
        for (String f : new String[] {"model.onnx", "tokenizer.json"}) {
            Files.copy(TestServer.fixture("nli-tiny").resolve(f), broken.resolve(f));
        }
        Files.writeString(broken.resolve("config.json"), "{\"label2id\": {\"entailment\": 7}}");
        JsonObject config = TestServer.config(TestServer.embedded("minilm"), TestServer.nli("nli", "nli-tiny"),
                new JsonObject().put("name", "broken").put("kind", "nli").put("source", broken.toString()));
        config.put("limits", new JsonObject().put("maxBodyBytes", 4096).put("maxLabels", 3).put("maxTextChars", 1000));
        server = TestServer.start(config);
        schemas = Schemas.load(server.config.limits());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static JsonObject error(HttpResponse<Buffer> response, int status, String code) {
        assertEquals(status, response.statusCode(), response.bodyAsString());
        assertEquals("application/json", response.getHeader("content-type"));
        JsonObject body = response.bodyAsJsonObject();
        ResponseSchemas.assertError(schemas, body);
        assertEquals(code, body.getString("error"), body.encode());
        assertFalse(body.getString("message").contains("Exception"), "no internals leak: " + body);
        return body;
    }

    private static JsonObject valid() {
        return new JsonObject().put("text", "I love pizza").put("labels", new JsonArray().add("food").add("sport"));
    }

    @Test
    void validationErrorsNameTheField() {
        assertEquals("/text", error(server.postJson("/api/v1/classification", valid().put("text", "")), 400, "validation")
                .getString("path"));
        assertEquals("/text", error(server.postJson("/api/v1/classification", valid().put("text", 42)), 400, "validation")
                .getString("path"));
        assertEquals("/text", error(server.postJson("/api/v1/classification", new JsonObject()
                .put("labels", new JsonArray().add("a"))), 400, "validation").getString("path"));
        assertEquals("/labels", error(server.postJson("/api/v1/classification", valid().put("labels", new JsonArray())),
                400, "validation").getString("path"));
        assertEquals("/labels/1", error(server.postJson("/api/v1/classification",
                valid().put("labels", new JsonArray().add("ok").add(""))), 400, "validation").getString("path"));
        assertEquals("/multi_class", error(server.postJson("/api/v1/classification", valid().put("multi_class", "yes")),
                400, "validation").getString("path"));
        assertEquals("", error(server.postJson("/api/v1/classification", new JsonArray().add(1)), 400, "validation")
                .getString("path"));
    }

    @Test
    void validationMessagesArePlainSentences() {
        assertEquals("/labels: must have at least 1 item", error(server.postJson("/api/v1/classification",
                valid().put("labels", new JsonArray())), 400, "validation").getString("message"));
        assertEquals("/labels: must have at most 3 items", error(server.postJson("/api/v1/classification",
                valid().put("labels", new JsonArray().add("a").add("b").add("c").add("d"))), 400, "validation")
                .getString("message"));
        assertEquals("/text: is required", error(server.postJson("/api/v1/classification", new JsonObject()
                .put("labels", new JsonArray().add("a"))), 400, "validation").getString("message"));
        assertEquals("/text: must be a string", error(server.postJson("/api/v1/classification", valid().put("text", 42)),
                400, "validation").getString("message"));
    }

    @Test
    void limitsFromConfigAreEnforcedBySchema() {
        JsonObject tooMany = error(server.postJson("/api/v1/classification",
                valid().put("labels", new JsonArray().add("a").add("b").add("c").add("d"))), 400, "validation");
        assertEquals("/labels", tooMany.getString("path"));
        assertEquals("/text", error(server.postJson("/api/v1/classification", valid().put("text", "x".repeat(1001))),
                400, "validation").getString("path"));
    }

    @Test
    void malformedJsonIs400() {
        error(server.post("/api/v1/classification").putHeader("content-type", "application/json")
                .sendBuffer(Buffer.buffer("{\"text\": \"abc\"")).await(), 400, "malformed_json");
        error(server.post("/api/v1/classification").putHeader("content-type", "application/json")
                .sendBuffer(Buffer.buffer("")).await(), 400, "malformed_json");
    }

    @Test
    void commentsAreMalformedJson() {
        error(server.post("/api/v1/classification").putHeader("content-type", "application/json")
                .sendBuffer(Buffer.buffer("{\"text\": \"I love pizza\", /* a note */ \"labels\": [\"food\"]}")).await(),
                400, "malformed_json");
        error(server.post("/api/v1/classification").putHeader("content-type", "application/json")
                .sendBuffer(Buffer.buffer("{\"text\": \"I love pizza\", // a note\n \"labels\": [\"food\"]}")).await(),
                400, "malformed_json");
        // The "]" of a comment must not cancel the "[" that follow it in the nesting count.
        String hidden = "{\"text\": \"I love pizza\", \"labels\": [\"food\"], \"multi_class\": /*" + "]".repeat(900)
                + "*/ " + "[".repeat(900) + "]".repeat(900) + "}";
        error(server.post("/api/v1/classification").putHeader("content-type", "application/json")
                .sendBuffer(Buffer.buffer(hidden)).await(), 400, "malformed_json");
        assertEquals(200, server.postJson("/api/v1/classification", valid()).statusCode());
    }

    @Test
    void bodyTooLargeIs413() {
        error(server.postJson("/api/v1/classification", valid().put("text", "x".repeat(5000))), 413, "body_too_large");
    }

    @Test
    void notJsonIs415() {
        error(server.post("/api/v1/classification").putHeader("content-type", "text/plain")
                .sendBuffer(Buffer.buffer("hello")).await(), 415, "unsupported_media_type");
        error(server.post("/api/v1/classification").sendBuffer(Buffer.buffer(valid().encode())).await(),
                415, "unsupported_media_type");
    }

    @Test
    void unknownRoutesAndModelsAre404() {
        error(server.postJson("/api/v1/summarization", valid()), 404, "not_found");
        error(server.postJson("/elsewhere", valid()), 404, "not_found");
        assertTrue(error(server.postJson("/api/v1/nope/classification", valid()), 404, "unknown_model")
                .getString("message").contains("nope"));
    }

    @Test
    void wrongMethodIs405() {
        error(server.client.get("/api/v1/classification").putHeader("Authorization", "Token " + TestServer.TOKEN)
                .send().await(), 405, "method_not_allowed");
    }

    @Test
    void internalErrorsAre500WithAnErrorIdAndTheServerKeepsServing() {
        JsonObject body = error(server.postJson("/api/v1/broken/classification", valid()), 500, "internal");
        assertNotNull(body.getString("id"));
        assertFalse(body.encode().contains("entailment index"), "the cause stays in the log");
        assertEquals(200, server.postJson("/api/v1/nli/classification", valid()).statusCode());
    }

    @Test
    void pastTheDeadlineIs504() {
        JsonObject body = valid().put("text", "word ".repeat(190));
        error(server.post("/api/v1/minilm/classification").putHeader("X-Timeout-Ms", "1").sendJson(body).await(),
                504, "deadline_exceeded");
        assertEquals(200, server.postJson("/api/v1/minilm/classification", body).statusCode());
    }

    @Test
    void aModelWithoutWorkersIs503WithRetryAfter() throws Exception {
        // An HTTP gateway whose model has no inference side anywhere: nobody consumes its address.
        JsonObject config = TestServer.config(TestServer.embedded("remote-only"));
        var parsed = dev.parlance.config.ParlanceConfig.parse(
                config.put("http", config.getJsonObject("http").put("port", TestServer.freePort())), 2, null);
        io.vertx.core.Vertx vertx = io.vertx.core.Vertx.vertx();
        try {
            dev.parlance.bus.Codecs.register(vertx);
            vertx.deployVerticle(new dev.parlance.http.HttpVerticle(parsed, new dev.parlance.http.Health(),
                    new dev.parlance.bus.LocalDispatcher(vertx), dev.parlance.http.HttpVerticle.Shared.create(parsed, null))).await();
            var client = io.vertx.ext.web.client.WebClient.create(vertx);
            HttpResponse<Buffer> response = client.post(parsed.http().port(), "127.0.0.1", "/api/v1/classification")
                    .putHeader("Authorization", "Token " + TestServer.TOKEN).sendJson(valid()).await();
            error(response, 503, "overloaded");
            assertEquals("1", response.getHeader("Retry-After"));
        } finally {
            vertx.close().await();
        }
    }
}
