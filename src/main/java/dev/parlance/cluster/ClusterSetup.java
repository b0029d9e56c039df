package dev.parlance.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import dev.parlance.config.ClusterConfig;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;

/**
 * Hazelcast as Parlance clusters it: TCP/IP discovery from a member list, bound to one host,
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
        join.getTcpIpConfig().setEnabled(true).setMembers(cluster.members());
        return config;
    }
}
