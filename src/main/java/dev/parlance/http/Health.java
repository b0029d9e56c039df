package dev.parlance.http;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;

/**
 * Liveness and readiness, as Kubernetes probes expect them. Live: the process answers.
 * Ready: every configured model is loaded with at least one live worker, and the server is
 * not shutting down. Shared by all HTTP verticles; written by whoever deploys the models.
 */
public final class Health {

    /**
     * Where one model is. UNAVAILABLE: a gateway's model that no inference node serves right now.
     * NO_WORKER: loaded, but none of its workers is taking batches any more.
     */
    public enum ModelState { LOADING, READY, FAILED, UNAVAILABLE, NO_WORKER }

    private final Map<String, ModelState> models = new ConcurrentHashMap<>();
    /** For models served in this process: how many of their workers are alive right now. */
    private final Map<String, IntSupplier> liveWorkers = new ConcurrentHashMap<>();
    /** For models served elsewhere in the cluster: whether a live node serves them right now. */
    private final Map<String, BooleanSupplier> remoteServed = new ConcurrentHashMap<>();
    private volatile boolean stopping;

    public void loading(String model) {
        models.put(model, ModelState.LOADING);
    }

    /** @param liveWorkers read at every probe: readiness fails as soon as it says 0 */
    public void ready(String model, IntSupplier liveWorkers) {
        this.liveWorkers.put(model, liveWorkers);
        models.put(model, ModelState.READY);
    }

    public void failed(String model) {
        models.put(model, ModelState.FAILED);
    }

    /**
     * For a model served elsewhere in the cluster.
     *
     * @param served read at every probe, not cached: readiness falls the moment the cluster
     *               drops the last node serving the model, not at the next directory refresh
     */
    public void remote(String model, BooleanSupplier served) {
        remoteServed.put(model, served);
        models.put(model, ModelState.READY);
    }

    /** From now on, readiness says 503 so that load balancers stop sending work. */
    public void stopping() {
        stopping = true;
    }

    public boolean isReady() {
        return !stopping && !models.isEmpty() && models.keySet().stream().allMatch(m -> state(m) == ModelState.READY);
    }

    private ModelState state(String model) {
        ModelState state = models.get(model);
        IntSupplier live = liveWorkers.get(model);
        if (state == ModelState.READY && live != null && live.getAsInt() <= 0) {
            return ModelState.NO_WORKER;
        }
        BooleanSupplier served = remoteServed.get(model);
        return state == ModelState.READY && served != null && !served.getAsBoolean() ? ModelState.UNAVAILABLE : state;
    }

    JsonObject report() {
        JsonObject byModel = new JsonObject();
        new TreeMap<>(models).keySet().forEach(name -> byModel.put(name, state(name).name()));
        return new JsonObject()
                .put("status", isReady() ? "UP" : "DOWN")
                .put("stopping", stopping)
                .put("models", byModel);
    }

    void live(RoutingContext ctx) {
        ctx.response().putHeader("content-type", "application/json").end(new JsonObject().put("status", "UP").toBuffer());
    }

    void ready(RoutingContext ctx) {
        ctx.response().setStatusCode(isReady() ? 200 : 503)
                .putHeader("content-type", "application/json").end(report().toBuffer());
    }
}
