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
    private final Health health;
    private final Dispatcher dispatcher;
    private final Shared shared;
    private HttpServer server;

    /**
     * What all HTTP verticles of one process share, so that their caps hold for the process.
     *
     * @param metrics null when there is no /metrics
     */
    public record Shared(InFlightBudget budget, MetricsEndpoint metrics) {

        public static Shared create(ParlanceConfig config, PrometheusMeterRegistry registry) {
            InFlightBudget budget = new InFlightBudget(config.limits().maxConnections(), config.limits().maxInFlightBytes(),
                    config.limits().maxBodyBytes());
            if (registry == null) {
                return new Shared(budget, null);
            }
            budget.report(registry);
            return new Shared(budget, new MetricsEndpoint(registry, config.limits().maxConcurrentScrapes()));
        }
    }

    /**
     * @param dispatcher how jobs reach models; null for a node that serves only probes and metrics
     * @param shared     the same for every instance of this process
     */
    public HttpVerticle(ParlanceConfig config, Health health, Dispatcher dispatcher, Shared shared) {
        this.config = config;
        this.health = health;
        this.dispatcher = dispatcher;
        this.shared = shared;
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
                .connectionHandler(connection -> {
                    if (shared.budget().admit(connection)) {
                        guard.watch(connection);
                        connection.closeHandler(v -> {
                            shared.budget().closed();
                            guard.forget(connection);
                        });
                    }
                })
                .invalidRequestHandler(SlowClientGuard::invalidRequest)
                .requestHandler(guard.around(ApiRouter.create(vertx, config, shared, health, dispatcher, guard)));
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
