package dev.parlance;

import dev.parlance.config.CommandLine;
import dev.parlance.config.ConfigLoader;
import dev.parlance.config.ParlanceConfig;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A real Parlance server for a test: its own Vert.x, a free loopback port, configuration
 * built through the same loader as production (file, environment, flags).
 */
public final class TestServer implements AutoCloseable {

    public static final String TOKEN = "test-token";

    public final Vertx vertx;
    public final ParlanceConfig config;
    public final PrometheusMeterRegistry registry;
    public final WebClient client;
    public final int port;

    private TestServer(Vertx vertx, ParlanceConfig config, PrometheusMeterRegistry registry) {
        this.vertx = vertx;
        this.config = config;
        this.registry = registry;
        this.port = config.http().port();
        this.client = WebClient.create(vertx, new WebClientOptions()
                .setDefaultHost("127.0.0.1").setDefaultPort(port), new PoolOptions().setHttp1MaxSize(256));
    }

    /** A test model folder from src/test/resources/models. */
    public static Path fixture(String name) {
        return Path.of("src", "test", "resources", "models", name).toAbsolutePath();
    }

    public static JsonObject embedded(String name) {
        return new JsonObject().put("name", name).put("kind", "embedding")
                .put("source", "classpath:all-minilm-l6-v2-q").put("workers", 2);
    }

    public static JsonObject nli(String name, String fixture) {
        return new JsonObject().put("name", name).put("kind", "nli")
                .put("source", fixture(fixture).toString()).put("workers", 1);
    }

    /** Loopback, the test token, HTTP on 2 event loops, and the given models. */
    public static JsonObject config(JsonObject... models) {
        return new JsonObject()
                .put("http", new JsonObject().put("host", "127.0.0.1").put("instances", 2))
                .put("auth", new JsonObject().put("tokens", new JsonArray().add(TOKEN)))
                .put("models", new JsonArray(List.of((Object[]) models)));
    }

    public static TestServer start(JsonObject config, String... args) {
        return start(config, Map.of(), args);
    }

    public static TestServer start(JsonObject config, Map<String, String> env, String... args) {
        Path file = writeTemp(config);
        List<String> all = new ArrayList<>(List.of("--config", file.toString(), "--port", Integer.toString(freePort())));
        all.addAll(List.of(args));
        ParlanceConfig parsed = ConfigLoader.load(CommandLine.parse(all.toArray(String[]::new)), env, 2);
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        Parlance parlance = Parlance.launch(parsed, registry).await();
        return new TestServer(parlance.vertx(), parsed, registry);
    }

    public HttpRequest<Buffer> post(String path) {
        return client.post(path).putHeader("Authorization", "Token " + TOKEN);
    }

    /** POST a JSON body with the test token; blocks the test thread, never an event loop. */
    public HttpResponse<Buffer> postJson(String path, Object body) {
        return post(path).sendJson(body).await();
    }

    /**
     * A Parlance counter of a model, e.g. {@code count("parlance.jobs.skipped", "m", "reason", "gone")}:
     * the sum over the labels not given (the task, say).
     */
    public double count(String name, String model, String... tags) {
        var search = registry.find(name).tag("model", model);
        for (int i = 0; i < tags.length; i += 2) {
            search = search.tag(tags[i], tags[i + 1]);
        }
        return search.counters().stream().mapToDouble(io.micrometer.core.instrument.Counter::count).sum();
    }

    /** Waits for a condition that an event will make true; the deadline only stops a broken test. */
    public static void await(String what, java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 300_000;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.sleep(10);
        }
    }

    /** A Parlance gauge of a model, e.g. {@code gauge("parlance.jobs.running", "m")}; NaN when absent. */
    public double gauge(String name, String model) {
        var gauge = registry.find(name).tag("model", model).gauge();
        return gauge == null ? Double.NaN : gauge.value();
    }

    /**
     * A free port below the kernel's ephemeral range. A port handed out by the kernel (port 0)
     * is free now but can be taken again at any moment by an outgoing connection or another
     * port-0 listener (the clustered event bus binds one) before the process meant for it binds.
     */
    public static int freePort() {
        for (int attempt = 0; attempt < 1000; attempt++) {
            int port = 20_000 + java.util.concurrent.ThreadLocalRandom.current().nextInt(12_000);
            try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
                return socket.getLocalPort();
            } catch (IOException taken) {
                // try another
            }
        }
        throw new IllegalStateException("no free port between 20000 and 32000");
    }

    private static Path writeTemp(JsonObject config) {
        try {
            Path file = Files.createTempFile("parlance-test", ".json");
            file.toFile().deleteOnExit();
            Files.writeString(file, config.encodePrettily());
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        client.close();
        vertx.close().await();
    }
}
