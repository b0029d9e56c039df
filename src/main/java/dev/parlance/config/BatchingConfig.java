package dev.parlance.config;

/**
 * How one model's queue admits and groups work.
 *
 * @param queueSize        jobs waiting at most; one more gets 503 with Retry-After at once
 * @param maxBatchSize     most requests taken together by one worker
 * @param maxBatchTokens   most padded tokens (sequences x longest) in one forward pass
 * @param maxBatchDelayMs  how long a worker holding some work waits for more; 0 takes what is there
 * @param maxPaddingRatio  a forward pass may hold at most this share of padding over real tokens
 * @param lengthSpread     a batch takes queued jobs whose estimated length is within this ratio of the oldest's
 * @param rowMixing        whether sequences may share a forward pass (see {@link RowMixing})
 */
public record BatchingConfig(int queueSize, int maxBatchSize, int maxBatchTokens, int maxBatchDelayMs,
                             double maxPaddingRatio, double lengthSpread, RowMixing rowMixing) {

    static BatchingConfig read(ConfigReader r) {
        return new BatchingConfig(
                r.integer("queueSize", 256, 1, 1_000_000),
                r.integer("maxBatchSize", 32, 1, 4096),
                r.integer("maxBatchTokens", 8192, 16, 1 << 22),
                r.integer("maxBatchDelayMs", 0, 0, 10_000),
                r.number("maxPaddingRatio", 0.1, 0, 1000),
                r.number("lengthSpread", 0.25, 0, 1_000_000),
                r.choice("rowMixing", RowMixing.AUTO, RowMixing.class));
    }
}
