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
 */
public record LimitsConfig(int maxBodyBytes, int maxTextChars, int maxLabels, int maxLabelChars,
                           int maxSentences, int requestTimeoutMs) {

    static LimitsConfig read(ConfigReader r) {
        return new LimitsConfig(
                r.integer("maxBodyBytes", 1 << 20, 64, 64 << 20),
                r.integer("maxTextChars", 20_000, 1, 10_000_000),
                r.integer("maxLabels", 100, 1, 10_000),
                r.integer("maxLabelChars", 200, 1, 10_000),
                r.integer("maxSentences", 64, 1, 10_000),
                r.integer("requestTimeoutMs", 30_000, 1, 3_600_000));
    }
}
