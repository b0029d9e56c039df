package dev.parlance;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The docs page in a real browser: Debian's headless Chromium (installed by scripts/test)
 * loads {root}/docs from the running server, with every network feature that could reach
 * past this machine switched off, renders it, and must list every endpoint of the OpenAPI
 * document. A screenshot is left in target/docs-screenshot.png.
 */
class DocsBrowserTest {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");

    private static List<String> chromium(Path profile, String... args) {
        List<String> command = new ArrayList<>(List.of(CHROMIUM.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--no-proxy-server", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-quic", "--no-first-run", "--user-data-dir=" + profile, "--virtual-time-budget=15000"));
        command.addAll(List.of(args));
        return command;
    }

    private static String run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        byte[] out = process.getInputStream().readAllBytes();
        assertTrue(process.waitFor(90, TimeUnit.SECONDS), "chromium finished");
        return new String(out, StandardCharsets.UTF_8);
    }

    @Test
    void theDocsPageListsEveryEndpointInARealBrowser() throws Exception {
        assertTrue(Files.isExecutable(CHROMIUM), "Chromium is needed: run the tests with scripts/test, which installs it");
        JsonObject config = TestServer.config(TestServer.embedded("minilm"), TestServer.nli("bart-large-mnli", "nli-tiny"),
                new JsonObject().put("name", "bert-base-NER").put("kind", "token-classification")
                        .put("source", TestServer.fixture("ner-tiny").toString()).put("workers", 1));
        try (TestServer server = TestServer.start(config)) {
            JsonObject openApi = server.client.get("/api/v1/openapi.json").send().await().bodyAsJsonObject();
            String url = "http://127.0.0.1:" + server.port + "/api/v1/docs/";
            Path profile = Files.createTempDirectory("chromium");
            String dom = run(chromium(profile, "--dump-dom", url));
            List<String> missing = new ArrayList<>();
            for (String path : openApi.getJsonObject("paths").fieldNames()) {
                if (!dom.contains("data-path=\"" + path + "\"")) {
                    missing.add(path);
                }
            }
            assertEquals(List.of(), missing, "endpoints the rendered page does not list");
            assertEquals(12, openApi.getJsonObject("paths").size());
            Path screenshot = Path.of("target", "docs-screenshot.png").toAbsolutePath();
            Files.deleteIfExists(screenshot);
            run(chromium(profile, "--window-size=1280,2200", "--screenshot=" + screenshot, url));
            assertTrue(Files.size(screenshot) > 10_000, "a screenshot was saved: " + screenshot);
        }
    }
}
