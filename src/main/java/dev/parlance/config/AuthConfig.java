package dev.parlance.config;

import java.util.List;

/**
 * API tokens. The API is never silently open: with auth enabled and no token, the
 * configuration is rejected. Health probes and docs are open by default (probes carry no
 * tokens; the docs hold nothing secret), metrics only on a loopback host; each can be set.
 */
public record AuthConfig(boolean enabled, List<String> tokens, boolean protectHealth, boolean protectMetrics,
                         boolean protectDocs) {

    /**
     * The token shipped in conf/parlance.json so the server runs out of the box. It is only
     * accepted while the server listens on a loopback address: it is public knowledge.
     */
    public static final String DEVELOPMENT_TOKEN = "dev-token";

    public AuthConfig {
        tokens = List.copyOf(tokens);
    }

    /** Whether a route of the given kind needs a token. */
    public boolean protects(boolean protectedKind) {
        return enabled && protectedKind;
    }

    /**
     * @param servesApi false on a node without the http role: it has no API to guard
     * @param loopback  the server listens only on a loopback address
     */
    static AuthConfig read(ConfigReader r, boolean servesApi, boolean loopback) {
        boolean enabled = r.bool("enabled", true);
        List<String> tokens = r.strings("tokens").stream().map(String::trim).toList();
        if (tokens.stream().anyMatch(String::isEmpty)) {
            r.problem("tokens", "must not contain empty tokens");
            tokens = tokens.stream().filter(t -> !t.isEmpty()).toList();
        }
        // --print-config shows tokens as "****" and its output is a valid config again: fed
        // back unchanged, it would make "Authorization: Token ****" open the API.
        if (tokens.stream().anyMatch(AuthConfig::looksMasked)) {
            r.problem("tokens", "a token made only of \"*\" looks masked (as --print-config prints tokens):"
                    + " put the real token back");
            tokens = tokens.stream().filter(t -> !looksMasked(t)).toList();
        }
        if (enabled && servesApi && tokens.isEmpty()) {
            r.problem("tokens", "no API token configured: set auth.tokens or PARLANCE_API_TOKENS,"
                    + " or disable auth explicitly with \"auth\": {\"enabled\": false}");
        }
        return new AuthConfig(enabled, tokens,
                // Metrics are open on loopback (a local scraper) but need a token once the server is
                // reachable from elsewhere: they reveal traffic, and a scrape costs the server work.
                r.bool("protectHealth", false), r.bool("protectMetrics", !loopback), r.bool("protectDocs", false));
    }

    private static boolean looksMasked(String token) {
        return token.chars().allMatch(c -> c == '*');
    }

    @Override
    public String toString() {
        return "AuthConfig[enabled=" + enabled + ", tokens=" + tokens.size() + " (hidden), protectHealth=" + protectHealth
                + ", protectMetrics=" + protectMetrics + ", protectDocs=" + protectDocs + "]";
    }
}
