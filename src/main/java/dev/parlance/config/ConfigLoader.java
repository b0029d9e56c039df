package dev.parlance.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Builds the configuration in layers, each overriding the one before:
 * built-in defaults &lt; the config file &lt; environment variables &lt; command-line flags.
 *
 * <p>Environment variables: {@code PARLANCE_CONFIG} (the file), {@code PARLANCE_API_TOKENS}
 * (comma-separated), {@code PARLANCE_HOST}, {@code PARLANCE_PORT}, {@code PARLANCE_ROOT_PATH},
 * {@code PARLANCE_WORKERS}, {@code PARLANCE_ROLES} (comma-separated), {@code PARLANCE_CLUSTER_MEMBERS}
 * (comma-separated host:port), {@code PARLANCE_CLUSTER_NAME}, {@code PARLANCE_CLUSTER_HOST} (bound),
 * {@code PARLANCE_CLUSTER_PUBLIC_HOST} (advertised), {@code PARLANCE_CLUSTER_DNS} (a headless
 * service's name), {@code PARLANCE_CLUSTER_PORT} (Hazelcast), {@code PARLANCE_CLUSTER_EVENT_BUS_PORT},
 * {@code PARLANCE_CLUSTER_ENABLED}, {@code PARLANCE_CLUSTER_TLS_CERT}, {@code PARLANCE_CLUSTER_TLS_KEY},
 * {@code PARLANCE_CLUSTER_TLS_CA}, {@code PARLANCE_CLUSTER_TLS_PASSWORD} (the member's credentials,
 * see {@link ClusterTlsConfig}).
 */
public final class ConfigLoader {

    /** The config file used when --config is not given and it exists. */
    public static final Path DEFAULT_FILE = Path.of("conf", "parlance.json");
    /** A copy of conf/parlance.json inside the jar, so the jar runs from any directory. */
    public static final String BUILT_IN_RESOURCE = "conf/parlance.json";

    private ConfigLoader() {
    }

    public static ParlanceConfig load(CommandLine cli, Map<String, String> env, int cores) {
        return ParlanceConfig.parse(merged(cli, env), cores, workersOverride(cli, env), cli.cluster());
    }

    /** The file, environment and flags merged into one JSON document (before validation). */
    public static JsonObject merged(CommandLine cli, Map<String, String> env) {
        JsonObject json = readFile(cli.value("--config") != null ? cli.value("--config") : env.get("PARLANCE_CONFIG"));
        List<String> problems = new ArrayList<>();
        JsonObject http = child(json, "http");
        JsonObject auth = child(json, "auth");
        String tokens = env.get("PARLANCE_API_TOKENS");
        if (tokens != null && !tokens.isBlank()) {
            auth.put("tokens", new JsonArray(Arrays.stream(tokens.split(","))
                    .map(String::trim).filter(t -> !t.isEmpty()).toList()));
        }
        putString(http, "host", env.get("PARLANCE_HOST"));
        putInt(http, "port", env.get("PARLANCE_PORT"), "PARLANCE_PORT", problems);
        putString(http, "rootPath", env.get("PARLANCE_ROOT_PATH"));
        String members = env.get("PARLANCE_CLUSTER_MEMBERS");
        if (members != null && !members.isBlank()) {
            child(json, "cluster").put("members", new JsonArray(Arrays.stream(members.split(","))
                    .map(String::trim).filter(m -> !m.isEmpty()).toList()));
        }
        putString(child(json, "cluster"), "name", env.get("PARLANCE_CLUSTER_NAME"));
        putString(child(json, "cluster"), "host", env.get("PARLANCE_CLUSTER_HOST"));
        clusterCredentials(child(json, "cluster"), env);
        putString(child(json, "cluster"), "publicHost", env.get("PARLANCE_CLUSTER_PUBLIC_HOST"));
        putString(child(json, "cluster"), "dns", env.get("PARLANCE_CLUSTER_DNS"));
        putInt(child(json, "cluster"), "port", env.get("PARLANCE_CLUSTER_PORT"), "PARLANCE_CLUSTER_PORT", problems);
        putInt(child(json, "cluster"), "eventBusPort", env.get("PARLANCE_CLUSTER_EVENT_BUS_PORT"),
                "PARLANCE_CLUSTER_EVENT_BUS_PORT", problems);
        if (env.get("PARLANCE_CLUSTER_ENABLED") != null) {
            child(json, "cluster").put("enabled", Boolean.parseBoolean(env.get("PARLANCE_CLUSTER_ENABLED").trim()));
        }
        String roles = cli.value("--roles") != null ? cli.value("--roles") : env.get("PARLANCE_ROLES");
        if (roles != null && !roles.isBlank()) {
            json.put("roles", new JsonArray(Arrays.stream(roles.split(",")).map(String::trim).toList()));
        }
        putString(http, "host", cli.value("--host"));
        putInt(http, "port", cli.value("--port"), "--port", problems);
        putString(http, "rootPath", cli.value("--root-path"));
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        return json;
    }

    /** Credentials come from a mounted secret in a container: paths and the password by environment. */
    private static void clusterCredentials(JsonObject cluster, Map<String, String> env) {
        String[][] vars = {{"cert", "PARLANCE_CLUSTER_TLS_CERT"}, {"key", "PARLANCE_CLUSTER_TLS_KEY"},
                {"ca", "PARLANCE_CLUSTER_TLS_CA"}, {"password", "PARLANCE_CLUSTER_TLS_PASSWORD"}};
        for (String[] v : vars) {
            if (env.get(v[1]) != null) {
                putString(child(cluster, "tls"), v[0], env.get(v[1]));
            }
        }
    }

    private static Integer workersOverride(CommandLine cli, Map<String, String> env) {
        String raw = cli.value("--workers") != null ? cli.value("--workers") : env.get("PARLANCE_WORKERS");
        if (raw == null) {
            return null;
        }
        try {
            int n = Integer.parseInt(raw.trim());
            if (n < 1 || n > 256) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new ConfigException(List.of("workers: must be an integer between 1 and 256 (was \"" + raw + "\")"));
        }
    }

    private static JsonObject readFile(String path) {
        try {
            if (path != null) {
                return parse(Files.readString(Path.of(path), StandardCharsets.UTF_8), path);
            }
            if (Files.isRegularFile(DEFAULT_FILE)) {
                return parse(Files.readString(DEFAULT_FILE, StandardCharsets.UTF_8), DEFAULT_FILE.toString());
            }
            try (InputStream in = ConfigLoader.class.getClassLoader().getResourceAsStream(BUILT_IN_RESOURCE)) {
                if (in == null) {
                    throw new ConfigException(List.of("no configuration: " + DEFAULT_FILE + " is missing and the jar has no built-in copy"));
                }
                return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), "built-in " + BUILT_IN_RESOURCE);
            }
        } catch (IOException e) {
            throw new ConfigException(List.of("cannot read configuration file " + path + ": " + e.getMessage()));
        }
    }

    /**
     * The parser's own message quotes the text around the error; for a file that is no config
     * at all (--config /etc/shadow) that would print its secrets, so only the position is told.
     */
    private static JsonObject parse(String text, String origin) {
        try {
            return new JsonObject(text);
        } catch (DecodeException | ClassCastException e) {
            String where = e.getCause() instanceof JsonProcessingException p && p.getLocation() != null
                    ? " (error at line " + p.getLocation().getLineNr() + ", column " + p.getLocation().getColumnNr() + ")"
                    : "";
            throw new ConfigException(List.of(origin + ": not a valid JSON object" + where));
        }
    }

    private static JsonObject child(JsonObject json, String key) {
        if (!(json.getValue(key) instanceof JsonObject)) {
            if (json.getValue(key) != null) {
                return new JsonObject(); // the wrong type is reported by the parser
            }
            json.put(key, new JsonObject());
        }
        return json.getJsonObject(key);
    }

    private static void putString(JsonObject target, String key, String value) {
        if (value != null) {
            target.put(key, value);
        }
    }

    private static void putInt(JsonObject target, String key, String value, String origin, List<String> problems) {
        if (value == null) {
            return;
        }
        try {
            target.put(key, Integer.parseInt(value.trim()));
        } catch (NumberFormatException e) {
            problems.add(origin + ": must be an integer (was \"" + value + "\")");
        }
    }
}
