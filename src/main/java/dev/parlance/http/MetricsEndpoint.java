package dev.parlance.http;

import dev.parlance.bus.ErrorCode;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

import java.util.Set;
import java.util.concurrent.Semaphore;

/**
 * {@code GET /metrics}, safe against callers who want to hurt it:
 * <ul>
 *   <li>every label value comes from a bounded set ({@link #boundedLabels()}): any token is a
 *       valid HTTP method, and each new method name used to add hundreds of series for good;</li>
 *   <li>a scrape is rendered on a worker thread, never on an event loop;</li>
 *   <li>at most {@code maxConcurrent} scrapes are in flight, counted until the response has
 *       left the process (not merely been handed to Netty), so clients that ask and never read
 *       cannot pin a copy each; the others get 503 with Retry-After.</li>
 * </ul>
 */
public final class MetricsEndpoint implements Handler<RoutingContext> {

    /** The methods a label may name; any other becomes {@link #OTHER_METHOD}. */
    private static final Set<String> KNOWN_METHODS = Set.of("GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS",
            "PATCH", "TRACE", "CONNECT");
    static final String OTHER_METHOD = "OTHER";

    private final PrometheusMeterRegistry registry;
    private final Semaphore inFlight;

    /** One per process: the bound holds across all HTTP verticles. */
    MetricsEndpoint(PrometheusMeterRegistry registry, int maxConcurrent) {
        this.registry = registry;
        this.inFlight = new Semaphore(maxConcurrent);
    }

    /** To install on the registry before Vert.x registers its HTTP meters. */
    public static MeterFilter boundedLabels() {
        return MeterFilter.replaceTagValues("method", m -> KNOWN_METHODS.contains(m) ? m : OTHER_METHOD);
    }

    @Override
    public void handle(RoutingContext ctx) {
        if (!inFlight.tryAcquire()) {
            ctx.response().putHeader("Retry-After", "1");
            ErrorResponses.send(ctx, ErrorCode.OVERLOADED, "too many metrics scrapes in flight; retry shortly");
            return;
        }
        ctx.vertx().executeBlocking(registry::scrape, false)
                .compose(text -> ctx.response()
                        .putHeader("content-type", "text/plain; version=0.0.4; charset=utf-8")
                        .end(text))
                .onComplete(done -> {
                    inFlight.release();
                    if (done.failed() && !ctx.response().ended() && !ctx.response().closed()) {
                        ctx.fail(done.cause());
                    }
                });
    }
}
