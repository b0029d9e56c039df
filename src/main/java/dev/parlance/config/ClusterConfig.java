package dev.parlance.config;

import java.util.List;

/**
 * Clustering over Hazelcast: members from a static list and/or a DNS name (a Kubernetes
 * headless service); no multicast, no cloud auto-detection.
 *
 * @param name         cluster name: only nodes with the same name join each other
 * @param host         address this node binds (Hazelcast and event bus)
 * @param port         Hazelcast port of this node
 * @param members      "host:port" of the nodes to contact to join (may include this one)
 * @param eventBusPort port of the clustered event bus; 0 picks a free one
 * @param publicHost   address the other members reach this node at (a pod IP when {@code host}
 *                     is 0.0.0.0); defaults to {@code host}
 * @param dns          a name whose every address is a member at {@code port} (a headless
 *                     service), resolved at each join attempt and merge check; "" for none
 * @param suspectAfterMs a node owing answers that has given none for this long gets no new
 *                     jobs, and its unanswered jobs are sent to another node
 * @param heartbeatTimeoutSeconds a member silent this long is dropped from the cluster
 * @param insecure     run without credentials: anyone who reaches the cluster ports can join,
 *                     read jobs and forge answers. Never the default; see {@link ClusterTlsConfig}
 * @param tls          this member's credentials (certificate, key, CA)
 */
public record ClusterConfig(boolean enabled, String name, String host, int port, List<String> members, int eventBusPort,
                            String publicHost, String dns, int suspectAfterMs, int heartbeatTimeoutSeconds,
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
        String dns = r.string("dns", "");
        if (!dns.isEmpty() && !dns.matches("[A-Za-z0-9.-]+")) {
            r.problem("dns", "must be a DNS name (was \"" + dns + "\")");
        }
        if (enabled && members.isEmpty() && dns.isEmpty()) {
            r.problem("members", "a cluster needs at least one member to contact, or a \"dns\" name to find them"
                    + " (TCP/IP discovery, no multicast)");
        }
        int eventBusPort = r.integer("eventBusPort", 0, 0, 65535);
        String publicHost = r.string("publicHost", host);
        if (enabled && (publicHost.equals("0.0.0.0") || publicHost.equals("::"))) {
            r.problem("publicHost", "other members cannot reach a wildcard address: set the address they"
                    + " reach this node at (in Kubernetes, the pod IP: PARLANCE_CLUSTER_PUBLIC_HOST from status.podIP)");
        }
        int suspectAfterMs = r.integer("suspectAfterMs", 2000, 100, 600_000);
        int heartbeatTimeoutSeconds = r.integer("heartbeatTimeoutSeconds", 5, 2, 600);
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
        return new ClusterConfig(enabled, name, host, port, members, eventBusPort, publicHost, dns, suspectAfterMs,
                heartbeatTimeoutSeconds, insecure, tls);
    }
}
