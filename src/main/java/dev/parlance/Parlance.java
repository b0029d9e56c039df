package dev.parlance;

import dev.parlance.bus.Codecs;
import dev.parlance.config.ModelConfig;
import dev.parlance.config.ParlanceConfig;
import dev.parlance.http.HttpVerticle;
import dev.parlance.inference.InferenceVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.micrometer.Label;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;

/**
 * Deploys a whole Parlance server on a Vert.x instance: the inference side of every model
 * first (so no request arrives before a model can take it), then the HTTP verticles.
 */
public final class Parlance {

    private Parlance() {
    }

    /**
     * A Vert.x whose own metrics (HTTP server, event bus, pools) go to {@code registry}, beside
     * Parlance's.
     */
    public static Vertx createVertx(PrometheusMeterRegistry registry) {
        MicrometerMetricsOptions metrics = new MicrometerMetricsOptions()
                .setEnabled(true)
                .setJvmMetricsEnabled(true)
                .setLabels(EnumSet.of(Label.HTTP_ROUTE, Label.HTTP_METHOD, Label.HTTP_CODE, Label.EB_ADDRESS, Label.EB_FAILURE,
                        Label.POOL_TYPE, Label.POOL_NAME));
        return Vertx.builder()
                .with(new VertxOptions().setMetricsOptions(metrics))
                .withMetrics(new MicrometerMetricsFactory(registry))
                .build();
    }

    /** @return the deployment ids, inference first */
    public static Future<List<String>> deploy(Vertx vertx, ParlanceConfig config, PrometheusMeterRegistry registry) {
        Codecs.register(vertx);
        List<Future<String>> models = new ArrayList<>();
        for (ModelConfig model : config.models()) {
            models.add(vertx.deployVerticle(new InferenceVerticle(model, config.limits(), registry)));
        }
        return Future.all(models)
                .compose(deployed -> vertx.deployVerticle(() -> new HttpVerticle(config, registry),
                                new DeploymentOptions().setInstances(config.http().instances()))
                        .map(http -> {
                            List<String> ids = new ArrayList<>(deployed.<String>list());
                            ids.add(http);
                            return ids;
                        }));
    }
}
