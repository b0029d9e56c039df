package dev.parlance;

import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a tool of the ecosystem tests and returns what it printed. The npm packages (pinned in
 * src/test/node/package-lock.json) are installed by scripts/test with npm ci outside the source
 * tree, in {@code $PARLANCE_NODE_TOOLS} (default {@code ~/.cache/parlance/node-tools}): other
 * people's code, which has no place among the project's files. The scripts of src/test/node are
 * copied beside the packages before each run, so that Node resolves their imports there. A
 * run's stderr goes to target/&lt;name&gt;.stderr.txt, to read when a test fails.
 */
final class NodeTool {

    private static final Path SCRIPTS = Path.of("src", "test", "node").toAbsolutePath();
    /** Where scripts/test installs the packages; the tools run from here. */
    static final Path DIR = Path.of(System.getenv().getOrDefault("PARLANCE_NODE_TOOLS",
            System.getProperty("user.home") + "/.cache/parlance/node-tools")).toAbsolutePath();

    /** What a run printed on stdout, and its exit code. */
    record Result(int exitCode, String stdout, Path stderr) {
    }

    private NodeTool() {
    }

    /** Runs {@code node <script> <args>}, which must exit 0 and print one JSON object: what it got from the server. */
    static JsonObject runJson(String script, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("node", script));
        command.addAll(List.of(args));
        Result result = run(script.replace(".mjs", ""), command);
        if (result.exitCode() != 0) {
            throw new AssertionError(script + " failed (" + result.exitCode() + "): " + Files.readString(result.stderr()));
        }
        return new JsonObject(result.stdout());
    }

    /** Fails unless scripts/test installed the packages; puts the current scripts beside them. */
    static void requireInstalled() throws IOException {
        if (!Files.isDirectory(DIR.resolve("node_modules"))) {
            throw new AssertionError("the npm tools are missing: run the tests with scripts/test, which runs npm ci in " + DIR);
        }
        try (var scripts = Files.list(SCRIPTS)) {
            for (Path script : scripts.filter(p -> p.toString().endsWith(".mjs")).toList()) {
                Files.copy(script, DIR.resolve(script.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    /** Runs {@code command} in the tools' folder; the long timeout only stops a hung tool, it does not pace the test. */
    static Result run(String name, List<String> command) throws IOException, InterruptedException {
        requireInstalled();
        Path stderr = Path.of("target", name + ".stderr.txt").toAbsolutePath();
        Files.createDirectories(stderr.getParent());
        ProcessBuilder builder = new ProcessBuilder(command).directory(DIR.toFile())
                .redirectError(stderr.toFile());
        // Redocly would otherwise send usage data and look for a newer version on the internet.
        builder.environment().put("REDOCLY_TELEMETRY", "off");
        builder.environment().put("REDOCLY_SUPPRESS_UPDATE_NOTICE", "true");
        builder.environment().put("NO_COLOR", "1");
        Process process = builder.start();
        process.getOutputStream().close();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(300, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(name + " did not finish; see " + stderr);
        }
        return new Result(process.exitValue(), out, stderr);
    }
}
