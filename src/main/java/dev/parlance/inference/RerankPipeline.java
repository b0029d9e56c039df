package dev.parlance.inference;

import dev.parlance.tasks.Reranking;
import dev.parlance.tasks.Tokens;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code rerank} on a cross-encoder, in Hugging Face TEI's shape: {@code {query, texts,
 * raw_scores?, return_text?, truncate?}} to {@code [{index, score, text?}]}, best first. Each
 * (query, text) pair is one sequence, encoded as NLI zero-shot encodes its pairs; a pair too
 * long for the model is cut longest text first unless {@code truncate} is false, which refuses
 * it (without {@code truncate}, the model's {@code tooLong} setting decides).
 */
final class RerankPipeline implements TaskPipeline {

    private final HfTokenizer tokenizer;
    /** What the model's {@code tooLong} setting says when the request does not. */
    private final boolean rejectByDefault;

    RerankPipeline(HfTokenizer tokenizer, boolean rejectByDefault) {
        this.tokenizer = tokenizer;
        this.rejectByDefault = rejectByDefault;
    }

    @Override
    public Work prepare(JsonObject input) {
        String query = input.getString("query");
        JsonArray texts = input.getJsonArray("texts");
        boolean raw = Boolean.TRUE.equals(input.getBoolean("raw_scores"));
        boolean returnText = Boolean.TRUE.equals(input.getBoolean("return_text"));
        Boolean truncate = input.getBoolean("truncate");
        boolean reject = truncate == null ? rejectByDefault : !truncate;
        List<Tokens> pairs = new ArrayList<>(texts.size());
        for (int i = 0; i < texts.size(); i++) {
            pairs.add(tokenizer.encodePair(query, texts.getString(i), reject));
        }
        return new Work(pairs, logits -> {
            JsonArray ranked = new JsonArray();
            for (Reranking.Rank rank : Reranking.rank(logits, raw)) {
                JsonObject entry = new JsonObject().put("index", rank.index()).put("score", rank.score());
                if (returnText) {
                    entry.put("text", texts.getString(rank.index()));
                }
                ranked.add(entry);
            }
            return ranked;
        });
    }
}
