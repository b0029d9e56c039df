package dev.parlance;

import dev.parlance.bus.Codecs;
import dev.parlance.config.ModelConfig;
import dev.parlance.config.ParlanceConfig;
import dev.parlance.http.HttpVerticle;
import dev.parlance.inference.InferenceVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.util.ArrayList;
import java.util.List;

/**
 * Deploys a whole Parlance server on a Vert.x instance: the inference side of every model
 * first (so no request arrives before a model can take it), then the HTTP verticles.
 */
public final class Parlance {

    private Parlance() {
    }

    /** @return the deployment ids, inference first */
    public static Future<List<String>> deploy(Vertx vertx, ParlanceConfig config) {
        Codecs.register(vertx);
        List<Future<String>> models = new ArrayList<>();
        for (ModelConfig model : config.models()) {
            models.add(vertx.deployVerticle(new InferenceVerticle(model, config.limits())));
        }
        return Future.all(models)
                .compose(deployed -> vertx.deployVerticle(() -> new HttpVerticle(config),
                                new DeploymentOptions().setInstances(config.http().instances()))
                        .map(http -> {
                            List<String> ids = new ArrayList<>(deployed.<String>list());
                            ids.add(http);
                            return ids;
                        }));
    }
}
