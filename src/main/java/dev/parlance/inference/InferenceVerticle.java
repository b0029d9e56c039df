package dev.parlance.inference;

import dev.parlance.api.Cost;
import dev.parlance.api.Task;
import dev.parlance.bus.Addresses;
import dev.parlance.bus.BusFailure;
import dev.parlance.bus.ErrorCode;
import dev.parlance.bus.InferenceRequest;
import dev.parlance.bus.Schemas;
import dev.parlance.config.LimitsConfig;
import dev.parlance.config.ModelConfig;
import dev.parlance.config.Sharing;
import dev.parlance.tasks.VectorCache;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.ThreadingModel;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The inference side of one model: loads it (once, when shared), deploys its workers and
 * consumes {@code parlance.infer.<model>}. The consumer only admits jobs into the bounded
 * queue, never waits, so refusals (503) are immediate wherever the caller is.
 */
public final class InferenceVerticle extends VerticleBase {

    private final ModelConfig config;
    private final LimitsConfig limits;
    private final ModelMetrics metrics;
    private final String nodeId;
    private final long drainMs;

    private Schemas schemas;
    private JobQueue queue;
    private LoadedModel sharedModel;
    private final List<MessageConsumer<Object>> consumers = new ArrayList<>();

    /**
     * @param nodeId  this node's cluster id, to consume the model's node address too; null when not clustered
     * @param drainMs on undeploy, how long jobs already queued may take to finish
     */
    public InferenceVerticle(ModelConfig config, LimitsConfig limits, MeterRegistry registry, String nodeId, long drainMs) {
        this.config = config;
        this.limits = limits;
        this.metrics = new ModelMetrics(registry, config.name(), Task.tasksOf(config.kind()), config.batching(),
                Duration.ofMillis(limits.requestTimeoutMs()));
        this.nodeId = nodeId;
        this.drainMs = drainMs;
    }

    @Override
    public Future<?> start() {
        schemas = Schemas.load(limits);
        queue = new JobQueue(config.batching(), metrics);
        VectorCache labelCache = new VectorCache(config.labelCacheSize());
        long loadStart = System.nanoTime();
        Future<LoadedModel> loaded = config.sharing() == Sharing.SHARED
                ? vertx.executeBlocking(() -> LoadedModel.load(config))
                : Future.succeededFuture(null);
        return loaded
                .compose(model -> {
                    sharedModel = model;
                    DeploymentOptions workers = new DeploymentOptions()
                            .setThreadingModel(ThreadingModel.WORKER)
                            .setInstances(config.workers())
                            .setWorkerPoolName("parlance-" + config.name())
                            .setWorkerPoolSize(config.workers());
                    return vertx.deployVerticle(() -> new InferenceWorker(config, model, queue, labelCache, metrics), workers);
                })
                .onSuccess(deployed -> metrics.loaded(System.nanoTime() - loadStart))
                .compose(workersDeployed -> {
                    consumers.add(vertx.eventBus().consumer(Addresses.infer(config.name()), this::admit));
                    if (nodeId != null) {
                        consumers.add(vertx.eventBus().consumer(Addresses.inferOn(config.name(), nodeId), this::admit));
                    }
                    return Future.all(consumers.stream().map(MessageConsumer::completion).toList());
                });
    }

    /**
     * Takes no new jobs (a caller sending now finds no consumer and, in a cluster, is routed to
     * another node) and completes once the queued and running jobs are done, or after drainMs.
     * Called by the graceful shutdown before the undeploy, while the workers are still there.
     */
    public Future<Void> drain() {
        Future<?> unregistered = Future.join(consumers.stream().map(MessageConsumer::unregister).toList());
        long deadline = System.currentTimeMillis() + drainMs;
        Promise<Void> drained = Promise.promise();
        vertx.setPeriodic(0, 20, id -> {
            if ((queue.depth() == 0 && metrics.running() == 0) || System.currentTimeMillis() >= deadline) {
                vertx.cancelTimer(id);
                drained.tryComplete();
            }
        });
        return unregistered.transform(v -> drained.future());
    }

    /** Workers taking batches now; 0 means the model cannot answer, whatever else is up. */
    public int liveWorkers() {
        return metrics.liveWorkers();
    }

    /** Runs after the workers are undeployed (Vert.x undeploys children first). */
    @Override
    public Future<?> stop() {
        Future<?> unregistered = Future.join(consumers.stream().map(MessageConsumer::unregister).toList());
        for (Job job : queue.close()) {
            metrics.rejected(job.request().task(), true);
            job.fail(ErrorCode.OVERLOADED, "model " + config.name() + " is shutting down");
        }
        if (sharedModel != null) {
            sharedModel.close();
        }
        return unregistered;
    }

    private void admit(Message<Object> message) {
        InferenceRequest request;
        boolean json = false;
        if (message.body() instanceof InferenceRequest r) {
            request = r;
        } else if (message.body() instanceof JsonObject body) {
            json = true;
            try {
                request = InferenceRequest.fromJson(body, limits.requestTimeoutMs());
            } catch (IllegalArgumentException e) {
                fail(message, ErrorCode.VALIDATION, e.getMessage());
                return;
            }
        } else {
            fail(message, ErrorCode.VALIDATION, "expected an InferenceRequest or its JSON form");
            return;
        }
        if (!request.task().servedBy(config.kind())) {
            fail(message, ErrorCode.TASK_NOT_SERVED, "model " + config.name() + " (" + config.kind().configName()
                    + ") does not serve " + request.task().path());
            return;
        }
        if (json) {
            // JSON callers did not come through the HTTP validation: hold them to the same schema.
            Optional<Schemas.Violation> violation = schemas.validateRequest(request.task(), request.input());
            if (violation.isPresent()) {
                fail(message, ErrorCode.VALIDATION, "/input" + violation.get().path() + ": " + violation.get().message());
                return;
            }
        }
        if (request.expired()) {
            fail(message, ErrorCode.DEADLINE_EXCEEDED, "the deadline passed before the job was queued");
            return;
        }
        Cost estimate;
        try {
            estimate = request.task().definition().estimate(request.input());
        } catch (RuntimeException e) {
            // Only a Java caller skipping validation gets here: its input has the wrong shape.
            fail(message, ErrorCode.VALIDATION, "the input does not match the " + request.task().path() + " schema");
            return;
        }
        Job job = new Job(request, Job.Caller.of(message, context), json, estimate.tokens(), estimate.typicalLength());
        if (queue.offer(job)) {
            metrics.admitted(request.task());
        } else {
            metrics.rejected(request.task(), false);
            fail(message, ErrorCode.OVERLOADED, "model " + config.name() + " is at capacity; retry shortly");
        }
    }

    private static void fail(Message<Object> message, ErrorCode code, String reason) {
        BusFailure.of(code, reason).failOn(message);
    }
}
