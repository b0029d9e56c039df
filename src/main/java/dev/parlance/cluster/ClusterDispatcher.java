package dev.parlance.cluster;

import dev.parlance.bus.Addresses;
import dev.parlance.bus.BusFailure;
import dev.parlance.bus.Dispatcher;
import dev.parlance.bus.ErrorCode;
import dev.parlance.bus.InferenceReply;
import dev.parlance.bus.InferenceRequest;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A gateway's way to the models: picks a node that serves the model (round robin), sends the
 * job to that node's own address, and remembers it until answered. When the node leaves the
 * cluster, its unanswered jobs are sent once more to another node (inference has no side
 * effects, so a second run can only cost time), or fail at once with 503: they never wait
 * for a node that is gone. A node that withdrew (no consumer any more) is retried the same way.
 * An answer reaches the caller only if {@link ReplyCheck} finds it came from that node and has
 * the task's response shape; otherwise the caller gets a 500 and the log says why.
 */
public final class ClusterDispatcher implements Dispatcher {

    private static final Logger log = LoggerFactory.getLogger(ClusterDispatcher.class);

    private final Vertx vertx;
    private final NodeDirectory directory;
    private final ReplyCheck replies;
    private final AtomicInteger next = new AtomicInteger();
    private final Map<String, Set<Attempt>> inFlight = new ConcurrentHashMap<>();

    public ClusterDispatcher(Vertx vertx, NodeDirectory directory, ReplyCheck replies) {
        this.vertx = vertx;
        this.directory = directory;
        this.replies = replies;
        directory.onNodeLeft(this::nodeLeft);
    }

    /** One job on its way to one node. */
    private record Attempt(String model, String node, InferenceRequest request, Promise<InferenceReply> answer,
                           boolean retried, Context context) {
    }

    @Override
    public Future<InferenceReply> send(String model, InferenceRequest request) {
        Promise<InferenceReply> answer = Promise.promise();
        attempt(model, request, answer, null, false);
        return answer.future();
    }

    @Override
    public boolean serves(String model) {
        return !directory.nodesFor(model).isEmpty();
    }

    private void attempt(String model, InferenceRequest request, Promise<InferenceReply> answer, String avoid,
                         boolean retried) {
        List<String> nodes = directory.nodesFor(model).stream().filter(n -> !n.equals(avoid)).toList();
        if (nodes.isEmpty()) {
            answer.tryFail(new ReplyException(ReplyFailure.NO_HANDLERS, "no inference node serves model " + model));
            return;
        }
        if (request.expired()) {
            answer.tryFail(new ReplyException(ReplyFailure.TIMEOUT, "the deadline passed"));
            return;
        }
        String node = nodes.get(Math.floorMod(next.getAndIncrement(), nodes.size()));
        Attempt attempt = new Attempt(model, node, request, answer, retried, vertx.getOrCreateContext());
        inFlight.computeIfAbsent(node, n -> ConcurrentHashMap.newKeySet()).add(attempt);
        String token = replies.newToken();
        vertx.eventBus().<InferenceReply>request(Addresses.inferOn(model, node), request,
                        replies.mark(new DeliveryOptions().setSendTimeout(Math.max(1, request.remainingMillis())), token))
                .onComplete(ar -> {
                    if (!forget(attempt)) {
                        return; // already failed over when its node left
                    }
                    Optional<String> problem = ar.succeeded() ? replies.problem(ar.result(), token, request.task())
                            : Optional.empty();
                    if (problem.isPresent()) {
                        String id = UUID.randomUUID().toString();
                        log.warn("error {}: rejected the answer of node {} to a {} job: {}", id, node,
                                request.task().path(), problem.get());
                        answer.tryFail(new BusFailure(ErrorCode.INTERNAL, "internal error", id).toException());
                    } else if (ar.succeeded()) {
                        answer.tryComplete(ar.result().body());
                    } else if (!retried && ar.cause() instanceof ReplyException e && e.failureType() == ReplyFailure.NO_HANDLERS) {
                        attempt(model, request, answer, node, true);
                    } else {
                        answer.tryFail(ar.cause());
                    }
                });
    }

    /** True if the attempt was still in flight (and is now not). */
    private boolean forget(Attempt attempt) {
        Set<Attempt> attempts = inFlight.get(attempt.node());
        return attempts != null && attempts.remove(attempt);
    }

    private void nodeLeft(String node) {
        Set<Attempt> orphans = inFlight.remove(node);
        if (orphans == null) {
            return;
        }
        for (Attempt orphan : orphans) {
            orphan.context().runOnContext(v -> {
                if (!orphan.retried() && !orphan.request().expired() && serves(orphan.model())) {
                    attempt(orphan.model(), orphan.request(), orphan.answer(), node, true);
                } else {
                    orphan.answer().tryFail(BusFailure.of(ErrorCode.OVERLOADED,
                            "the inference node serving this job left the cluster").toException());
                }
            });
        }
    }
}
