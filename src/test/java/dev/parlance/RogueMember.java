package dev.parlance;

import com.hazelcast.config.Config;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageCodec;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.AsyncMap;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The attacker of issue 14, run by ClusterSecurityTest: a plain Vert.x JVM that knows only the
 * cluster name and a member address, with no credentials. It joins Hazelcast (whose open-source
 * edition authenticates nobody), deletes every node's directory entry, writes its own, consumes
 * its node address answering every job with a forged answer of the right shape, and calls the
 * model on a real node's own address.
 *
 * <p>Arguments: cluster name, host, Hazelcast port, members (comma-separated), model. Prints
 * {@code READY <its node id>} once it has tampered, {@code CALL ...} with the result of its call,
 * and {@code JOBS <n>} (jobs it received) when it reads {@code REPORT} on stdin, then exits.
 */
public final class RogueMember {

    /** An answer in the form of Parlance's reply codec. */
    record ForgedReply(JsonObject json) {
    }

    /** Length-prefixed JSON, as Parlance's codecs write it. */
    static final class WireCodec<T> implements MessageCodec<T, T> {

        private final String name;
        private final Class<T> type;

        WireCodec(String name, Class<T> type) {
            this.name = name;
            this.type = type;
        }

        @Override
        public void encodeToWire(Buffer buffer, T value) {
            Buffer json = (value instanceof ForgedReply r ? r.json() : (JsonObject) value).toBuffer();
            buffer.appendInt(json.length()).appendBuffer(json);
        }

        @Override
        public T decodeFromWire(int pos, Buffer buffer) {
            JsonObject json = new JsonObject(buffer.getBuffer(pos + 4, pos + 4 + buffer.getInt(pos)));
            return type.cast(type == ForgedReply.class ? new ForgedReply(json) : json);
        }

        @Override
        public T transform(T value) {
            return value;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public byte systemCodecID() {
            return -1;
        }
    }

    public static void main(String[] args) throws Exception {
        String model = args[4];
        Config hazelcast = ConfigUtil.loadConfig();
        hazelcast.setClusterName(args[0]);
        hazelcast.setProperty("hazelcast.phone.home.enabled", "false");
        hazelcast.setProperty("hazelcast.local.localAddress", args[1]);
        hazelcast.getNetworkConfig().setPort(Integer.parseInt(args[2])).setPortAutoIncrement(false);
        hazelcast.getNetworkConfig().getJoin().getMulticastConfig().setEnabled(false);
        hazelcast.getNetworkConfig().getJoin().getAutoDetectionConfig().setEnabled(false);
        hazelcast.getNetworkConfig().getJoin().getTcpIpConfig().setEnabled(true).setMembers(List.of(args[3].split(",")));
        HazelcastClusterManager cluster = new HazelcastClusterManager(hazelcast);
        Vertx vertx = Vertx.builder()
                .with(new VertxOptions().setEventBusOptions(new EventBusOptions().setHost(args[1]).setClusterPublicHost(args[1])))
                .withClusterManager(cluster)
                .buildClustered().await();
        String self = cluster.getNodeId();

        // Parlance's wire format is public (length-prefixed JSON under two codec names): the rogue
        // speaks it, so that without credentials it would read jobs and its answers would pass.
        vertx.eventBus().registerCodec(new WireCodec<>("parlance.request", JsonObject.class));
        vertx.eventBus().registerCodec(new WireCodec<>("parlance.reply", ForgedReply.class));
        AtomicInteger jobs = new AtomicInteger();
        JsonObject forged = new JsonObject().put("labels", new JsonArray().add("FORGED")).put("scores", new JsonArray().add(1.0));
        vertx.eventBus().consumer("parlance.node." + self + ".infer." + model, message -> {
            jobs.incrementAndGet();
            message.reply(new ForgedReply(new JsonObject().put("body", forged).put("batchSize", 1).put("tokens", 1)),
                    new DeliveryOptions().setCodecName("parlance.reply"));
        }).completion().await();

        AsyncMap<String, Object> directory = vertx.sharedData().<String, Object>getClusterWideMap("parlance.nodes").await();
        Map<String, Object> entries = directory.entries().await();
        for (String node : entries.keySet()) {
            directory.remove(node).await();
        }
        directory.put(self, new JsonArray().add(model)).await();
        System.out.println("READY " + self + " " + entries.size());

        String victim = entries.keySet().stream().filter(n -> !n.equals(self)).findFirst().orElse(null);
        JsonObject job = new JsonObject().put("task", "classification").put("timeoutMs", 10_000)
                .put("input", new JsonObject().put("text", "a secret text").put("labels", new JsonArray().add("x")));
        if (victim == null) {
            System.out.println("CALL NO_VICTIM");
        } else {
            vertx.eventBus().request("parlance.node." + victim + ".infer." + model, job, new DeliveryOptions().setSendTimeout(10_000))
                    .onSuccess(reply -> System.out.println("CALL REPLY " + reply.body()))
                    .onFailure(e -> System.out.println("CALL FAILED "
                            + (e instanceof ReplyException r ? r.failureType() : e.getClass().getSimpleName())))
                    .otherwiseEmpty().await();
        }

        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null && !line.equals("REPORT")) {
            // waits for the test
        }
        System.out.println("JOBS " + jobs.get());
        System.out.flush();
        vertx.close().await();
        System.exit(0);
    }
}
