package dev.parlance;

import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs a script of src/test/node with Node.js: the ecosystem's own tools (npm clients, linters)
 * against a real server. scripts/test installs their pinned versions with npm ci.
 */
public final class NodeScript {

    public static final Path DIR = Path.of("src", "test", "node").toAbsolutePath();

    private NodeScript() {
    }

    /** Runs {@code node <script> <args>} and returns what it printed, which must be one JSON object. */
    public static JsonObject runJson(String script, String... args) throws IOException, InterruptedException {
        return new JsonObject(run(script, args));
    }

    /** Runs the script; it must exit 0 within 3 minutes. Returns its standard output. */
    public static String run(String script, String... args) throws IOException, InterruptedException {
        assertTrue(Files.isDirectory(DIR.resolve("node_modules")),
                "the npm tools are missing: run the tests with scripts/test, which installs them (npm ci in src/test/node)");
        List<String> command = new ArrayList<>(List.of("node", DIR.resolve(script).toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).directory(DIR.toFile()).start();
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(process.getErrorStream()));
        String out = read(process.getInputStream());
        assertTrue(process.waitFor(3, TimeUnit.MINUTES), script + " finished");
        assertEquals(0, process.exitValue(), script + " failed: " + err.join());
        return out;
    }

    private static String read(java.io.InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
