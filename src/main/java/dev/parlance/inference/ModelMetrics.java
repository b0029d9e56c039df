package dev.parlance.inference;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * What one model's queue and workers report (as TEI's queue does): admissions, refusals,
 * skipped work, batch sizes, tokens per forward pass, inference time, queue depth.
 * Prometheus names are these with dots as underscores, e.g. {@code parlance_jobs_skipped_total}.
 */
final class ModelMetrics {

    private final Counter admitted;
    private final Counter rejectedFull;
    private final Counter rejectedShutdown;
    private final Counter skippedDeadline;
    private final Counter skippedGone;
    private final Counter failedInput;
    private final Counter failedInternal;
    private final Counter completed;
    private final DistributionSummary batchSize;
    private final DistributionSummary passTokens;
    private final Timer inference;
    private final AtomicInteger running = new AtomicInteger();
    private final AtomicInteger liveWorkers = new AtomicInteger();
    private final MeterRegistry registry;
    private final String model;

    ModelMetrics(MeterRegistry registry, String model) {
        this.registry = registry;
        this.model = model;
        admitted = counter("parlance.jobs.admitted", "jobs taken into the queue");
        rejectedFull = Counter.builder("parlance.jobs.rejected").description("jobs refused with 503")
                .tags("model", model, "reason", "queue_full").register(registry);
        rejectedShutdown = Counter.builder("parlance.jobs.rejected").description("jobs refused with 503")
                .tags("model", model, "reason", "shutdown").register(registry);
        skippedDeadline = Counter.builder("parlance.jobs.skipped").description("jobs dropped before their forward pass")
                .tags("model", model, "reason", "deadline").register(registry);
        skippedGone = Counter.builder("parlance.jobs.skipped").description("jobs dropped before their forward pass")
                .tags("model", model, "reason", "gone").register(registry);
        failedInput = Counter.builder("parlance.jobs.failed").tags("model", model, "reason", "bad_input").register(registry);
        failedInternal = Counter.builder("parlance.jobs.failed").tags("model", model, "reason", "internal").register(registry);
        completed = counter("parlance.jobs.completed", "jobs answered with a result");
        batchSize = DistributionSummary.builder("parlance.batch.size").description("requests per batch")
                .tags("model", model).publishPercentileHistogram().register(registry);
        passTokens = DistributionSummary.builder("parlance.batch.tokens").description("padded tokens per forward pass")
                .tags("model", model).publishPercentileHistogram().register(registry);
        inference = Timer.builder("parlance.inference").description("forward pass time")
                .tags("model", model).publishPercentileHistogram().register(registry);
        Gauge.builder("parlance.jobs.running", running, AtomicInteger::get).description("jobs in a worker's hands")
                .tags("model", model).register(registry);
        Gauge.builder("parlance.workers.live", liveWorkers, AtomicInteger::get)
                .description("inference workers taking batches").tags("model", model).register(registry);
    }

    private Counter counter(String name, String description) {
        return Counter.builder(name).description(description).tags("model", model).register(registry);
    }

    void queueDepth(Supplier<Number> depth) {
        Gauge.builder("parlance.queue.depth", depth).description("jobs waiting").tags("model", model).register(registry);
    }

    void loaded(long nanos) {
        Gauge.builder("parlance.model.load.seconds", () -> nanos / 1e9).description("time to load the model")
                .tags("model", model).register(registry);
    }

    void admitted() {
        admitted.increment();
    }

    void rejected(boolean shuttingDown) {
        (shuttingDown ? rejectedShutdown : rejectedFull).increment();
    }

    void skipped(boolean gone) {
        (gone ? skippedGone : skippedDeadline).increment();
    }

    void failed(boolean internal) {
        (internal ? failedInternal : failedInput).increment();
    }

    void completed() {
        completed.increment();
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
