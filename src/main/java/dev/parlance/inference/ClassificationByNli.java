package dev.parlance.inference;

import dev.parlance.tasks.Classification;
import dev.parlance.tasks.TextTokenizer;
import dev.parlance.tasks.ZeroShotNli;
import io.vertx.core.json.JsonObject;

import java.util.List;

/** {@code classification} on an NLI cross-encoder: one pair per label, one forward pass. */
final class ClassificationByNli implements TaskPipeline {

    private final ZeroShotNli nli;
    private final TextTokenizer tokenizer;

    ClassificationByNli(ZeroShotNli nli, TextTokenizer tokenizer) {
        this.nli = nli;
        this.tokenizer = tokenizer;
    }

    @Override
    public Work prepare(JsonObject input) {
        ClassificationInput in = ClassificationInput.from(input);
        return new Work(nli.encode(tokenizer, in.text(), in.labels()),
                logits -> in.toJson(nli.score(in.labels(), logits, in.multiLabel())));
    }

    /** The request body, read. */
    record ClassificationInput(String text, List<String> labels, boolean multiLabel) {

        static ClassificationInput from(JsonObject input) {
            return new ClassificationInput(
                    input.getString("text"),
                    input.getJsonArray("labels").stream().map(String.class::cast).toList(),
                    Boolean.TRUE.equals(input.getBoolean("multi_class")));
        }

        JsonObject toJson(Classification result) {
            return new JsonObject().put("labels", result.labels()).put("scores", result.scores());
        }
    }
}
