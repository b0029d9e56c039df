package dev.parlance.inference;

import dev.parlance.tasks.Matrix;
import dev.parlance.tasks.Tokens;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.function.Function;

/**
 * A prepared job: the sequences it needs run through the model, and how to turn their
 * outputs (same order) into the response body.
 */
record Work(List<Tokens> sequences, Function<List<Matrix>, JsonObject> finish) {

    /** Tokens of all the sequences, unpadded. */
    int tokens() {
        int sum = 0;
        for (Tokens sequence : sequences) {
            sum += sequence.length();
        }
        return sum;
    }
}
