package dev.parlance.cluster;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * What a gateway has measured of each inference node: the jobs sent to it and not answered
 * yet, and since when it has owed an answer without giving any. A node that owes answers and
 * has given none for {@code suspectAfterMs} is <em>suspect</em> (frozen, paused, cut off: a
 * busy node still answers the jobs at the head of its queue). Shared by every event loop of
 * the gateway, hence thread-safe; each node's state is guarded by its own lock.
 *
 * @param <J> what is sent: identity matters, one entry per send
 */
final class NodeLoad<J> {

    private final long suspectAfterMs;
    private final LongSupplier clock;
    private final Map<String, Node<J>> nodes = new ConcurrentHashMap<>();
    private final AtomicInteger rotation = new AtomicInteger();

    /** @param clock milliseconds, monotonic */
    NodeLoad(long suspectAfterMs, LongSupplier clock) {
        this.suspectAfterMs = suspectAfterMs;
        this.clock = clock;
    }

    private static final class Node<J> {
        final Set<J> outstanding = ConcurrentHashMap.newKeySet();
        /** When the node last answered, or began to owe an answer if it has answered none since. */
        long silentSince;
    }

    private Node<J> node(String id) {
        return nodes.computeIfAbsent(id, n -> new Node<>());
    }

    void sent(String node, J job) {
        Node<J> n = node(node);
        synchronized (n) {
            if (n.outstanding.isEmpty()) {
                n.silentSince = clock.getAsLong();
            }
            n.outstanding.add(job);
        }
    }

    /**
     * The job is no longer awaited from this node.
     *
     * @param answered the node answered it (a result or an error of its own); false when the
     *                 wait ended without a word from the node (timeout, a lost write)
     * @return false if it was not outstanding (already given up when the node left)
     */
    boolean finished(String node, J job, boolean answered) {
        Node<J> n = nodes.get(node);
        if (n == null) {
            return false;
        }
        synchronized (n) {
            if (!n.outstanding.remove(job)) {
                return false;
            }
            if (answered) {
                n.silentSince = clock.getAsLong();
            }
            return true;
        }
    }

    /** The node has left: forgets it, and hands back the jobs it still owed. */
    Collection<J> left(String node) {
        Node<J> n = nodes.remove(node);
        if (n == null) {
            return List.of();
        }
        synchronized (n) {
            List<J> owed = new ArrayList<>(n.outstanding);
            n.outstanding.clear();
            return owed;
        }
    }

    int outstanding(String node) {
        Node<J> n = nodes.get(node);
        return n == null ? 0 : n.outstanding.size();
    }

    boolean suspect(String node) {
        Node<J> n = nodes.get(node);
        if (n == null) {
            return false;
        }
        synchronized (n) {
            return !n.outstanding.isEmpty() && clock.getAsLong() - n.silentSince >= suspectAfterMs;
        }
    }

    /** The jobs owed by suspect nodes, by node. */
    Map<String, List<J>> owedBySuspects() {
        Map<String, List<J>> owed = new HashMap<>();
        nodes.forEach((node, n) -> {
            if (suspect(node)) {
                owed.put(node, List.copyOf(n.outstanding));
            }
        });
        return owed;
    }

    /**
     * The node to send the next job to: the one owing the fewest answers among those not
     * suspect (rotating among equals, so an idle cluster still spreads), or among all of them
     * when every one is suspect (sending somewhere beats refusing).
     */
    String choose(List<String> candidates) {
        List<String> healthy = candidates.stream().filter(c -> !suspect(c)).toList();
        List<String> pool = healthy.isEmpty() ? candidates : healthy;
        int start = Math.floorMod(rotation.getAndIncrement(), pool.size());
        String best = null;
        int fewest = Integer.MAX_VALUE;
        for (int i = 0; i < pool.size(); i++) {
            String node = pool.get((start + i) % pool.size());
            int owed = outstanding(node);
            if (owed < fewest) {
                best = node;
                fewest = owed;
            }
        }
        return best;
    }
}
