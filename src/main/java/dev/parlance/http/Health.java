package dev.parlance.http;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Liveness and readiness, as Kubernetes probes expect them. Live: the process answers.
 * Ready: every configured model is loaded with its workers deployed, and the server is not
 * shutting down. Shared by all HTTP verticles; written by whoever deploys the models.
 */
public final class Health {

    /** Where one model is. UNAVAILABLE: a gateway's model that no inference node serves right now. */
    public enum ModelState { LOADING, READY, FAILED, UNAVAILABLE }

    private final Map<String, ModelState> models = new ConcurrentHashMap<>();
    private volatile boolean stopping;

    public void loading(String model) {
        models.put(model, ModelState.LOADING);
    }

    public void ready(String model) {
        models.put(model, ModelState.READY);
    }

    public void failed(String model) {
        models.put(model, ModelState.FAILED);
    }

    /** For a model served elsewhere in the cluster: whether some node serves it now. */
    public void remote(String model, boolean served) {
        models.put(model, served ? ModelState.READY : ModelState.UNAVAILABLE);
    }

    /** From now on, readiness says 503 so that load balancers stop sending work. */
    public void stopping() {
        stopping = true;
    }

    public boolean isReady() {
        return !stopping && !models.isEmpty() && models.values().stream().allMatch(s -> s == ModelState.READY);
    }

    JsonObject report() {
        JsonObject byModel = new JsonObject();
        new TreeMap<>(models).forEach((name, state) -> byModel.put(name, state.name()));
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
