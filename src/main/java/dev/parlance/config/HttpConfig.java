package dev.parlance.config;

import java.util.List;

/**
 * Where and how the HTTP API listens.
 *
 * @param instances        HTTP verticle instances (event loops serving HTTP); 0 means one per core
 * @param shutdownDelayMs  on SIGTERM, how long readiness says 503 while still serving, so load
 *                         balancers stop sending before the server stops accepting
 * @param shutdownGraceMs  then, how long requests in flight may take to finish
 * @param corsOrigins      origins whose browser pages may call the API; empty (the default): CORS off
 */
public record HttpConfig(String host, int port, String rootPath, int instances, int shutdownDelayMs,
                         int shutdownGraceMs, List<String> corsOrigins) {

    public HttpConfig {
        corsOrigins = List.copyOf(corsOrigins);
    }

    public static final String DEFAULT_ROOT_PATH = "/api/v1";

    static HttpConfig read(ConfigReader r, int cores) {
        String host = r.string("host", "127.0.0.1");
        int port = r.integer("port", 8080, 0, 65535);
        String rootPath = normalizeRootPath(r, r.string("rootPath", DEFAULT_ROOT_PATH));
        int instances = r.integer("instances", 0, 0, 1024);
        int delay = r.integer("shutdownDelayMs", 0, 0, 3_600_000);
        int grace = r.integer("shutdownGraceMs", 30_000, 0, 3_600_000);
        List<String> cors = r.strings("corsOrigins");
        for (String origin : cors) {
            if (!origin.matches("https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?")) {
                r.problem("corsOrigins", "each origin must look like https://host[:port] (was \"" + origin + "\")");
            }
        }
        return new HttpConfig(host, port, rootPath, instances == 0 ? cores : instances, delay, grace, cors);
    }

    /** "/api/v1/" and "api/v1" both mean "/api/v1"; "/" and "" mean the server root. */
    private static String normalizeRootPath(ConfigReader r, String raw) {
        String p = raw.trim();
        while (p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        if (!p.isEmpty() && !p.startsWith("/")) {
            p = "/" + p;
        }
        if (!p.matches("(/[A-Za-z0-9._~-]+)*")) {
            r.problem("rootPath", "must be a path like /api/v1 (letters, digits, . _ ~ -) (was \"" + raw + "\")");
            return DEFAULT_ROOT_PATH;
        }
        return p;
    }
}
