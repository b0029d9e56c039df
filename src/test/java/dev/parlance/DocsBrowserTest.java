package dev.parlance;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The docs page in a real browser, used as a FastAPI user would: Playwright drives Debian's
 * headless Chromium (installed by scripts/test) with every network feature that could reach
 * past this machine switched off, and any request off the server's own host aborted
 * (src/test/node/docs-try-it-out.mjs). The page must list every path of the OpenAPI document;
 * Authorize takes the bare key in the Bearer field; "Try it out" on classification, with the
 * prefilled example, must show a 200 with labels. A screenshot is left in target/docs-screenshot.png.
 */
class DocsBrowserTest {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");

    @Test
    void theDocsPageListsEveryEndpointAndTryItOutWorksWithTheBareKey() throws Exception {
        assertTrue(Files.isExecutable(CHROMIUM), "Chromium is needed: run the tests with scripts/test, which installs it");
        JsonObject config = TestServer.config(TestServer.embedded("minilm"), TestServer.nli("bart-large-mnli", "nli-tiny"),
                new JsonObject().put("name", "bert-base-NER").put("kind", "token-classification")
                        .put("source", TestServer.fixture("ner-tiny").toString()).put("workers", 1));
        try (TestServer server = TestServer.start(config)) {
            JsonObject openApi = server.client.get("/api/v1/openapi.json").send().await().bodyAsJsonObject();
            String url = "http://127.0.0.1:" + server.port + "/api/v1/docs/";
            Path screenshot = Path.of("target", "docs-screenshot.png").toAbsolutePath();
            Files.createDirectories(screenshot.getParent());
            Files.deleteIfExists(screenshot);
            // Swagger UI's element id of an operation: operations-<tag>-<operationId>.
            NodeTool.Result run = NodeTool.run("docs-browser", List.of("node", "docs-try-it-out.mjs", url,
                    TestServer.TOKEN, "operations-classification-classification", screenshot.toString()));
            assertEquals(0, run.exitCode(), "the browser run failed; see " + run.stderr());
            JsonObject page = new JsonObject(run.stdout());

            Set<String> documented = new TreeSet<>(openApi.getJsonObject("paths").fieldNames());
            assertEquals(16, documented.size(), "12 routes of the three models, and tokenize on each of them and on the default");
            assertEquals(documented, new TreeSet<>(page.getJsonArray("paths").getList()), "the paths the page lists");
            assertEquals(new JsonArray(), page.getJsonArray("outsideRequests"), "requests off the server's host");

            JsonObject sent = new JsonObject(page.getString("requestBody"));
            assertEquals("John is a very good football player", sent.getString("text"), "the prefilled example");
            assertTrue(page.getString("curl").contains("-H 'Authorization: Bearer " + TestServer.TOKEN + "'"),
                    "the page sends the bare key as a Bearer token: " + page.getString("curl"));
            assertEquals("200", page.getString("status"), page.getString("responseBody"));
            JsonObject answer = new JsonObject(page.getString("responseBody"));
            assertEquals(new TreeSet<>(sent.getJsonArray("labels").getList()),
                    new TreeSet<>(answer.getJsonArray("labels").getList()), "the answer ranks the labels sent");
            assertEquals("sport", answer.getJsonArray("labels").getString(0));
            assertTrue(Files.size(screenshot) > 10_000, "a screenshot was saved: " + screenshot);
        }
    }
}
