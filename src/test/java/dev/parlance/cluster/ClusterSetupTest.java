package dev.parlance.cluster;

import com.hazelcast.cluster.Address;
import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import dev.parlance.config.ClusterConfig;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What Hazelcast is told, for a member list and for a DNS name. */
class ClusterSetupTest {

    private static ClusterConfig cluster(String host, String publicHost, List<String> members, String dns) {
        return new ClusterConfig(true, "test", host, 5701, members, 5702, publicHost, dns, 2000, 5, true,
                dev.parlance.config.ClusterTlsConfig.NONE);
    }

    @Test
    void aMemberListIsTcpIpDiscovery() {
        Config config = ClusterSetup.hazelcastConfig(cluster("127.0.0.1", "127.0.0.1", List.of("127.0.0.2:5701"), ""));
        JoinConfig join = config.getNetworkConfig().getJoin();
        assertTrue(join.getTcpIpConfig().isEnabled());
        assertEquals(List.of("127.0.0.2:5701"), join.getTcpIpConfig().getMembers());
        assertEquals("127.0.0.1", config.getProperty("hazelcast.local.localAddress"));
        assertEquals("false", config.getProperty("hazelcast.socket.bind.any"));
        assertEquals("10", config.getProperty("hazelcast.merge.first.run.delay.seconds"));
        assertEquals("10", config.getProperty("hazelcast.merge.next.run.delay.seconds"));
    }

    @Test
    void aDnsNameIsTheDiscoveryAndAWildcardHostAdvertisesThePublicOne() {
        Config config = ClusterSetup.hazelcastConfig(cluster("0.0.0.0", "127.0.0.5", List.of(), "parlance-cluster"));
        JoinConfig join = config.getNetworkConfig().getJoin();
        assertFalse(join.getTcpIpConfig().isEnabled(), "Hazelcast takes one join method");
        assertEquals("true", config.getProperty("hazelcast.discovery.enabled"));
        assertEquals(1, join.getDiscoveryConfig().getDiscoveryStrategyConfigs().size());
        assertTrue(join.getDiscoveryConfig().getDiscoveryStrategyConfigs().iterator().next()
                .getDiscoveryStrategyFactory() instanceof DnsDiscovery);
        assertEquals("true", config.getProperty("hazelcast.socket.bind.any"));
        assertNull(config.getProperty("hazelcast.local.localAddress"));
        assertEquals("127.0.0.5:5701", config.getNetworkConfig().getPublicAddress());
    }

    @Test
    void everyAddressOfTheNameAtTheClusterPortThenTheStaticMembers() throws Exception {
        // localhost comes from /etc/hosts: no DNS server is asked.
        List<Address> found = new DnsDiscovery("localhost", 5701,
                List.of("127.0.0.9:5800", "127.0.0.1", "[::1]:5900", "[::1]")).resolve();
        assertTrue(found.contains(new Address("127.0.0.1", 5701)), found.toString());
        assertTrue(found.contains(new Address("127.0.0.9", 5800)), found.toString());
        assertTrue(found.contains(new Address("::1", 5900)), found.toString());
        assertTrue(found.contains(new Address("::1", 5701)), found.toString());
        assertEquals(found.size(), found.stream().distinct().count(), "each address once: " + found);
    }
}
