package dev.parlance.tasks;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Reranking with a cross-encoder, as Hugging Face TEI and sentence-transformers' CrossEncoder
 * do it: one (query, text) pair per text, the model's single logit per pair, passed through a
 * sigmoid unless the caller asks for raw scores; texts ordered by score, highest first, equal
 * scores in the caller's order.
 */
public final class Reranking {

    private Reranking() {
    }

    /** A text's place in the caller's list and its score. */
    public record Rank(int index, double score) {
    }

    /** @param logits one row of one logit per pair, in the caller's order */
    public static List<Rank> rank(List<Matrix> logits, boolean raw) {
        List<Rank> ranks = new ArrayList<>(logits.size());
        for (int i = 0; i < logits.size(); i++) {
            Matrix row = logits.get(i);
            if (row.cols() != 1) {
                throw new IllegalStateException("a rerank model gives one logit per pair, this one gives " + row.cols());
            }
            double logit = row.get(0, 0);
            ranks.add(new Rank(i, raw ? logit : Scores.sigmoid(logit)));
        }
        ranks.sort(Comparator.comparingDouble(Rank::score).reversed());
        return ranks;
    }
}
