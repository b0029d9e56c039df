package dev.parlance.inference;

import dev.parlance.bus.Addresses;
import dev.parlance.bus.Failure;
import dev.parlance.bus.InferenceRequest;
import dev.parlance.bus.Schemas;
import dev.parlance.config.LimitsConfig;
import dev.parlance.config.ModelConfig;
import dev.parlance.config.Sharing;
import dev.parlance.tasks.VectorCache;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.ThreadingModel;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;

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

    private Schemas schemas;
    private JobQueue queue;
    private LoadedModel sharedModel;
    private MessageConsumer<Object> consumer;

    public InferenceVerticle(ModelConfig config, LimitsConfig limits, MeterRegistry registry) {
        this.config = config;
        this.limits = limits;
        this.metrics = new ModelMetrics(registry, config.name());
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
                    consumer = vertx.eventBus().consumer(Addresses.infer(config.name()), this::admit);
                    return consumer.completion();
                });
    }

    @Override
    public Future<?> stop() {
        Future<Void> unregistered = consumer == null ? Future.succeededFuture() : consumer.unregister();
        for (Job job : queue.close()) {
            metrics.rejected(true);
            job.fail(Failure.OVERLOADED, "model " + config.name() + " is shutting down");
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
                message.fail(Failure.BAD_INPUT, e.getMessage());
                return;
            }
        } else {
            message.fail(Failure.BAD_INPUT, "expected an InferenceRequest or its JSON form");
            return;
        }
        if (!config.kind().serves(request.task())) {
            message.fail(Failure.NOT_SERVED, "model " + config.name() + " (" + config.kind().name().toLowerCase()
                    + ") does not serve " + request.task().path());
            return;
        }
        if (json) {
            // JSON callers did not come through the HTTP validation: hold them to the same schema.
            Optional<Schemas.Violation> violation = schemas.validateRequest(request.task(), request.input());
            if (violation.isPresent()) {
                message.fail(Failure.BAD_INPUT, "/input" + violation.get().path() + ": " + violation.get().message());
                return;
            }
        }
        if (request.expired()) {
            message.fail(Failure.DEADLINE, "the deadline passed before the job was queued");
            return;
        }
        Pipelines.Estimate estimate;
        try {
            estimate = Pipelines.estimate(request.task(), request.input());
        } catch (RuntimeException e) {
            // Only a Java caller skipping validation gets here: its input has the wrong shape.
            message.fail(Failure.BAD_INPUT, "the input does not match the " + request.task().path() + " schema");
            return;
        }
        Job job = new Job(request, Job.Caller.of(message), json, estimate.tokens(), estimate.typicalLength());
        if (queue.offer(job)) {
            metrics.admitted();
        } else {
            metrics.rejected(false);
            message.fail(Failure.OVERLOADED, "model " + config.name() + " is at capacity; retry shortly");
        }
    }
}
