package dev.parlance;

import dev.parlance.bus.Codecs;
import dev.parlance.bus.Dispatcher;
import dev.parlance.bus.LocalDispatcher;
import dev.parlance.bus.Schemas;
import dev.parlance.cluster.ClusterCredentials;
import dev.parlance.cluster.ClusterDispatcher;
import dev.parlance.cluster.ClusterSetup;
import dev.parlance.cluster.LostEventBusWrites;
import dev.parlance.cluster.NodeDirectory;
import dev.parlance.cluster.ReplyCheck;
import dev.parlance.config.ModelConfig;
import dev.parlance.config.ParlanceConfig;
import dev.parlance.config.Role;
import dev.parlance.http.Health;
import dev.parlance.http.HttpVerticle;
import dev.parlance.http.MetricsEndpoint;
import dev.parlance.inference.InferenceVerticle;
import dev.parlance.metrics.MeterConventions;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.micrometer.Label;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MetricsDomain;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.VertxPrometheusOptions;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.UUID;

/**
 * One running Parlance process. HTTP and the inference side of every model start together, so
 * liveness answers while models load (readiness says 503 until every model is ready); in a
 * cluster, the node then announces its models. {@link #stop()} is the graceful shutdown.
 */
public final class Parlance {

    private static final Logger log = LoggerFactory.getLogger(Parlance.class);

    private final Vertx vertx;
    private final ParlanceConfig config;
    private final NodeDirectory directory;
    private final Health health = new Health();
    private final List<InferenceVerticle> models = new ArrayList<>();
    private final List<String> modelDeployments = new ArrayList<>();
    private String httpDeployment;

    private Parlance(Vertx vertx, ParlanceConfig config, NodeDirectory directory) {
        this.vertx = vertx;
        this.config = config;
        this.directory = directory;
    }

    /** Creates the Vert.x (clustered when the configuration says so) and starts Parlance on it. */
    public static Future<Parlance> launch(ParlanceConfig config, PrometheusMeterRegistry registry) {
        if (!config.cluster().enabled()) {
            return start(vertxBuilder(config, registry, new VertxOptions()).build(), config, registry);
        }
        HazelcastClusterManager cluster = ClusterSetup.clusterManager(config.cluster());
        EventBusOptions bus = new EventBusOptions()
                .setHost(config.cluster().host())
                .setPort(config.cluster().eventBusPort())
                .setClusterPublicHost(config.cluster().publicHost());
        if (config.cluster().insecure()) {
            log.warn("INSECURE CLUSTER: \"cluster.insecure\" is true. The event bus is plain text and"
                    + " unauthenticated: anyone who reaches the cluster ports can join as {}, read users' texts,"
                    + " answer jobs and call every model. Use it only on a network nobody else reaches;"
                    + " set cluster.tls to fix it.", config.cluster().name());
        } else {
            ClusterCredentials.secure(bus, config.cluster().tls());
        }
        VertxOptions options = new VertxOptions().setEventBusOptions(bus);
        return vertxBuilder(config, registry, options).withClusterManager(cluster).buildClustered()
                .onSuccess(vertx -> vertx.exceptionHandler(new LostEventBusWrites()))
                .compose(vertx -> credentials(vertx, config)
                        .compose(credentials -> start(vertx, config, registry, cluster, credentials))
                        .recover(error -> vertx.close().transform(v -> Future.failedFuture(error))));
    }

    /** The signing side of the credentials (the TLS side is Vert.x's); null in an insecure cluster. */
    private static Future<ClusterCredentials> credentials(Vertx vertx, ParlanceConfig config) {
        if (config.cluster().insecure()) {
            return Future.succeededFuture(null);
        }
        return vertx.executeBlocking(() -> ClusterCredentials.load(vertx, config.cluster().tls()));
    }

    /**
     * A Vert.x whose own metrics (HTTP server, event bus, pools, JVM) go to {@code registry},
     * beside Parlance's. HTTP metrics are labelled by route template, never by raw path.
     * Vert.x's "publish quantiles" would give every timer and summary, Parlance's too, a
     * 69- to 276-bucket histogram; {@link MeterConventions} gives buckets only where they say
     * something, and fixes the names Prometheus refuses.
     */
    private static VertxBuilder vertxBuilder(ParlanceConfig config, PrometheusMeterRegistry registry,
                                             VertxOptions options) {
        MicrometerMetricsOptions metrics = new MicrometerMetricsOptions()
                .setEnabled(true)
                // Vert.x keeps one registry per name for the whole JVM: under the default name a
                // second Vert.x (another server in the same test JVM) would report to the first
                // one's registry and bind the JVM meters to it a second time.
                .setRegistryName("parlance-" + UUID.randomUUID())
                .setJvmMetricsEnabled(true)
                .addDisabledMetricsCategory(MetricsDomain.HTTP_CLIENT)
                .setPrometheusOptions(new VertxPrometheusOptions().setEnabled(true).setPublishQuantiles(false))
                .setLabels(EnumSet.of(Label.HTTP_ROUTE, Label.HTTP_METHOD, Label.HTTP_CODE, Label.EB_ADDRESS,
                        Label.EB_FAILURE, Label.POOL_TYPE, Label.POOL_NAME));
        registry.config().meterFilter(MetricsEndpoint.boundedLabels());
        MeterConventions.install(registry, config);
        return Vertx.builder()
                .with(options.setMetricsOptions(metrics))
                .withMetrics(new MicrometerMetricsFactory(registry));
    }

    /** Deploys on a given Vert.x; fails if any model fails to load. */
    public static Future<Parlance> start(Vertx vertx, ParlanceConfig config, PrometheusMeterRegistry registry) {
        return start(vertx, config, registry, null, null);
    }

    /** @param credentials this member's cluster credentials; null in an insecure cluster */
    private static Future<Parlance> start(Vertx vertx, ParlanceConfig config, PrometheusMeterRegistry registry,
                                          HazelcastClusterManager cluster, ClusterCredentials credentials) {
        Codecs.register(vertx);
        NodeDirectory directory = cluster == null ? null
                : new NodeDirectory(vertx, cluster, config.cluster().name(), credentials);
        Parlance parlance = new Parlance(vertx, config, directory);
        return (directory == null ? Future.<Void>succeededFuture() : directory.start())
                .compose(v -> parlance.deploy(registry))
                .map(v -> parlance);
    }

    private Future<Void> deploy(PrometheusMeterRegistry registry) {
        Dispatcher dispatcher = null;
        if (config.has(Role.HTTP)) {
            dispatcher = directory == null ? new LocalDispatcher(vertx) : new ClusterDispatcher(vertx, directory, registry,
                    config.cluster().suspectAfterMs(),
                    new ReplyCheck(Schemas.load(config.limits()), !config.cluster().insecure()));
        }
        if (config.has(Role.INFERENCE)) {
            config.models().forEach(m -> health.loading(m.name()));
        } else {
            Dispatcher remote = dispatcher;
            config.models().forEach(m -> health.remote(m.name(), () -> remote.serves(m.name())));
        }
        Dispatcher routes = dispatcher;
        HttpVerticle.Shared shared = HttpVerticle.Shared.create(config, registry);
        // HTTP and the models start side by side: the models load on worker threads while the
        // event loops build the routes, so liveness answers early and readiness (503 until every
        // model is ready) comes as soon as the slower of the two is done.
        Future<String> http = vertx.deployVerticle(() -> new HttpVerticle(config, health, routes, shared),
                        new DeploymentOptions().setInstances(config.http().instances()))
                .onSuccess(id -> httpDeployment = id);
        Future<Void> models = config.has(Role.INFERENCE) ? deployModels(registry) : Future.succeededFuture();
        return Future.all(http, models).mapEmpty();
    }

    private Future<Void> deployModels(PrometheusMeterRegistry registry) {
        String nodeId = directory == null ? null : directory.nodeId();
        List<Future<String>> deployments = new ArrayList<>();
        for (ModelConfig model : config.models()) {
            InferenceVerticle verticle = new InferenceVerticle(model, config.limits(), registry, nodeId,
                    config.http().shutdownGraceMs());
            models.add(verticle);
            deployments.add(vertx.deployVerticle(verticle)
                    .onSuccess(id -> {
                        modelDeployments.add(id);
                        health.ready(model.name(), verticle::liveWorkers);
                    })
                    .onFailure(e -> health.failed(model.name())));
        }
        return Future.all(deployments).compose(all -> directory == null ? Future.succeededFuture()
                : directory.announce(config.models().stream().map(ModelConfig::name).toList()));
    }

    public Vertx vertx() {
        return vertx;
    }

    public Health health() {
        return health;
    }

    /**
     * Graceful shutdown: readiness turns 503 and, in a cluster, the node withdraws its models so
     * gateways route elsewhere; the server keeps serving for {@code http.shutdownDelayMs}; then
     * HTTP stops accepting and lets requests in flight finish (up to {@code http.shutdownGraceMs});
     * then each model finishes its queued jobs and is undeployed.
     */
    public Future<Void> stop() {
        health.stopping();
        log.info("shutting down: readiness is 503; serving {} ms more, then finishing requests in flight (up to {} ms)",
                config.http().shutdownDelayMs(), config.http().shutdownGraceMs());
        Future<Void> withdrawn = directory == null || !config.has(Role.INFERENCE) ? Future.succeededFuture()
                : directory.withdraw().otherwiseEmpty();
        return withdrawn
                .compose(v -> config.http().shutdownDelayMs() == 0 ? Future.<Void>succeededFuture()
                        : vertx.timer(config.http().shutdownDelayMs()).<Void>mapEmpty())
                .compose(v -> httpDeployment == null ? Future.<Void>succeededFuture() : vertx.undeploy(httpDeployment))
                .compose(v -> Future.join(models.stream().map(InferenceVerticle::drain).toList()).<Void>mapEmpty())
                .compose(v -> Future.join(modelDeployments.stream().map(vertx::undeploy).toList()).<Void>mapEmpty())
                .onComplete(v -> {
                    if (directory != null) {
                        directory.stop();
                    }
                });
    }
}
