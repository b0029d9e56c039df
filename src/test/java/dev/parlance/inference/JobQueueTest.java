package dev.parlance.inference;

import dev.parlance.bus.BusFailure;
import dev.parlance.bus.Cancellation;
import dev.parlance.bus.ErrorCode;
import dev.parlance.bus.InferenceRequest;
import dev.parlance.config.BatchingConfig;
import dev.parlance.api.Task;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JobQueueTest {

    /** Each queue registers its depth gauge: one registry per queue, as one per model in production. */
    private static JobQueue queue(BatchingConfig policy) {
        ModelMetrics metrics = new ModelMetrics(new SimpleMeterRegistry(), "test", java.util.EnumSet.allOf(Task.class),
                policy, java.time.Duration.ofSeconds(30));
        return new JobQueue(policy, metrics);
    }

    /** Records what a job's caller was told. */
    static final class Recorder implements Job.Caller {
        final List<String> events = new ArrayList<>();

        @Override
        public void reply(Object body) {
            events.add("reply");
        }

        @Override
        public void fail(BusFailure failure) {
            events.add("fail " + failure.code().code());
        }
    }

    private static Job job(Recorder caller, long timeoutMs, int cost) {
        return job(caller, timeoutMs, cost, 10);
    }

    private static Job job(Recorder caller, long timeoutMs, int cost, int length) {
        return new Job(InferenceRequest.of(Task.CLASSIFICATION, new JsonObject(), timeoutMs), caller, true, cost, length);
    }

    @Test
    void aBatchIsTheOldestJobAndOthersOfSimilarLengthFromAnywhereInTheQueue() throws Exception {
        JobQueue queue = queue(new BatchingConfig(100, 8, 10_000, 0, 0.1, 0.25, dev.parlance.config.RowMixing.AUTO));
        Recorder r = new Recorder();
        int[] lengths = {40, 10, 44, 12, 36, 90, 41};
        List<Job> jobs = new ArrayList<>();
        for (int length : lengths) {
            Job j = job(r, 10_000, length, length);
            jobs.add(j);
            queue.offer(j);
        }
        assertEquals(List.of(jobs.get(0), jobs.get(2), jobs.get(4), jobs.get(6)), queue.take(0), "40 with 44, 36, 41");
        assertEquals(List.of(jobs.get(1), jobs.get(3)), queue.take(0), "then the oldest left, 10, with 12");
        assertEquals(List.of(jobs.get(5)), queue.take(0));
    }

    @Test
    void aFullQueueRefusesAtOnce() {
        JobQueue queue = queue(new BatchingConfig(2, 8, 1000, 0, 0.1, 1000, dev.parlance.config.RowMixing.AUTO));
        Recorder r = new Recorder();
        assertTrue(queue.offer(job(r, 1000, 1)));
        assertTrue(queue.offer(job(r, 1000, 1)));
        assertFalse(queue.offer(job(r, 1000, 1)));
        assertEquals(2, queue.depth());
    }

    @Test
    void batchesAreCappedBySizeAndByTokenBudget() throws Exception {
        JobQueue queue = queue(new BatchingConfig(100, 3, 100, 0, 0.1, 1000, dev.parlance.config.RowMixing.AUTO));
        Recorder r = new Recorder();
        for (int i = 0; i < 5; i++) {
            queue.offer(job(r, 10_000, 10));
        }
        assertEquals(3, queue.take(0).size());
        assertEquals(2, queue.take(0).size());
        for (int cost : new int[] {60, 30, 20, 500}) {
            queue.offer(job(r, 10_000, cost));
        }
        assertEquals(2, queue.take(0).size(), "60 + 30 fit, + 20 would not");
        assertEquals(1, queue.take(0).size());
        assertEquals(1, queue.take(0).size(), "an oversized job still runs, alone");
        assertTrue(queue.take(0).isEmpty());
    }

    @Test
    void expiredAndCancelledJobsAreAnsweredAndSkipped() throws Exception {
        JobQueue queue = queue(new BatchingConfig(100, 8, 1000, 0, 0.1, 1000, dev.parlance.config.RowMixing.AUTO));
        Recorder expired = new Recorder();
        Recorder gone = new Recorder();
        Recorder live = new Recorder();
        queue.offer(job(expired, 1, 1));
        Job leaving = new Job(new InferenceRequest(Task.CLASSIFICATION, new JsonObject(),
                System.currentTimeMillis() + 10_000, new Cancellation()), gone, true, 1, 10);
        queue.offer(leaving);
        queue.offer(job(live, 10_000, 1));
        leaving.request().cancellation().cancel();
        Thread.sleep(5);
        List<Job> batch = queue.take(0);
        assertEquals(1, batch.size());
        assertEquals(List.of("fail deadline_exceeded"), expired.events);
        assertEquals(List.of("fail caller_gone"), gone.events);
        assertTrue(live.events.isEmpty());
    }

    @Test
    void aWorkerWaitsForCompanyUpToTheBatchDelay() throws Exception {
        JobQueue queue = queue(new BatchingConfig(100, 8, 1000, 200, 0.1, 1000, dev.parlance.config.RowMixing.AUTO));
        Recorder r = new Recorder();
        queue.offer(job(r, 10_000, 1));
        Thread late = new Thread(() -> {
            sleep(50);
            queue.offer(job(r, 10_000, 1));
        });
        late.start();
        long start = System.nanoTime();
        List<Job> batch = queue.take(0);
        long waitedMs = (System.nanoTime() - start) / 1_000_000;
        late.join();
        assertEquals(2, batch.size());
        assertTrue(waitedMs >= 150, "waited the whole delay for more: " + waitedMs);
    }

    @Test
    void jobsAreAnsweredExactlyOnce() {
        Recorder r = new Recorder();
        Job job = job(r, 10_000, 1);
        job.fail(ErrorCode.OVERLOADED, "first");
        job.succeed(new JsonObject(), 1, 0);
        job.fail(ErrorCode.INTERNAL, "third");
        assertEquals(List.of("fail overloaded"), r.events);
    }

    @Test
    void closingHandsBackWaitingJobsAndRefusesNewOnes() {
        JobQueue queue = queue(new BatchingConfig(100, 8, 1000, 0, 0.1, 1000, dev.parlance.config.RowMixing.AUTO));
        Recorder r = new Recorder();
        queue.offer(job(r, 10_000, 1));
        assertEquals(1, queue.close().size());
        assertFalse(queue.offer(job(r, 10_000, 1)));
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
