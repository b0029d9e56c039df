package dev.parlance.api;

import dev.parlance.config.LimitsConfig;

import java.util.Map;

/** How close in meaning two sentences are (NLP Cloud's {@code semantic-similarity}): cosine of their embeddings. */
final class SemanticSimilarityTask extends SentencesTask {

    @Override
    public String summary() {
        return "How close in meaning two sentences are";
    }

    @Override
    public Map<String, Integer> limits(LimitsConfig limits) {
        return Map.of("/properties/sentences/items/maxLength", limits.maxTextChars());
    }
}
