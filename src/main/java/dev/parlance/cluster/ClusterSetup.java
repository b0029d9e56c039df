package dev.parlance.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.config.DiscoveryStrategyConfig;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import dev.parlance.config.ClusterConfig;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;

/**
 * Hazelcast as Parlance clusters it: TCP/IP discovery from a member list and/or a DNS name
 * ({@link DnsDiscovery}), bound to one host,
 * fast failure detection, and nothing that reaches past the configured members: no
 * multicast, no cloud auto-detection (which would probe the cloud metadata address), no phone-home.
 */
public final class ClusterSetup {

    private ClusterSetup() {
    }

    public static HazelcastClusterManager clusterManager(ClusterConfig cluster) {
        return new HazelcastClusterManager(hazelcastConfig(cluster));
    }

    public static Config hazelcastConfig(ClusterConfig cluster) {
        Config config = ConfigUtil.loadConfig();
        config.setClusterName(cluster.name());
        config.setProperty("hazelcast.phone.home.enabled", "false");
        config.setProperty("hazelcast.logging.type", "slf4j");
        // Bound to one address, unless told to bind all (a pod: 0.0.0.0 bound, its IP advertised).
        boolean wildcard = cluster.host().equals("0.0.0.0") || cluster.host().equals("::");
        if (!wildcard) {
            config.setProperty("hazelcast.local.localAddress", cluster.host());
        }
        config.setProperty("hazelcast.socket.bind.any", Boolean.toString(wildcard));
        // A dead node is noticed within seconds, not the default minute: its jobs fail over sooner.
        config.setProperty("hazelcast.heartbeat.interval.seconds", "1");
        config.setProperty("hazelcast.max.no.heartbeat.seconds", Integer.toString(cluster.heartbeatTimeoutSeconds()));
        // A member whose port refuses connections is dead (a crash closes its sockets at once).
        // Hazelcast drops it after the 4th refusal 100 ms apart by default (0.3 to 0.5 s, during
        // which gateways still route to it and say ready); with 1, at the 2nd (about 0.1 s). A
        // live member never refuses; a silent one (no refusal, no answer) is the heartbeat's job.
        config.setProperty("hazelcast.connection.monitor.max.faults", "1");
        // Vert.x leaves the cluster itself, after the graceful shutdown; Hazelcast must not leave first.
        config.setProperty("hazelcast.shutdownhook.enabled", "false");
        NetworkConfig network = config.getNetworkConfig();
        network.setPort(cluster.port()).setPortAutoIncrement(false);
        network.setPublicAddress(cluster.publicHost() + ":" + cluster.port());
        JoinConfig join = network.getJoin();
        join.getMulticastConfig().setEnabled(false);
        join.getAutoDetectionConfig().setEnabled(false);
        join.getAwsConfig().setEnabled(false);
        join.getGcpConfig().setEnabled(false);
        join.getAzureConfig().setEnabled(false);
        join.getKubernetesConfig().setEnabled(false);
        join.getEurekaConfig().setEnabled(false);
        if (cluster.dns().isEmpty()) {
            join.getTcpIpConfig().setEnabled(true).setMembers(cluster.members());
        } else {
            // Hazelcast allows one join method: the DNS discovery also contacts the static members.
            join.getTcpIpConfig().setEnabled(false);
            config.setProperty("hazelcast.discovery.enabled", "true");
            join.getDiscoveryConfig().addDiscoveryStrategyConfig(new DiscoveryStrategyConfig(
                    new DnsDiscovery(cluster.dns(), cluster.port(), cluster.members())));
        }
        // Members that started at the same instant may form clusters of their own (each found
        // only itself); Hazelcast looks for such clusters to merge 300 s after start, then
        // every 120 s. Every 10 s here: a check is one discovery (a DNS lookup) and a join
        // request to each address not in the cluster, cheap for the few members Parlance has.
        config.setProperty("hazelcast.merge.first.run.delay.seconds", "10");
        config.setProperty("hazelcast.merge.next.run.delay.seconds", "10");
        return config;
    }
}
