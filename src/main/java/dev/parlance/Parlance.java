package dev.parlance;

import dev.parlance.bus.Codecs;
import dev.parlance.config.ModelConfig;
import dev.parlance.config.ParlanceConfig;
import dev.parlance.http.Health;
import dev.parlance.http.HttpVerticle;
import dev.parlance.inference.InferenceVerticle;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.Label;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.VertxPrometheusOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;

/**
 * One running Parlance server on a Vert.x instance. HTTP comes up first, so liveness answers
 * while models load (readiness says 503 until every model is ready); then the inference side
 * of every model. {@link #stop()} is the graceful shutdown.
 */
public final class Parlance {

    private static final Logger log = LoggerFactory.getLogger(Parlance.class);

    private final Vertx vertx;
    private final ParlanceConfig config;
    private final Health health = new Health();
    private final List<String> modelDeployments = new ArrayList<>();
    private String httpDeployment;

    private Parlance(Vertx vertx, ParlanceConfig config) {
        this.vertx = vertx;
        this.config = config;
    }

    /**
     * A Vert.x whose own metrics (HTTP server, event bus, pools, JVM) go to {@code registry},
     * beside Parlance's. HTTP metrics are labelled by route template, never by raw path.
     */
    public static Vertx createVertx(PrometheusMeterRegistry registry) {
        MicrometerMetricsOptions metrics = new MicrometerMetricsOptions()
                .setEnabled(true)
                .setJvmMetricsEnabled(true)
                .setPrometheusOptions(new VertxPrometheusOptions().setEnabled(true).setPublishQuantiles(true))
                .setLabels(EnumSet.of(Label.HTTP_ROUTE, Label.HTTP_METHOD, Label.HTTP_CODE, Label.EB_ADDRESS,
                        Label.EB_FAILURE, Label.POOL_TYPE, Label.POOL_NAME));
        return Vertx.builder()
                .with(new VertxOptions().setMetricsOptions(metrics))
                .withMetrics(new MicrometerMetricsFactory(registry))
                .build();
    }

    /** Deploys HTTP, then every model; fails (after undoing nothing: close the Vert.x) if any model fails. */
    public static Future<Parlance> start(Vertx vertx, ParlanceConfig config, PrometheusMeterRegistry registry) {
        Parlance parlance = new Parlance(vertx, config);
        Codecs.register(vertx);
        config.models().forEach(m -> parlance.health.loading(m.name()));
        return vertx.deployVerticle(() -> new HttpVerticle(config, registry, parlance.health),
                        new DeploymentOptions().setInstances(config.http().instances()))
                .compose(http -> {
                    parlance.httpDeployment = http;
                    List<Future<String>> models = new ArrayList<>();
                    for (ModelConfig model : config.models()) {
                        models.add(vertx.deployVerticle(new InferenceVerticle(model, config.limits(), registry))
                                .onSuccess(id -> {
                                    parlance.modelDeployments.add(id);
                                    parlance.health.ready(model.name());
                                })
                                .onFailure(e -> parlance.health.failed(model.name())));
                    }
                    return Future.all(models);
                })
                .map(all -> parlance);
    }

    public Health health() {
        return health;
    }

    /**
     * Graceful shutdown: readiness turns 503 (and the server keeps serving for
     * {@code http.shutdownDelayMs}, so load balancers can notice), then HTTP stops accepting
     * and lets requests in flight finish (up to {@code http.shutdownGraceMs}), then the models
     * are undeployed.
     */
    public Future<Void> stop() {
        health.stopping();
        log.info("shutting down: readiness is 503; serving {} ms more, then finishing requests in flight (up to {} ms)",
                config.http().shutdownDelayMs(), config.http().shutdownGraceMs());
        Future<Void> delay = config.http().shutdownDelayMs() == 0 ? Future.succeededFuture()
                : vertx.timer(config.http().shutdownDelayMs()).mapEmpty();
        Future<Void> http = delay.compose(v -> httpDeployment == null ? Future.succeededFuture()
                : vertx.undeploy(httpDeployment));
        return http.compose(v -> {
            List<Future<Void>> models = modelDeployments.stream().map(vertx::undeploy).toList();
            return Future.join(models).mapEmpty();
        });
    }
}
