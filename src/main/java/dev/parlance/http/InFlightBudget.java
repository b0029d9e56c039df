package dev.parlance.http;

import dev.parlance.bus.ErrorCode;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.http.HttpConnection;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.PlatformHandler;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What all HTTP event loops of one process share: a cap on open connections and a cap on the
 * request body bytes in flight (being received, queued or computed). Without the second, 150
 * connections each holding a valid 1 MiB body minus its last byte, released at once, put
 * 150 MiB of text plus its tokens and tensors in the heap together, enough to end in an
 * OutOfMemoryError. A request reserves its declared Content-Length (or the body limit when
 * it declares none) before its body is read, and gives it back when both its response and
 * its job are done.
 */
public final class InFlightBudget {

    private final int maxConnections;
    private final long maxBytes;
    private final long maxBodyBytes;
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicLong bytes = new AtomicLong();

    public InFlightBudget(int maxConnections, long maxBytes, long maxBodyBytes) {
        this.maxConnections = maxConnections;
        this.maxBytes = maxBytes;
        this.maxBodyBytes = maxBodyBytes;
    }

    /**
     * A new connection beyond the cap is closed at once, before it can send anything.
     * @return whether it was admitted; if so, {@link #closed()} must follow when it closes
     */
    boolean admit(HttpConnection connection) {
        if (connections.incrementAndGet() > maxConnections) {
            connections.decrementAndGet();
            connection.close();
            return false;
        }
        return true;
    }

    void closed() {
        connections.decrementAndGet();
    }

    /**
     * Runs before the body handler: reserves the body's bytes, or answers 503 with Retry-After
     * (and closes the connection, whose unread body would otherwise follow).
     */
    PlatformHandler reserveBody() {
        return ctx -> {
            long want = declaredLength(ctx);
            if (!tryReserve(want)) {
                // Closed after the answer: its unread body would otherwise keep streaming in.
                ctx.response().setStatusCode(503).putHeader("Retry-After", "1").putHeader("connection", "close")
                        .putHeader("content-type", "application/json")
                        .end(ErrorResponses.body(ErrorCode.OVERLOADED,
                                "the server is receiving too many request bodies at once; retry shortly").toBuffer())
                        .onComplete(v -> ctx.request().connection().close());
                return;
            }
            Reservation reservation = new Reservation(want);
            ctx.put(RESERVATION, reservation);
            ctx.addEndHandler(done -> reservation.release());
            ctx.next();
        };
    }

    /**
     * Keeps the request's bytes reserved until {@code job} is done as well: a caller who leaves
     * ends its response at once, but its queued job holds the body until a worker skips it.
     */
    static void holdUntil(RoutingContext ctx, Future<?> job) {
        Reservation reservation = ctx.get(RESERVATION);
        if (reservation != null && reservation.hold()) {
            job.onComplete(done -> reservation.release());
        }
    }

    private static final String RESERVATION = "parlance.reservation";

    /** One request's bytes, given back when the last of its holders (response, job) lets go. */
    private final class Reservation {
        private final long bytesHeld;
        private final AtomicInteger holders = new AtomicInteger(1);

        Reservation(long bytesHeld) {
            this.bytesHeld = bytesHeld;
        }

        /** False when the bytes were given back already (the caller left before the job was sent). */
        boolean hold() {
            int now;
            do {
                now = holders.get();
                if (now == 0) {
                    return false;
                }
            } while (!holders.compareAndSet(now, now + 1));
            return true;
        }

        void release() {
            if (holders.decrementAndGet() == 0) {
                bytes.addAndGet(-bytesHeld);
            }
        }
    }

    private long declaredLength(RoutingContext ctx) {
        String header = ctx.request().getHeader("content-length");
        if (header != null) {
            try {
                long declared = Long.parseLong(header.trim());
                if (declared >= 0) {
                    // A larger declared body is refused with 413 by the body handler; reserve no more than it reads.
                    return Math.min(declared, maxBodyBytes);
                }
            } catch (NumberFormatException e) {
                // Netty refuses a malformed Content-Length before we get here; reserve the worst case anyway.
            }
        }
        return maxBodyBytes;
    }

    private boolean tryReserve(long want) {
        while (true) {
            long now = bytes.get();
            if (now + want > maxBytes && now > 0) {
                return false;
            }
            if (bytes.compareAndSet(now, now + want)) {
                return true;
            }
        }
    }

    /** Gauges {@code parlance_http_connections} and {@code parlance_http_body_bytes_in_flight}. */
    void report(MeterRegistry registry) {
        Gauge.builder("parlance.http.connections", connections, AtomicInteger::get)
                .description("open HTTP connections").register(registry);
        Gauge.builder("parlance.http.body.bytes.in.flight", bytes, AtomicLong::get)
                .description("request body bytes reserved: being received, queued or computed").register(registry);
    }
}
