package dev.parlance.metrics;

import dev.parlance.config.ParlanceConfig;
import dev.parlance.http.ApiRouter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.config.MeterFilterReply;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;

import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * What the meters of libraries (Vert.x, Micrometer's JVM binders) look like at /metrics.
 * Installed on the registry before Vert.x exists, since a filter only sees meters registered
 * after it.
 * <ul>
 *   <li>Names Prometheus's conventions refuse are fixed: CPU and JIT time in seconds
 *       ({@link ProcessTimes}), {@code system_cpus} for {@code system_cpu_count} (a
 *       {@code _count} suffix belongs to histograms and summaries).</li>
 *   <li>Only the HTTP response time is a histogram, for the inference routes, labelled by route
 *       alone, in {@link Buckets#latency} buckets: one more status or method on a route no longer
 *       adds a histogram. Requests by route, status and method are counted in
 *       {@code vertx_http_server_requests_total}. Response sizes are labelled by route alone.</li>
 *   <li>The gauges Vert.x registers again on every request, connection or message (active
 *       requests, active connections, pending event-bus messages) are left out: since
 *       Micrometer 1.13.9 a second registration logs "Gauge has been already registered" (Vert.x
 *       issue vert-x3/vertx-micrometer-metrics#259). Parlance's own gauges, registered once,
 *       say the same: {@code parlance_http_connections}, {@code parlance_queue_depth},
 *       {@code parlance_jobs_running}.</li>
 *   <li>Vert.x's HTTP client meters are off ({@code Parlance}): Parlance makes no HTTP calls;
 *       a test's client on the server's Vert.x would otherwise add its meters to the scrape.</li>
 * </ul>
 */
public final class MeterConventions {

    static final String RESPONSE_TIME = "vertx.http.server.response.time";
    static final String RESPONSE_BYTES = "vertx.http.server.response.bytes";
    private static final String ROUTE = "route";
    /** Suffixes of the Vert.x gauges registered per request, connection or message. */
    private static final List<String> REREGISTERED = List.of(".active.requests", ".active.connections",
            ".active.ws.connections", ".processing.pending");
    private static final Set<String> REREGISTERED_NAMES = Set.of("vertx.eventbus.pending", "vertx.eventbus.handlers");

    private MeterConventions() {
    }

    /** Installs the filters and the binders that replace the denied JVM meters. */
    public static void install(MeterRegistry registry, ParlanceConfig config) {
        Set<String> inferenceRoutes = ApiRouter.taskRouteNames(config.http().rootPath());
        double[] latency = Buckets.latencyNanos(Duration.ofMillis(config.limits().requestTimeoutMs()));
        registry.config()
                .meterFilter(new MeterFilter() {
                    @Override
                    public Meter.Id map(Meter.Id id) {
                        return rename(id);
                    }
                })
                .meterFilter(MeterFilter.deny(MeterConventions::unconventional))
                .meterFilter(MeterFilter.deny(MeterConventions::reregistered))
                .meterFilter(httpResponses(inferenceRoutes, latency));
        new ProcessTimes().bindTo(registry);
    }

    private static Meter.Id rename(Meter.Id id) {
        if (id.getName().equals("system.cpu.count")) {
            return id.withName("system.cpus");
        }
        return id;
    }

    /** Micrometer's CPU and JIT times in ns and ms; {@link ProcessTimes} has them in seconds. */
    private static boolean unconventional(Meter.Id id) {
        return (id.getName().equals("process.cpu.time") && "ns".equals(id.getBaseUnit()))
                || (id.getName().equals("jvm.compilation.time") && "ms".equals(id.getBaseUnit()));
    }

    static boolean reregistered(Meter.Id id) {
        String name = id.getName();
        return id.getType() == Meter.Type.GAUGE && name.startsWith("vertx.")
                && (REREGISTERED_NAMES.contains(name) || REREGISTERED.stream().anyMatch(name::endsWith)
                    // HTTP client connection pools: each client to the same server registers the same
                    // gauges again. Parlance calls no HTTP server; only clients in tests do.
                    || (name.startsWith("vertx.pool.") && "http".equals(id.getTag("pool_type"))));
    }

    private static MeterFilter httpResponses(Set<String> inferenceRoutes, double[] latencyNanos) {
        return new MeterFilter() {
            @Override
            public Meter.Id map(Meter.Id id) {
                if (id.getName().equals(RESPONSE_TIME) || id.getName().equals(RESPONSE_BYTES)) {
                    String route = id.getTag(ROUTE);
                    return id.replaceTags(Tags.of(ROUTE, route == null ? "" : route));
                }
                return id;
            }

            @Override
            public MeterFilterReply accept(Meter.Id id) {
                // Probes, docs and the scrape itself: their latency says little and a histogram each costs much.
                return id.getName().equals(RESPONSE_TIME) && !inferenceRoutes.contains(id.getTag(ROUTE))
                        ? MeterFilterReply.DENY : MeterFilterReply.NEUTRAL;
            }

            @Override
            public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
                if (!id.getName().equals(RESPONSE_TIME)) {
                    return config;
                }
                return DistributionStatisticConfig.builder().serviceLevelObjectives(latencyNanos).build().merge(config);
            }
        };
    }
}
