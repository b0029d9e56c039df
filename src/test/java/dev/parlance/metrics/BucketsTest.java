package dev.parlance.metrics;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class BucketsTest {

    @Test
    void latencyBucketsRunFromAMillisecondToTheTimeout() {
        List<Long> ms = Arrays.stream(Buckets.latency(Duration.ofSeconds(30))).map(Duration::toMillis).toList();
        assertEquals(List.of(1L, 2L, 3L, 5L, 7L, 10L, 20L, 30L, 50L, 70L, 100L, 200L, 300L, 500L, 700L,
                1000L, 2000L, 3000L, 5000L, 7000L, 10_000L, 20_000L, 30_000L), ms);
        List<Long> odd = Arrays.stream(Buckets.latency(Duration.ofMillis(2500))).map(Duration::toMillis).toList();
        assertEquals(List.of(2000L, 2500L), odd.subList(odd.size() - 2, odd.size()), "the timeout is the last bucket");
        assertEquals(1_000_000.0, Buckets.latencyNanos(Duration.ofSeconds(1))[0]);
    }

    @Test
    void powersOfTwoStopAtTheCeiling() {
        assertArrayEquals(new double[] {1, 2, 4, 8, 16, 32}, Buckets.powersOfTwo(32));
        double[] tokens = Buckets.powersOfTwo(10_000);
        assertArrayEquals(new double[] {8192, 10_000}, Arrays.copyOfRange(tokens, tokens.length - 2, tokens.length));
        assertArrayEquals(new double[] {1}, Buckets.powersOfTwo(1));
    }
}
