package dev.parlance.http;

import dev.parlance.bus.Dispatcher;
import dev.parlance.config.ParlanceConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;

import java.util.concurrent.TimeUnit;

/**
 * The HTTP API on an event loop; deployed once per core, all instances sharing the port.
 * It knows nothing of models or tensors: it validates, then hands jobs to the event bus.
 * On a node without the http role it serves only the probes and metrics.
 */
public final class HttpVerticle extends VerticleBase {

    private final ParlanceConfig config;
    private final PrometheusMeterRegistry registry;
    private final Health health;
    private final Dispatcher dispatcher;
    private HttpServer server;

    /**
     * @param registry   where /metrics reads from; null for no /metrics
     * @param dispatcher how jobs reach models; null for a node that serves only probes and metrics
     */
    public HttpVerticle(ParlanceConfig config, PrometheusMeterRegistry registry, Health health, Dispatcher dispatcher) {
        this.config = config;
        this.registry = registry;
        this.health = health;
        this.dispatcher = dispatcher;
    }

    @Override
    public Future<?> start() {
        HttpServerOptions options = new HttpServerOptions()
                .setHost(config.http().host())
                .setPort(config.http().port())
                .setCompressionSupported(false)
                // HTTP/1.1 only: with h2c detection on, Vert.x hands a connection over only once
                // its first request is parsed, and a slow client could then hold it unseen.
                .setHttp2ClearTextEnabled(false)
                .setMaxHeaderSize(config.limits().maxHeaderBytes())
                .setMaxInitialLineLength(config.limits().maxUrlChars())
                .setIdleTimeout(config.limits().idleTimeoutMs())
                .setIdleTimeoutUnit(TimeUnit.MILLISECONDS);
        SlowClientGuard guard = new SlowClientGuard(vertx, config.limits().readTimeoutMs());
        server = vertx.createHttpServer(options)
                .connectionHandler(guard::watch)
                .invalidRequestHandler(SlowClientGuard::invalidRequest)
                .requestHandler(guard.around(ApiRouter.create(vertx, config, registry, health, dispatcher)));
        return server.listen();
    }

    /**
     * Stops accepting connections and lets requests in flight finish, for at most the
     * configured grace period; then whatever is left is closed.
     */
    @Override
    public Future<?> stop() {
        return server == null ? Future.succeededFuture()
                : server.shutdown(config.http().shutdownGraceMs(), TimeUnit.MILLISECONDS);
    }
}
