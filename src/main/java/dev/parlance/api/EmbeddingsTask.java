package dev.parlance.api;

import dev.parlance.config.LimitsConfig;

import java.util.Map;

/** Sentence embeddings (NLP Cloud's {@code embeddings}; OpenAI's shape on the same route, see http/OpenAiEmbeddings). */
final class EmbeddingsTask extends SentencesTask {

    @Override
    public String summary() {
        return "Sentence embeddings";
    }

    @Override
    public Map<String, Integer> limits(LimitsConfig limits) {
        return Map.of("/properties/sentences/maxItems", limits.maxSentences(),
                "/properties/sentences/items/maxLength", limits.maxTextChars());
    }
}
