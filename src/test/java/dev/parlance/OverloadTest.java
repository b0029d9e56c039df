package dev.parlance;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Load far beyond capacity, then none: every request is answered (200, 503 or 504), none is
 * lost, the queue never outgrows its bound, memory stays bounded and latency recovers.
 */
class OverloadTest {

    static TestServer server;
    static final int QUEUE = 16;

    @BeforeAll
    static void start() {
        server = TestServer.start(TestServer.config(TestServer.embedded("minilm").put("workers", 2)
                .put("batching", new JsonObject().put("queueSize", QUEUE))));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static long heapAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    @Test
    void soakAtManyTimesCapacityAnswersEveryRequestAndRecovers() throws Exception {
        List<String> texts = java.nio.file.Files.readAllLines(java.nio.file.Path.of("scripts", "bench-corpus.txt"));
        long heapBefore = heapAfterGc();
        int clients = 256;
        long endAt = System.currentTimeMillis() + 12_000;
        AtomicInteger sent = new AtomicInteger();
        Map<Integer, Integer> statuses = new ConcurrentHashMap<>();
        AtomicInteger transportErrors = new AtomicInteger();
        AtomicInteger deepestQueue = new AtomicInteger();
        long sampler = server.vertx.setPeriodic(20, id -> {
            var gauge = server.registry.find("parlance.queue.depth").tag("model", "minilm").gauge();
            deepestQueue.accumulateAndGet((int) gauge.value(), Math::max);
        });
        List<Future<Void>> loops = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            Promise<Void> done = Promise.promise();
            loop(c, texts, endAt, sent, statuses, transportErrors, done);
            loops.add(done.future());
        }
        Future.all(loops).await();
        server.vertx.cancelTimer(sampler);
        int answered = statuses.values().stream().mapToInt(Integer::intValue).sum();
        System.out.println("overload: " + sent.get() + " sent, statuses " + new TreeMap<>(statuses)
                + ", deepest queue " + deepestQueue.get());

        assertEquals(0, transportErrors.get(), "no connection dropped, reset or timed out");
        assertEquals(sent.get(), answered, "every request sent got exactly one answer");
        assertTrue(Set.of(200, 503, 504).containsAll(statuses.keySet()), "only 200, 503 and 504: " + statuses);
        assertTrue(statuses.getOrDefault(200, 0) > 100, "real work got done: " + statuses);
        assertTrue(statuses.getOrDefault(503, 0) > 100, "the excess was refused: " + statuses);
        assertTrue(deepestQueue.get() <= QUEUE, "the queue stayed within its bound: " + deepestQueue.get());

        long heapGrowth = heapAfterGc() - heapBefore;
        assertTrue(heapGrowth < 64L << 20, "memory stays bounded: heap grew " + (heapGrowth >> 20) + " MB");

        // Recovered: the queue drains and new requests are answered. (How fast is the machine's
        // business; that nothing is left waiting is the server's.)
        long deadline = System.currentTimeMillis() + 120_000;
        while (server.registry.find("parlance.queue.depth").tag("model", "minilm").gauge().value() > 0) {
            assertTrue(System.currentTimeMillis() < deadline, "the queue drains once the load stops");
            Thread.sleep(10);
        }
        for (int i = 0; i < 5; i++) {
            HttpResponse<Buffer> response = server.postJson("/api/v1/classification",
                    new JsonObject().put("text", texts.get(i)).put("labels", new JsonArray().add("job").add("nature")));
            assertEquals(200, response.statusCode());
        }
    }

    private static void loop(int client, List<String> texts, long endAt, AtomicInteger sent,
                             Map<Integer, Integer> statuses, AtomicInteger transportErrors, Promise<Void> done) {
        if (System.currentTimeMillis() >= endAt) {
            done.complete();
            return;
        }
        int n = sent.incrementAndGet();
        JsonObject body = new JsonObject().put("text", texts.get((client * 31 + n) % texts.size()))
                .put("labels", new JsonArray().add("job").add("nature").add("space"));
        server.post("/api/v1/classification").putHeader("X-Timeout-Ms", "2000").sendJson(body).onComplete(ar -> {
            if (ar.succeeded()) {
                statuses.merge(ar.result().statusCode(), 1, Integer::sum);
            } else {
                transportErrors.incrementAndGet();
            }
            loop(client, texts, endAt, sent, statuses, transportErrors, done);
        });
    }
}
