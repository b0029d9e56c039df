package dev.parlance.cluster;

import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.shareddata.AsyncMap;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * Which node serves which model, cluster-wide. Inference nodes announce their models in a
 * cluster map once they are ready, and withdraw before they stop; every node reads the map
 * every second and on membership changes, keeping only members Hazelcast still sees, so a
 * node that died drops out as soon as the cluster notices. Entries are signed with the node's
 * cluster credentials and only verified ones are believed (see {@link DirectoryEntries}).
 */
public final class NodeDirectory {

    private static final Logger log = LoggerFactory.getLogger(NodeDirectory.class);
    private static final String MAP = "parlance.nodes";
    private static final long REFRESH_MS = 1000;
    /** The member attribute where vertx-hazelcast keeps a member's Vert.x node id. */
    private static final String VERTX_NODE_ID = "__vertx.nodeId";

    private final Vertx vertx;
    private final HazelcastClusterManager cluster;
    private final List<Consumer<String>> nodeLeftListeners = new CopyOnWriteArrayList<>();
    private final DirectoryEntries entries;
    private volatile Map<String, List<String>> nodesByModel = Map.of();
    private AsyncMap<String, Object> map;
    /** What this node last wrote, written again if someone else removed or replaced it. */
    private volatile Object ownEntry;
    private long timer = -1;
    private final AtomicReference<Future<Void>> refreshing = new AtomicReference<>();

    /**
     * @param clusterName signed into every entry: a certificate valid for another cluster with
     *                    the same CA does not make a node of this one
     * @param credentials this member's credentials; null in an insecure cluster
     */
    public NodeDirectory(Vertx vertx, HazelcastClusterManager cluster, String clusterName, ClusterCredentials credentials) {
        this.vertx = vertx;
        this.cluster = cluster;
        this.entries = new DirectoryEntries(clusterName, credentials);
    }

    public String nodeId() {
        return cluster.getNodeId();
    }

    public Future<Void> start() {
        return vertx.sharedData().<String, Object>getClusterWideMap(MAP).compose(m -> {
            map = m;
            cluster.getHazelcastInstance().getCluster().addMembershipListener(new MembershipListener() {
                @Override
                public void memberAdded(MembershipEvent event) {
                    vertx.runOnContext(v -> refresh());
                }

                @Override
                public void memberRemoved(MembershipEvent event) {
                    // Vert.x's node id is a member attribute, not Hazelcast's member uuid.
                    String node = event.getMember().getAttribute(VERTX_NODE_ID);
                    if (node != null) {
                        vertx.runOnContext(v -> nodeLeft(node));
                    }
                }
            });
            timer = vertx.setPeriodic(REFRESH_MS, id -> refresh());
            return refresh();
        });
    }

    public void stop() {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }

    /** This node serves these models from now on. */
    public Future<Void> announce(List<String> models) {
        Object entry = entries.entry(nodeId(), models);
        ownEntry = entry;
        log.info("cluster node {} announces models {}{}", nodeId(), models, entries.secure() ? " (signed)" : "");
        return map.put(nodeId(), entry).compose(v -> refresh());
    }

    /** This node stops taking new jobs: gateways route elsewhere from their next refresh. */
    public Future<Void> withdraw() {
        if (map == null) {
            return Future.succeededFuture();
        }
        ownEntry = null;
        // Signed, a withdrawal is an entry with no models: a removal could be anyone's.
        return (entries.secure() ? map.put(nodeId(), entries.entry(nodeId(), List.of())) : map.remove(nodeId()))
                .compose(v -> refresh());
    }

    /**
     * The nodes serving the model that are cluster members right now. The member list is read
     * at each call, not taken from the last refresh: a node the cluster has just dropped is
     * gone from the answer at once, before this directory's own listener has run.
     */
    public List<String> nodesFor(String model) {
        List<String> nodes = nodesByModel.getOrDefault(model, List.of());
        if (nodes.isEmpty()) {
            return nodes;
        }
        Set<String> members = new HashSet<>(cluster.getNodes());
        return nodes.stream().filter(members::contains).toList();
    }

    public boolean clusterRunning() {
        return cluster.getHazelcastInstance().getLifecycleService().isRunning();
    }

    /** Called on the Vert.x context with the id of each node that left. */
    public void onNodeLeft(Consumer<String> listener) {
        nodeLeftListeners.add(listener);
    }

    private void nodeLeft(String node) {
        log.warn("cluster node {} left", node);
        Map<String, List<String>> without = new HashMap<>();
        nodesByModel.forEach((model, nodes) -> without.put(model, nodes.stream().filter(n -> !n.equals(node)).toList()));
        nodesByModel = without;
        entries.left(node);
        map.remove(node);
        nodeLeftListeners.forEach(l -> l.accept(node));
    }

    /**
     * Reads the map, unless a read is still under way: then that read's result is the answer.
     * A read blocks a worker thread until every partition owner answers, and a frozen member
     * answers nothing until the heartbeat timeout drops it: one read a second used to take
     * a worker thread a second, all 20 within 20 s, and /metrics (rendered on a worker) hung.
     */
    private Future<Void> refresh() {
        Future<Void> current = refreshing.get();
        if (current != null && !current.isComplete()) {
            return current;
        }
        Future<Void> next = read();
        refreshing.set(next);
        return next;
    }

    private Future<Void> read() {
        if (!clusterRunning()) {
            nodesByModel = Map.of();
            return Future.succeededFuture();
        }
        return map.entries().map(current -> {
            Set<String> members = new HashSet<>(cluster.getNodes());
            Map<String, List<String>> byModel = new HashMap<>();
            entries.modelsByNode(current, members).forEach((node, models) -> {
                for (String model : models) {
                    byModel.computeIfAbsent(model, k -> new ArrayList<>()).add(node);
                }
            });
            Object own = ownEntry;
            if (own != null && !own.equals(current.get(nodeId()))) {
                // Another member removed or replaced this node's entry: gateways that had it keep
                // it, gateways that join later must find it too.
                map.put(nodeId(), own);
            }
            byModel.values().forEach(nodes -> nodes.sort(String::compareTo));
            nodesByModel = byModel;
            return null;
        });
    }
}
