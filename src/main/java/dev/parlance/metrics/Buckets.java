package dev.parlance.metrics;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Histogram buckets chosen for what each histogram measures. Micrometer's default
 * percentile histogram has 276 buckets per series (and 69 for timers), most of them for
 * values Parlance never sees; every bucket is a line in every scrape.
 */
public final class Buckets {

    /** Steps within each decade: about 1.5x apart, round numbers a reader can compare. */
    private static final long[] STEPS = {1, 2, 3, 5, 7};

    private Buckets() {
    }

    /**
     * Latency buckets: 1, 2, 3, 5, 7, 10, 20, ... ms up to {@code longest}, which is the last
     * (the request timeout: nobody waits longer). 23 for a 30 s timeout.
     */
    public static Duration[] latency(Duration longest) {
        long longestMs = Math.max(1, longest.toMillis());
        List<Duration> buckets = new ArrayList<>();
        for (long decade = 1; ; decade *= 10) {
            for (long step : STEPS) {
                long ms = step * decade;
                if (ms >= longestMs) {
                    buckets.add(Duration.ofMillis(longestMs));
                    return buckets.toArray(Duration[]::new);
                }
                buckets.add(Duration.ofMillis(ms));
            }
        }
    }

    /** {@link #latency} in nanoseconds, as Micrometer wants a timer's buckets in a filter. */
    public static double[] latencyNanos(Duration longest) {
        Duration[] buckets = latency(longest);
        double[] nanos = new double[buckets.length];
        for (int i = 0; i < buckets.length; i++) {
            nanos[i] = buckets[i].toNanos();
        }
        return nanos;
    }

    /** 1, 2, 4, 8, ... up to {@code max}, which is the last (a configured ceiling, say). */
    public static double[] powersOfTwo(long max) {
        List<Double> buckets = new ArrayList<>();
        for (long b = 1; b < max; b *= 2) {
            buckets.add((double) b);
        }
        buckets.add((double) Math.max(1, max));
        return buckets.stream().mapToDouble(Double::doubleValue).toArray();
    }
}
