package dev.parlance.inference;

import dev.parlance.bus.BusFailure;
import dev.parlance.bus.ErrorCode;
import dev.parlance.config.ModelConfig;
import dev.parlance.config.Sharing;
import dev.parlance.api.Task;
import dev.parlance.tasks.Matrix;
import dev.parlance.tasks.Tokens;
import dev.parlance.tasks.VectorCache;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.RejectedExecutionException;

/**
 * One inference worker, deployed as a WORKER verticle: it takes a batch from its model's
 * queue, tokenizes, runs one forward pass (or a few, within the token budget) and replies to
 * each job. It loops by re-queueing itself on its own context, so an undeploy slips in
 * between two batches; stop() completes once the loop has seen it, leaving no task behind.
 */
final class InferenceWorker extends VerticleBase {

    private static final Logger log = LoggerFactory.getLogger(InferenceWorker.class);
    /** How long one loop step waits for work before yielding its context. */
    private static final long POLL_MS = 100;

    private final ModelConfig config;
    private final LoadedModel sharedModel;
    private final JobQueue queue;
    private final VectorCache labelCache;
    private final ModelMetrics metrics;

    private LoadedModel ownModel;
    private Encoder encoder;
    private Map<Task, TaskPipeline> pipelines;
    private volatile boolean running;
    /** Completed by the first loop step that sees {@code running} cleared, so no step outlives stop(). */
    private final Promise<Void> loopEnded = Promise.promise();

    /** @param sharedModel the model all workers share, or null to load an own copy (isolated) */
    InferenceWorker(ModelConfig config, LoadedModel sharedModel, JobQueue queue, VectorCache labelCache,
                    ModelMetrics metrics) {
        this.config = config;
        this.sharedModel = sharedModel;
        this.queue = queue;
        this.labelCache = labelCache;
        this.metrics = metrics;
    }

    @Override
    public Future<?> start() {
        LoadedModel model = sharedModel;
        if (config.sharing() == Sharing.ISOLATED || model == null) {
            ownModel = LoadedModel.load(config);
            model = ownModel;
        }
        encoder = new Encoder(model, metrics);
        // The first pass of a session allocates its buffers; pay for it now, not on a request.
        encoder.forward(List.of(model.tokenizer().encode("warm up")), 1, Integer.MAX_VALUE, 0);
        pipelines = Pipelines.create(model, labelCache, encoder);
        running = true;
        metrics.workerStarted();
        context.runOnContext(v -> step());
        return Future.succeededFuture();
    }

    @Override
    public Future<?> stop() {
        running = false;
        return loopEnded.future().onComplete(v -> {
            encoder.close();
            if (ownModel != null) {
                ownModel.close();
            }
        });
    }

    private void step() {
        if (!running) {
            endLoop();
            return;
        }
        try {
            List<Job> batch = queue.take(POLL_MS);
            if (!batch.isEmpty()) {
                runAnswered(batch);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            endLoop();
            return;
        } catch (Throwable e) {
            // Never let the loop end on an error: a worker that stops taking batches leaves
            // every queued job hanging until its deadline. Not even if logging it fails too
            // (memory may be short), hence the inner catch.
            try {
                log.error("inference worker of model {} failed: {}", config.name(), e.toString(), e);
            } catch (Throwable alsoFailed) {
                // nothing more can be said; the loop goes on below
            }
        }
        try {
            context.runOnContext(v -> step());
        } catch (RejectedExecutionException e) {
            endLoop(); // Vert.x is closing its pools: the loop ends here
        }
    }

    private void endLoop() {
        if (loopEnded.tryComplete()) {
            metrics.workerStopped();
        }
    }

    /**
     * Runs a batch and makes sure each of its jobs is answered, whatever is thrown: an Error
     * (an OutOfMemoryError from an oversized output, a StackOverflowError in native glue)
     * answers the batch's remaining jobs with 500 and the worker goes on with the next batch.
     */
    private void runAnswered(List<Job> batch) {
        metrics.batchStarted(batch.size());
        try {
            run(batch);
        } catch (Throwable e) {
            String id = UUID.randomUUID().toString();
            // Answer first: logging may itself fail when memory is short, and no job may hang.
            for (Job job : batch) {
                if (job.fail(new BusFailure(ErrorCode.INTERNAL, "internal error", id))) {
                    metrics.failed(job.request().task(), true);
                }
            }
            // The error's name is in the message itself, for the same reason.
            log.error("error {} in model {}: a batch of {} job(s) failed: {}", id, config.name(), batch.size(), e.toString(), e);
        } finally {
            metrics.batchEnded(batch.size());
        }
    }

    /** One batch: prepare every job, one forward plan for all their sequences, finish each. */
    void run(List<Job> batch) {
        List<Job> jobs = new ArrayList<>(batch.size());
        List<Work> works = new ArrayList<>(batch.size());
        for (Job job : batch) {
            try {
                Work work = pipelines.get(job.request().task()).prepare(job.request().input());
                jobs.add(job);
                works.add(work);
            } catch (IllegalArgumentException e) {
                metrics.failed(job.request().task(), false);
                job.fail(ErrorCode.INVALID_INPUT, e.getMessage());
            } catch (RuntimeException e) {
                internalError(job, e);
            }
        }
        // Tokenizing took time: check once more that someone still waits for each answer.
        for (int i = jobs.size() - 1; i >= 0; i--) {
            if (jobs.get(i).abandoned()) {
                queue.skip(jobs.remove(i));
                works.remove(i);
            }
        }
        if (jobs.isEmpty()) {
            return;
        }
        // A job's wait ends as its batch's forward passes start: until then it waited for the queue,
        // the batch delay and its batch-mates' tokenizing, none of which is its own inference.
        long now = System.nanoTime();
        for (Job job : jobs) {
            metrics.queueWait(job.request().task(), now - job.admittedNanos());
        }
        forwardAndFinish(jobs, works, jobs.size());
    }

    /**
     * Runs the jobs' sequences and answers each job. When a pass fails and it held several
     * jobs, each job is retried on its own, so that one caller's input (a text the model cannot
     * take, say) fails only that caller's request, never its neighbours'.
     */
    private void forwardAndFinish(List<Job> jobs, List<Work> works, int batchSize) {
        List<Tokens> sequences = new ArrayList<>();
        for (Work work : works) {
            sequences.addAll(work.sequences());
        }
        List<Matrix> outputs;
        try {
            outputs = encoder.forward(sequences, Integer.MAX_VALUE, config.batching().maxBatchTokens(),
                    config.batching().maxPaddingRatio());
        } catch (RuntimeException e) {
            if (jobs.size() == 1) {
                internalError(jobs.get(0), e);
            } else {
                for (int i = 0; i < jobs.size(); i++) {
                    if (jobs.get(i).abandoned()) {
                        queue.skip(jobs.get(i));
                    } else {
                        forwardAndFinish(List.of(jobs.get(i)), List.of(works.get(i)), 1);
                    }
                }
            }
            return;
        }
        int offset = 0;
        for (int i = 0; i < jobs.size(); i++) {
            Work work = works.get(i);
            int n = work.sequences().size();
            try {
                jobs.get(i).succeed(work.finish().apply(outputs.subList(offset, offset + n)), batchSize, work.tokens());
                metrics.completed(jobs.get(i).request().task());
            } catch (RuntimeException e) {
                internalError(jobs.get(i), e);
            }
            offset += n;
        }
    }

    private void internalError(Job job, RuntimeException e) {
        metrics.failed(job.request().task(), true);
        String id = UUID.randomUUID().toString();
        log.error("error {} in model {} ({})", id, config.name(), job.request().task().path(), e);
        job.fail(new BusFailure(ErrorCode.INTERNAL, "internal error", id));
    }
}
