package dev.parlance.config;

import java.util.List;

/**
 * Clustering over Hazelcast, TCP/IP discovery only (no multicast, no cloud auto-detection).
 *
 * @param name         cluster name: only nodes with the same name join each other
 * @param host         address this node binds and advertises (Hazelcast and event bus)
 * @param port         Hazelcast port of this node
 * @param members      "host:port" of the nodes to contact to join (may include this one)
 * @param eventBusPort port of the clustered event bus; 0 picks a free one
 */
public record ClusterConfig(boolean enabled, String name, String host, int port, List<String> members, int eventBusPort) {

    public ClusterConfig {
        members = List.copyOf(members);
    }

    static ClusterConfig read(ConfigReader r, boolean forced) {
        boolean enabled = forced || r.bool("enabled", false);
        String name = r.string("name", "parlance");
        String host = r.string("host", "127.0.0.1");
        int port = r.integer("port", 5701, 1, 65535);
        List<String> members = r.strings("members");
        for (String member : members) {
            if (!member.matches("[A-Za-z0-9.:\\[\\]-]+(:[0-9]{1,5})?")) {
                r.problem("members", "each member must be host or host:port (was \"" + member + "\")");
            }
        }
        if (enabled && members.isEmpty()) {
            r.problem("members", "a cluster needs at least one member to contact (TCP/IP discovery, no multicast)");
        }
        int eventBusPort = r.integer("eventBusPort", 0, 0, 65535);
        return new ClusterConfig(enabled, name, host, port, members, eventBusPort);
    }
}
