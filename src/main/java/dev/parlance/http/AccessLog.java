package dev.parlance.http;

import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * One JSON line per request on the logger {@code parlance.access}: time, request id, method,
 * route template (never the raw path), model, status, latency, batch size. Never a token,
 * never a text. {@code X-Request-Id} is taken from the request when it is sane, else made,
 * and always echoed.
 */
final class AccessLog implements Handler<RoutingContext> {

    static final String REQUEST_ID = "X-Request-Id";
    /** Set by handlers that know them; read when the response ends. */
    static final String MODEL_KEY = "parlance.model";
    static final String BATCH_KEY = "parlance.batch";
    static final int CLIENT_CLOSED = 499;

    private static final Logger log = LoggerFactory.getLogger("parlance.access");
    private static final Pattern SANE_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

    @Override
    public void handle(RoutingContext ctx) {
        long start = System.nanoTime();
        String offered = ctx.request().getHeader(REQUEST_ID);
        String id = offered != null && SANE_ID.matcher(offered).matches() ? offered : newRequestId();
        ctx.response().putHeader(REQUEST_ID, id);
        ctx.addEndHandler(done -> {
            if (!log.isInfoEnabled()) {
                return;
            }
            // A client that went away before its answer was sent got nothing: 499, as nginx logs it.
            int status = done.failed() && !ctx.response().ended() ? CLIENT_CLOSED : ctx.response().getStatusCode();
            Route route = ctx.currentRoute();
            JsonObject line = new JsonObject()
                    .put("time", Instant.now().toString())
                    .put("id", id)
                    .put("method", ctx.request().method().name())
                    .put("route", route == null || route.getName() == null ? "unmatched" : route.getName())
                    .put("status", status)
                    .put("latency_ms", Math.round((System.nanoTime() - start) / 10_000.0) / 100.0);
            Object model = ctx.get(MODEL_KEY);
            if (model != null) {
                line.put("model", model);
            }
            Object batch = ctx.get(BATCH_KEY);
            if (batch != null) {
                line.put("batch", batch);
            }
            log.info(line.encode());
        });
        ctx.next();
    }

    /**
     * A random (version 4) UUID from the event loop's ThreadLocalRandom: a request id must be
     * unique, not secret, and UUID.randomUUID() draws on SecureRandom, a shared lock per request.
     */
    static String newRequestId() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long high = random.nextLong() & ~0xF000L | 0x4000L;
        long low = random.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL | 0x8000_0000_0000_0000L;
        return new UUID(high, low).toString();
    }
}
