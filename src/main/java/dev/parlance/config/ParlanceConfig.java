package dev.parlance.config;

import io.vertx.core.json.JsonObject;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** The whole, validated configuration of one Parlance process. */
public record ParlanceConfig(Set<Role> roles, HttpConfig http, AuthConfig auth, LimitsConfig limits,
                             ClusterConfig cluster, List<ModelConfig> models) {

    public ParlanceConfig {
        roles = Set.copyOf(roles);
        models = List.copyOf(models);
    }

    public boolean has(Role role) {
        return roles.contains(role);
    }

    /**
     * Parses merged configuration JSON. Every problem is collected; any problem throws one
     * {@link ConfigException} listing them all.
     *
     * @param workersOverride workers for every model (from --workers), or null
     */
    public static ParlanceConfig parse(JsonObject json, int cores, Integer workersOverride) {
        return parse(json, cores, workersOverride, false);
    }

    /** @param clusterForced --cluster was given */
    public static ParlanceConfig parse(JsonObject json, int cores, Integer workersOverride, boolean clusterForced) {
        List<String> problems = new ArrayList<>();
        ConfigReader root = new ConfigReader(json, "", problems);
        Set<Role> roles = readRoles(root);
        HttpConfig http = HttpConfig.read(root.object("http"), cores);
        AuthConfig auth = AuthConfig.read(root.object("auth"), roles.contains(Role.HTTP), isLoopback(http.host()));
        LimitsConfig limits = LimitsConfig.read(root.object("limits"));
        ClusterConfig cluster = ClusterConfig.read(root.object("cluster"), clusterForced);
        List<ModelConfig> models = new ArrayList<>();
        for (ConfigReader m : root.objects("models")) {
            models.add(ModelConfig.read(m, cores, workersOverride, roles.contains(Role.INFERENCE)));
        }
        if (!roles.contains(Role.INFERENCE) && !cluster.enabled()) {
            problems.add("roles: without the inference role this process needs a cluster to find models in"
                    + " (set \"cluster\": {\"enabled\": true, ...} or --cluster)");
        }
        if (models.isEmpty()) {
            problems.add("models: at least one model is required");
        }
        Set<String> names = new HashSet<>();
        for (ModelConfig m : models) {
            if (!m.name().isEmpty() && !names.add(m.name())) {
                problems.add("models: the name \"" + m.name() + "\" is used twice");
            }
        }
        for (ModelConfig m : models) {
            for (String alias : m.aliases()) {
                if (!names.add(alias)) {
                    problems.add("models: the alias \"" + alias + "\" of \"" + m.name()
                            + "\" is already the name or an alias of a model");
                }
            }
        }
        if (auth.enabled() && auth.tokens().contains(AuthConfig.DEVELOPMENT_TOKEN) && !isLoopback(http.host())) {
            problems.add("auth.tokens: the development token \"" + AuthConfig.DEVELOPMENT_TOKEN
                    + "\" is public; it is only allowed on a loopback host, not on " + http.host()
                    + ". Set PARLANCE_API_TOKENS to your own tokens.");
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        return new ParlanceConfig(roles, http, auth, limits, cluster, models);
    }

    private static Set<Role> readRoles(ConfigReader root) {
        if (!root.has("roles")) {
            return EnumSet.allOf(Role.class);
        }
        Set<Role> roles = EnumSet.noneOf(Role.class);
        for (String name : root.strings("roles")) {
            try {
                roles.add(Role.valueOf(name.trim().toUpperCase(java.util.Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                root.problem("roles", "must hold \"http\" and/or \"inference\" (was \"" + name + "\")");
            }
        }
        if (roles.isEmpty()) {
            root.problem("roles", "at least one role is needed");
            return EnumSet.allOf(Role.class);
        }
        return roles;
    }

    /** The model called {@code name}, by its name or one of its aliases. */
    public Optional<ModelConfig> model(String name) {
        return models.stream().filter(m -> m.answersTo(name)).findFirst();
    }

    static boolean isLoopback(String host) {
        if (host.equals("localhost")) {
            return true;
        }
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
