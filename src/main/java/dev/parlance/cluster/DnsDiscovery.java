package dev.parlance.cluster;

import com.hazelcast.cluster.Address;
import com.hazelcast.config.properties.PropertyDefinition;
import com.hazelcast.logging.ILogger;
import com.hazelcast.spi.discovery.AbstractDiscoveryStrategy;
import com.hazelcast.spi.discovery.DiscoveryNode;
import com.hazelcast.spi.discovery.DiscoveryStrategy;
import com.hazelcast.spi.discovery.DiscoveryStrategyFactory;
import com.hazelcast.spi.discovery.SimpleDiscoveryNode;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Members found through DNS: every address of one name (a Kubernetes headless service lists
 * one per pod), at the cluster port, plus any static members. Resolved again at every
 * discovery Hazelcast makes (each join attempt and each split-brain merge check), so pods
 * that started at the same instant, each seeing only itself at first, find each other at the
 * next merge check. Only the resolver the JVM is configured with is asked (the pod's DNS,
 * or /etc/hosts): no Kubernetes API, no token, nothing beyond the name.
 *
 * <p>Not Hazelcast's own Kubernetes discovery: its API mode needs a service-account token and
 * RBAC to list endpoints, and sends the pod's requests to the API server. Its DNS mode
 * resolves the same way as this class, but lives in the same plugin, selected by
 * configuration, next to the API code and its service-account file reading; these few lines
 * cannot reach anything but the resolver, and they add the static members to the same lookup.
 */
public final class DnsDiscovery implements DiscoveryStrategyFactory {

    private final String name;
    private final int port;
    private final List<String> staticMembers;

    /** @param staticMembers "host:port" members to add to what the name resolves to */
    public DnsDiscovery(String name, int port, List<String> staticMembers) {
        this.name = name;
        this.port = port;
        this.staticMembers = List.copyOf(staticMembers);
    }

    /** Every address the name has now, at the port, then the static members; duplicates once. */
    public List<Address> resolve() throws UnknownHostException {
        Set<Address> addresses = new LinkedHashSet<>();
        for (InetAddress address : InetAddress.getAllByName(name)) {
            addresses.add(new Address(address, port));
        }
        for (String member : staticMembers) {
            addresses.add(address(member));
        }
        return new ArrayList<>(addresses);
    }

    /** "host", "host:port", "[v6]" or "[v6]:port"; the cluster port when none is given. */
    private Address address(String member) throws UnknownHostException {
        String host = member;
        int memberPort = port;
        int colon = member.lastIndexOf(':');
        boolean bracketed = member.startsWith("[");
        if (bracketed ? member.lastIndexOf(']') < colon : colon > 0 && member.indexOf(':') == colon) {
            host = member.substring(0, colon);
            memberPort = Integer.parseInt(member.substring(colon + 1));
        }
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        return new Address(host, memberPort);
    }

    @Override
    public Class<? extends DiscoveryStrategy> getDiscoveryStrategyType() {
        return Strategy.class;
    }

    @Override
    public DiscoveryStrategy newDiscoveryStrategy(DiscoveryNode self, ILogger logger, Map<String, Comparable> properties) {
        return new Strategy(logger, properties);
    }

    @Override
    public Collection<PropertyDefinition> getConfigurationProperties() {
        return List.of();
    }

    private final class Strategy extends AbstractDiscoveryStrategy {

        Strategy(ILogger logger, Map<String, Comparable> properties) {
            super(logger, properties);
        }

        @Override
        public Iterable<DiscoveryNode> discoverNodes() {
            try {
                return resolve().stream().<DiscoveryNode>map(SimpleDiscoveryNode::new).toList();
            } catch (UnknownHostException e) {
                // Before the first pod is ready the name may not exist yet: alone for now.
                getLogger().warning("cluster DNS name " + name + " does not resolve (yet): " + e.getMessage());
                return List.of();
            }
        }
    }
}
