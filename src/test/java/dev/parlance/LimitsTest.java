package dev.parlance;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Token-length policy per model, and CORS: off by default, an allow-list when configured. */
class LimitsTest {

    @Test
    void aTextOverTheTokenLimitIsTruncatedOrRejectedAsTheModelSays() {
        JsonObject config = TestServer.config(
                TestServer.embedded("truncating").put("maxTokens", 16),
                TestServer.embedded("strict").put("maxTokens", 16).put("tooLong", "reject"),
                new JsonObject().put("name", "ner").put("kind", "token-classification").put("workers", 1)
                        .put("source", TestServer.fixture("ner-tiny").toString()).put("maxTokens", 16).put("stride", 4)
                        .put("tooLong", "reject"));
        try (TestServer server = TestServer.start(config)) {
            String longText = "this sentence is clearly much longer than sixteen tokens of the model by design ok";
            JsonObject body = new JsonObject().put("text", longText).put("labels", new JsonArray().add("x"));
            assertEquals(200, server.postJson("/api/v1/truncating/classification", body).statusCode());
            HttpResponse<Buffer> rejected = server.postJson("/api/v1/strict/classification", body);
            assertEquals(400, rejected.statusCode());
            assertEquals("invalid_input", rejected.bodyAsJsonObject().getString("error"));
            assertTrue(rejected.bodyAsJsonObject().getString("message").contains("16 tokens"));
            assertEquals(400, server.postJson("/api/v1/strict/embeddings",
                    new JsonObject().put("sentences", new JsonArray().add("short").add(longText))).statusCode());
            assertEquals(200, server.postJson("/api/v1/strict/classification",
                    new JsonObject().put("text", "short").put("labels", new JsonArray().add("x"))).statusCode());
            // Entities never truncate: long texts are read in windows whatever the policy.
            assertEquals(200, server.postJson("/api/v1/ner/entities",
                    new JsonObject().put("text", "John Doe works at Google in Paris. ".repeat(10))).statusCode());
        }
    }

    @Test
    void corsIsOffByDefault() {
        try (TestServer server = TestServer.start(TestServer.config(TestServer.nli("nli", "nli-tiny")))) {
            HttpResponse<Buffer> preflight = server.client.request(HttpMethod.OPTIONS, "/api/v1/classification")
                    .putHeader("Origin", "https://app.example.com")
                    .putHeader("Access-Control-Request-Method", "POST").send().await();
            assertNull(preflight.getHeader("Access-Control-Allow-Origin"));
            HttpResponse<Buffer> post = server.post("/api/v1/classification").putHeader("Origin", "https://app.example.com")
                    .sendJson(new JsonObject().put("text", "a").put("labels", new JsonArray().add("b"))).await();
            assertNull(post.getHeader("Access-Control-Allow-Origin"));
        }
    }

    @Test
    void corsAllowsExactlyTheConfiguredOrigins() {
        JsonObject config = TestServer.config(TestServer.nli("nli", "nli-tiny"));
        config.getJsonObject("http").put("corsOrigins", new JsonArray().add("https://app.example.com"));
        try (TestServer server = TestServer.start(config)) {
            HttpResponse<Buffer> allowed = server.client.request(HttpMethod.OPTIONS, "/api/v1/classification")
                    .putHeader("Origin", "https://app.example.com")
                    .putHeader("Access-Control-Request-Method", "POST")
                    .putHeader("Access-Control-Request-Headers", "authorization,content-type").send().await();
            assertEquals("https://app.example.com", allowed.getHeader("Access-Control-Allow-Origin"));
            assertTrue(allowed.getHeader("Access-Control-Allow-Headers").toLowerCase().contains("authorization"));
            HttpResponse<Buffer> other = server.client.request(HttpMethod.OPTIONS, "/api/v1/classification")
                    .putHeader("Origin", "https://evil.example.net")
                    .putHeader("Access-Control-Request-Method", "POST").send().await();
            assertNull(other.getHeader("Access-Control-Allow-Origin"));
            HttpResponse<Buffer> post = server.post("/api/v1/classification").putHeader("Origin", "https://app.example.com")
                    .sendJson(new JsonObject().put("text", "a").put("labels", new JsonArray().add("b"))).await();
            assertEquals(200, post.statusCode());
            assertEquals("https://app.example.com", post.getHeader("Access-Control-Allow-Origin"));
        }
    }
}
