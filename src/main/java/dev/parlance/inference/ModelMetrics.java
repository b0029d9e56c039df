package dev.parlance.inference;

import dev.parlance.config.BatchingConfig;
import dev.parlance.api.Task;
import dev.parlance.metrics.Buckets;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * What one model's queue and workers report (as TEI's queue does): admissions, refusals,
 * skipped work, queue wait, batch sizes, tokens per forward pass, inference time, queue depth.
 * Prometheus names are these with dots as underscores, e.g. {@code parlance_jobs_skipped_total}.
 * What happens to a job is labelled with its task too; a batch may mix tasks, so batch
 * meters are per model. Every series of a task the model serves exists from the start, at 0,
 * so that rates and ratios need no special case for "never happened".
 */
final class ModelMetrics {

    /** One task's job meters. */
    private record TaskMeters(Counter admitted, Counter rejectedFull, Counter rejectedShutdown, Counter skippedDeadline,
                              Counter skippedGone, Counter failedInput, Counter failedInternal, Counter completed,
                              Timer queueWait) {
    }

    private final Map<Task, TaskMeters> tasks = new EnumMap<>(Task.class);
    private final DistributionSummary batchSize;
    private final DistributionSummary passTokens;
    private final Timer inference;
    private final AtomicInteger running = new AtomicInteger();
    private final AtomicInteger liveWorkers = new AtomicInteger();
    private final MeterRegistry registry;
    private final String model;

    /**
     * @param served   the tasks the model serves, each labelled on the job meters
     * @param batching the ceilings the batch histograms' buckets stop at
     * @param longest  the request timeout, where the latency buckets stop
     */
    ModelMetrics(MeterRegistry registry, String model, Set<Task> served, BatchingConfig batching, Duration longest) {
        this.registry = registry;
        this.model = model;
        Duration[] latency = Buckets.latency(longest);
        for (Task task : served) {
            String t = task.path();
            tasks.put(task, new TaskMeters(
                    counter("parlance.jobs.admitted", "jobs taken into the queue", t),
                    counter("parlance.jobs.rejected", "jobs refused with 503", t, "reason", "queue_full"),
                    counter("parlance.jobs.rejected", "jobs refused with 503", t, "reason", "shutdown"),
                    counter("parlance.jobs.skipped", "jobs dropped before their forward pass", t, "reason", "deadline"),
                    counter("parlance.jobs.skipped", "jobs dropped before their forward pass", t, "reason", "gone"),
                    counter("parlance.jobs.failed", "jobs answered with an error after admission", t, "reason", "bad_input"),
                    counter("parlance.jobs.failed", "jobs answered with an error after admission", t, "reason", "internal"),
                    counter("parlance.jobs.completed", "jobs answered with a result", t),
                    Timer.builder("parlance.queue.wait")
                            .description("time from admission until the job's batch starts its forward passes")
                            .tags("model", model, "task", t).serviceLevelObjectives(latency).register(registry)));
        }
        batchSize = DistributionSummary.builder("parlance.batch.size").description("jobs per batch")
                .tags("model", model).serviceLevelObjectives(Buckets.powersOfTwo(batching.maxBatchSize()))
                .register(registry);
        passTokens = DistributionSummary.builder("parlance.batch.tokens").description("padded tokens per forward pass")
                .tags("model", model).serviceLevelObjectives(Buckets.powersOfTwo(batching.maxBatchTokens()))
                .register(registry);
        inference = Timer.builder("parlance.inference").description("forward pass time")
                .tags("model", model).serviceLevelObjectives(latency).register(registry);
        Gauge.builder("parlance.jobs.running", running, AtomicInteger::get).description("jobs in a worker's hands")
                .tags("model", model).register(registry);
        Gauge.builder("parlance.workers.live", liveWorkers, AtomicInteger::get)
                .description("inference workers taking batches").tags("model", model).register(registry);
    }

    private Counter counter(String name, String description, String task, String... tags) {
        return Counter.builder(name).description(description).tags("model", model, "task", task).tags(tags)
                .register(registry);
    }

    void queueDepth(Supplier<Number> depth) {
        Gauge.builder("parlance.queue.depth", depth).description("jobs waiting").tags("model", model).register(registry);
    }

    void loaded(long nanos) {
        Gauge.builder("parlance.model.load.seconds", () -> nanos / 1e9).description("time to load the model")
                .tags("model", model).register(registry);
    }

    /** Admission checks the model serves the task, so every job's task has meters. */
    private TaskMeters of(Task task) {
        return tasks.get(task);
    }

    void admitted(Task task) {
        of(task).admitted().increment();
    }

    void rejected(Task task, boolean shuttingDown) {
        TaskMeters m = of(task);
        (shuttingDown ? m.rejectedShutdown() : m.rejectedFull()).increment();
    }

    void skipped(Task task, boolean gone) {
        TaskMeters m = of(task);
        (gone ? m.skippedGone() : m.skippedDeadline()).increment();
    }

    void failed(Task task, boolean internal) {
        TaskMeters m = of(task);
        (internal ? m.failedInternal() : m.failedInput()).increment();
    }

    void completed(Task task) {
        of(task).completed().increment();
    }

    void queueWait(Task task, long nanos) {
        of(task).queueWait().record(nanos, TimeUnit.NANOSECONDS);
    }

    void batchStarted(int jobs) {
        batchSize.record(jobs);
        running.addAndGet(jobs);
    }

    void batchEnded(int jobs) {
        running.addAndGet(-jobs);
    }

    void workerStarted() {
        liveWorkers.incrementAndGet();
    }

    void workerStopped() {
        liveWorkers.decrementAndGet();
    }

    int liveWorkers() {
        return liveWorkers.get();
    }

    int running() {
        return running.get();
    }

    void forwardPass(int paddedTokens, long nanos) {
        passTokens.record(paddedTokens);
        inference.record(nanos, TimeUnit.NANOSECONDS);
    }
}
