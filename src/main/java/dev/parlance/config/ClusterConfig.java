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
 * @param insecure     run without credentials: anyone who reaches the cluster ports can join,
 *                     read jobs and forge answers. Never the default; see {@link ClusterTlsConfig}
 * @param tls          this member's credentials (certificate, key, CA)
 */
public record ClusterConfig(boolean enabled, String name, String host, int port, List<String> members, int eventBusPort,
                            boolean insecure, ClusterTlsConfig tls) {

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
        boolean insecure = r.bool("insecure", false);
        ClusterTlsConfig tls = ClusterTlsConfig.read(r.object("tls"));
        // As auth with tokens: a cluster is never silently open. The cluster name is no secret
        // (the README prints the default), so without credentials anyone could join.
        if (enabled && !insecure && !tls.configured()) {
            r.problem("tls", "a cluster member needs credentials: set cluster.tls.cert, .key and .ca (or"
                    + " PARLANCE_CLUSTER_TLS_CERT, _KEY, _CA), or run an open cluster explicitly with"
                    + " \"cluster\": {\"insecure\": true}");
        }
        if (insecure && tls.configured()) {
            r.problem("insecure", "is true but cluster.tls is set: choose one (remove \"insecure\" to use the credentials)");
        }
        return new ClusterConfig(enabled, name, host, port, members, eventBusPort, insecure, tls);
    }
}
