package dev.parlance;

import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.IntPredicate;

/** A Parlance server in its own JVM (dev.parlance.Main on the test class path), for tests that need processes. */
public final class ServerProcess implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    public final int port;
    public final Path log;
    private final Process process;

    private ServerProcess(int port, Path log, Process process) {
        this.port = port;
        this.log = log;
        this.process = process;
    }

    public static ServerProcess start(JsonObject config, String... args) {
        return startWithJvmOptions(List.of(), config, args);
    }

    /** @param jvmOptions options for the server's JVM, e.g. a small {@code -Xmx} */
    public static ServerProcess startWithJvmOptions(List<String> jvmOptions, JsonObject config, String... args) {
        try {
            Path file = Files.createTempFile("parlance-process", ".json");
            Files.writeString(file, config.encode());
            Path log = Files.createTempFile("parlance-process", ".log");
            List<String> command = new ArrayList<>(List.of("java"));
            // The production logging, not the tests' quiet one: these tests read the server's own log.
            command.add("-Dlogback.configurationFile=" + Path.of("src", "main", "resources", "logback.xml").toAbsolutePath());
            command.addAll(jvmOptions);
            command.addAll(List.of("-cp", System.getProperty("java.class.path"), "dev.parlance.Main", "--config", file.toString()));
            command.addAll(List.of(args));
            Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            return new ServerProcess(config.getJsonObject("http").getInteger("port"), log, process);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The status of GET path, or -1 when nothing answers. */
    public int status(String path) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    public String get(String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    /** Waits until GET path answers a status the predicate accepts. */
    public void await(String path, IntPredicate accepted, long timeoutMs) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMs;
        while (System.currentTimeMillis() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("server exited: " + log());
            }
            if (accepted.test(status(path))) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("timed out waiting for " + path + ": " + log());
    }

    public void awaitReady(long timeoutMs) throws InterruptedException {
        await("/health/ready", s -> s == 200, timeoutMs);
    }

    /** A Parlance counter from this server's /metrics, 0 when absent. */
    public double metric(String line) throws IOException, InterruptedException {
        for (String l : get("/metrics").split("\n")) {
            if (l.startsWith(line + " ")) {
                return Double.parseDouble(l.substring(line.length() + 1).trim());
            }
        }
        return 0;
    }

    public Process process() {
        return process;
    }

    /** SIGTERM, then waits for the exit code. */
    public int terminate() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("did not stop: " + log());
        }
        return process.exitValue();
    }

    /** SIGKILL: a crash, no goodbye. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    public String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return e.toString();
        }
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}
