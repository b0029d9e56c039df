package dev.parlance.tasks;

/**
 * How a sequence classifier's logits become scores: Hugging Face's {@code function_to_apply}
 * of the {@code text-classification} pipeline. {@link #AUTO} is the pipeline's own choice,
 * made from the model's config.json by {@link #resolve}.
 */
public enum FunctionToApply {
    AUTO, SOFTMAX, SIGMOID, NONE;

    /**
     * What {@link #AUTO} means for a model, as transformers' TextClassificationPipeline decides
     * it: a regression model's logits are its answer; a multi-label model, or one with a single
     * logit, scores each label alone (sigmoid); any other model shares one probability over its
     * labels (softmax).
     */
    public FunctionToApply resolve(String problemType, int numLabels) {
        if (this != AUTO) {
            return this;
        }
        if ("regression".equals(problemType)) {
            return NONE;
        }
        if ("multi_label_classification".equals(problemType) || numLabels == 1) {
            return SIGMOID;
        }
        return SOFTMAX;
    }

    /** The scores of one row of logits. */
    public double[] apply(float[] logits) {
        double[] out = new double[logits.length];
        for (int i = 0; i < logits.length; i++) {
            out[i] = logits[i];
        }
        return switch (this) {
            case SOFTMAX -> Scores.softmax(out);
            case SIGMOID -> {
                for (int i = 0; i < out.length; i++) {
                    out[i] = Scores.sigmoid(out[i]);
                }
                yield out;
            }
            case NONE -> out;
            case AUTO -> throw new IllegalStateException("resolve AUTO before applying it");
        };
    }
}
