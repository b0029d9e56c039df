package dev.parlance.inference;

import dev.parlance.tasks.FunctionToApply;
import dev.parlance.tasks.ScoredLabel;
import dev.parlance.tasks.TextTokenizer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.Locale;

/**
 * {@code text-classification} and {@code sentiment} on a sequence-classification model: the
 * text in one sequence, its logits scored as Hugging Face's {@code text-classification}
 * pipeline scores them. The two tasks differ only in the answer's shape.
 */
final class TextClassificationPipeline implements TaskPipeline {

    /** The answer's shape. */
    enum Shape {
        /**
         * Hugging Face's pipeline: {@code [{label, score}]}, the top {@code top_k} labels. Like the
         * pipeline, no {@code top_k} means the top label only, {@code null} every label.
         */
        HUGGING_FACE,
        /** NLP Cloud's sentiment: {@code {"scored_labels": [{label, score}]}}, every label, best first. */
        NLP_CLOUD
    }

    private final TextTokenizer tokenizer;
    private final List<String> labels;
    /** The model's function, resolved from its config (a request may name another). */
    private final FunctionToApply function;
    private final Shape shape;

    TextClassificationPipeline(TextTokenizer tokenizer, List<String> labels, FunctionToApply function, Shape shape) {
        this.tokenizer = tokenizer;
        this.labels = List.copyOf(labels);
        this.function = function;
        this.shape = shape;
    }

    @Override
    public Work prepare(JsonObject input) {
        String text = input.getString("text");
        FunctionToApply applied = input.getValue("function_to_apply") instanceof String name
                ? FunctionToApply.valueOf(name.toUpperCase(Locale.ROOT)) : function;
        int topK = topK(input);
        return new Work(List.of(tokenizer.encode(text)), logits -> {
            List<ScoredLabel> ranked = ScoredLabel.ranked(labels, applied.apply(logits.get(0).rowCopy(0)));
            JsonArray scored = new JsonArray();
            for (ScoredLabel s : ranked.subList(0, Math.min(topK, ranked.size()))) {
                scored.add(new JsonObject().put("label", s.label()).put("score", s.score()));
            }
            return shape == Shape.NLP_CLOUD ? new JsonObject().put("scored_labels", scored) : scored;
        });
    }

    private int topK(JsonObject input) {
        if (shape == Shape.NLP_CLOUD || (input.containsKey("top_k") && input.getValue("top_k") == null)) {
            return Integer.MAX_VALUE;
        }
        // The schema caps it at the int range; a larger k than there are labels means all of them.
        return input.getValue("top_k") instanceof Number k ? (int) Math.min(Integer.MAX_VALUE, k.longValue()) : 1;
    }
}
