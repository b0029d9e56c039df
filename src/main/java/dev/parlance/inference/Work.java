package dev.parlance.inference;

import dev.parlance.tasks.Matrix;
import dev.parlance.tasks.Tokens;

import java.util.List;
import java.util.function.Function;

/**
 * A prepared job: the sequences it needs run through the model, and how to turn their
 * outputs (same order) into the response body: a JsonObject, or a JsonArray for the tasks
 * whose API answers with a list (rerank, tokenize, text-classification).
 */
record Work(List<Tokens> sequences, Function<List<Matrix>, Object> finish) {

    /** Tokens of all the sequences, unpadded. */
    int tokens() {
        int sum = 0;
        for (Tokens sequence : sequences) {
            sum += sequence.length();
        }
        return sum;
    }
}
