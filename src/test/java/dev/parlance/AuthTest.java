package dev.parlance;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AuthTest {

    static TestServer server;
    static final JsonObject BODY = new JsonObject().put("text", "I love pizza").put("labels", new JsonArray().add("food"));

    @BeforeAll
    static void start() {
        // Tokens from the environment replace those of the file.
        server = TestServer.start(TestServer.config(TestServer.nli("nli", "nli-tiny")),
                Map.of("PARLANCE_API_TOKENS", "first-key, second-key"));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private HttpResponse<Buffer> send(String authorization) {
        var request = server.client.post("/api/v1/classification");
        if (authorization != null) {
            request.putHeader("Authorization", authorization);
        }
        return request.sendJson(BODY).await();
    }

    private static void refused(HttpResponse<Buffer> response) {
        assertEquals(401, response.statusCode());
        assertEquals("unauthorized", response.bodyAsJsonObject().getString("error"));
        assertTrue(response.headers().getAll("WWW-Authenticate").contains("Token realm=\"parlance\""));
        // Same words whatever was wrong, and never the offered token.
        assertEquals("a valid API token is required: send the header 'Authorization: Bearer <key>' or 'Authorization: Token <key>'",
                response.bodyAsJsonObject().getString("message"));
    }

    @Test
    void missingWrongOrMalformedTokensAreRefusedAlike() {
        refused(send(null));
        refused(send("Token wrong-key"));
        refused(send("Token " + TestServer.TOKEN)); // replaced by the environment
        refused(send("Basic Zmlyc3Qta2V5Og=="));
        refused(send("first-key"));
        refused(send("Token first-ke"));
        refused(send("Token first-key-and-more"));
    }

    @Test
    void tokenAndBearerSchemesBothWorkForEveryToken() {
        assertEquals(200, send("Token first-key").statusCode());
        assertEquals(200, send("Bearer first-key").statusCode());
        assertEquals(200, send("token second-key").statusCode());
        assertEquals(200, send("BEARER second-key").statusCode());
    }

    @Test
    void authComesBeforeRoutingSoUnknownRoutesRevealNothing() {
        HttpResponse<Buffer> response = server.client.post("/api/v1/secret-route").sendJson(BODY).await();
        assertEquals(401, response.statusCode());
    }
}
