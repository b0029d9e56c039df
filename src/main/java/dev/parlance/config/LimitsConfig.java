package dev.parlance.config;

/**
 * What one request may ask for. The caps on text length, labels and sentences are written
 * into the JSON Schemas at start, so validation errors and the published schema agree.
 *
 * @param maxBodyBytes      larger bodies get 413
 * @param maxTextChars      longest {@code text}, in characters
 * @param maxLabels         most {@code labels} in one classification request
 * @param maxLabelChars     longest label, in characters
 * @param maxSentences      most {@code sentences} in one embeddings request
 * @param requestTimeoutMs  default deadline of a request; past it the caller gets 504
 * @param maxJsonDepth      deepest nesting of arrays and objects in a body (400 beyond)
 * @param maxHeaderBytes    all request headers together (431 beyond)
 * @param maxUrlChars       the request line (414 beyond)
 * @param readTimeoutMs     time to send a request's headers and then its body; a slower client
 *                          is cut off (408 when the body is late), so slow clients cannot hold
 *                          connections
 * @param idleTimeoutMs     a connection with no traffic at all for this long is closed
 * @param maxConnections    open HTTP connections of the process; a new one beyond is closed at once
 * @param maxInFlightBytes  request body bytes of the process being received, queued or computed
 *                          together; a request beyond gets 503 with Retry-After before its body is read
 * @param maxConcurrentScrapes {@code /metrics} responses in flight; more get 503
 */
public record LimitsConfig(int maxBodyBytes, int maxTextChars, int maxLabels, int maxLabelChars,
                           int maxSentences, int requestTimeoutMs, int maxJsonDepth, int maxHeaderBytes,
                           int maxUrlChars, int readTimeoutMs, int idleTimeoutMs, int maxConnections,
                           long maxInFlightBytes, int maxConcurrentScrapes) {

    /** The longest requestTimeoutMs a configuration may set. */
    public static final int MAX_REQUEST_TIMEOUT_MS = 3_600_000;

    static LimitsConfig read(ConfigReader r) {
        return new LimitsConfig(
                r.integer("maxBodyBytes", 1 << 20, 64, 64 << 20),
                r.integer("maxTextChars", 20_000, 1, 10_000_000),
                r.integer("maxLabels", 100, 1, 10_000),
                r.integer("maxLabelChars", 200, 1, 10_000),
                r.integer("maxSentences", 64, 1, 10_000),
                r.integer("requestTimeoutMs", 30_000, 1, MAX_REQUEST_TIMEOUT_MS),
                r.integer("maxJsonDepth", 16, 2, 1000),
                r.integer("maxHeaderBytes", 8192, 1024, 1 << 20),
                r.integer("maxUrlChars", 4096, 256, 1 << 20),
                r.integer("readTimeoutMs", 10_000, 100, 3_600_000),
                r.integer("idleTimeoutMs", 60_000, 1000, 86_400_000),
                r.integer("maxConnections", 4096, 1, 1_000_000),
                // 32 MiB: 32 bodies of the default 1 MiB limit at once, thousands of typical ones.
                r.integer("maxInFlightBytes", 32 << 20, 64, Integer.MAX_VALUE),
                r.integer("maxConcurrentScrapes", 2, 1, 64));
    }
}
