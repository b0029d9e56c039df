package dev.parlance;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class RootPathTest {

    static final JsonObject BODY = new JsonObject().put("text", "I love pizza").put("labels", new JsonArray().add("job"));

    @Test
    void rootPathFromTheConfigFile() {
        JsonObject config = TestServer.config(TestServer.nli("nli", "nli-tiny"));
        config.getJsonObject("http").put("rootPath", "/nlp/v2/");
        try (TestServer server = TestServer.start(config)) {
            assertEquals(200, server.postJson("/nlp/v2/classification", BODY).statusCode());
            assertEquals(200, server.postJson("/nlp/v2/nli/classification", BODY).statusCode());
            assertEquals(404, server.postJson("/api/v1/classification", BODY).statusCode());
        }
    }

    @Test
    void rootPathFromTheCommandLineWinsAndNlpCloudUrlsWork() {
        JsonObject config = TestServer.config(TestServer.nli("bart-large-mnli", "nli-tiny"));
        config.getJsonObject("http").put("rootPath", "/from-file");
        try (TestServer server = TestServer.start(config, "--root-path", "/v1")) {
            assertEquals(200, server.postJson("/v1/bart-large-mnli/classification", BODY).statusCode());
            assertEquals(404, server.postJson("/from-file/classification", BODY).statusCode());
        }
    }

    @Test
    void anEmptyRootPathServesAtTheTop() {
        try (TestServer server = TestServer.start(TestServer.config(TestServer.nli("nli", "nli-tiny")), "--root-path", "/")) {
            assertEquals(200, server.postJson("/classification", BODY).statusCode());
        }
    }
}
