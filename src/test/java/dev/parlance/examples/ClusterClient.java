package dev.parlance.examples;

import com.hazelcast.config.Config;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.core.net.PfxOptions;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;

import java.util.List;

/**
 * Another application's JVM using Parlance's models over the clustered event bus, with plain
 * Vert.x and Hazelcast and nothing of Parlance's code: the README's example, run by ClusterTest.
 *
 * <p>Arguments: cluster name, this node's host, its Hazelcast port, members (comma-separated
 * host:port), model, text, labels (comma-separated), then the cluster credentials: a PKCS12 file
 * with this client's key and certificate, the CA's PEM certificate, the PKCS12 password (the
 * event bus of a cluster with credentials speaks TLS with client certificates only). Prints
 * {@code REPLY <json>}, or {@code FAILED <reason>}, and exits.
 */
public final class ClusterClient {

    /** Sends one classification job to a model and keeps the answer. */
    static final class ClassifyVerticle extends VerticleBase {

        private final String model;
        private final JsonObject input;
        volatile JsonObject answer;

        ClassifyVerticle(String model, JsonObject input) {
            this.model = model;
            this.input = input;
        }

        @Override
        public Future<?> start() {
            JsonObject job = new JsonObject().put("task", "classification").put("input", input).put("timeoutMs", 10_000);
            return vertx.eventBus().<JsonObject>request("parlance.infer." + model, job, new DeliveryOptions().setSendTimeout(15_000))
                    .onSuccess(reply -> answer = reply.body());
        }
    }

    public static void main(String[] args) {
        String clusterName = args[0];
        String host = args[1];
        int port = Integer.parseInt(args[2]);
        List<String> members = List.of(args[3].split(","));
        JsonObject input = new JsonObject().put("text", args[5]).put("labels", new JsonArray(List.of((Object[]) args[6].split(","))));

        Config hazelcast = ConfigUtil.loadConfig();
        hazelcast.setClusterName(clusterName);
        hazelcast.setProperty("hazelcast.phone.home.enabled", "false");
        hazelcast.setProperty("hazelcast.local.localAddress", host);
        hazelcast.getNetworkConfig().setPort(port).setPortAutoIncrement(false);
        hazelcast.getNetworkConfig().getJoin().getMulticastConfig().setEnabled(false);
        hazelcast.getNetworkConfig().getJoin().getAutoDetectionConfig().setEnabled(false);
        hazelcast.getNetworkConfig().getJoin().getTcpIpConfig().setEnabled(true).setMembers(members);

        EventBusOptions bus = new EventBusOptions().setHost(host).setClusterPublicHost(host);
        if (args.length >= 10) {
            bus.setSsl(true).setClientAuth(ClientAuth.REQUIRED)
                    .setKeyCertOptions(new PfxOptions().setPath(args[7]).setPassword(args[9]))
                    .setTrustOptions(new PemTrustOptions().addCertPath(args[8]));
        }
        Vertx vertx = Vertx.builder()
                .with(new VertxOptions().setEventBusOptions(bus))
                .withClusterManager(new HazelcastClusterManager(hazelcast))
                .buildClustered().await();
        try {
            ClassifyVerticle verticle = new ClassifyVerticle(args[4], input);
            vertx.deployVerticle(verticle)
                    .onSuccess(id -> System.out.println("REPLY " + verticle.answer.encode()))
                    .onFailure(e -> System.out.println("FAILED " + e))
                    .await();
        } catch (Exception e) {
            // printed above
        } finally {
            vertx.close().await();
        }
        System.exit(0);
    }
}
