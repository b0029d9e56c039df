package dev.parlance.tasks;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Zero-shot classification with an NLI cross-encoder, exactly as Hugging Face's
 * {@code zero-shot-classification} pipeline does it: one (text, hypothesis) pair per label,
 * all pairs in one forward pass, then either a softmax of the entailment logits across labels
 * (single-label) or, per label, a softmax over [contradiction, entailment] (multi-label, and
 * always when there is only one label).
 */
public final class ZeroShotNli {

    /** Hugging Face's default hypothesis template. */
    public static final String DEFAULT_TEMPLATE = "This example is {}.";

    private final String hypothesisTemplate;
    /** Index into the logits; negative counts from the end, as numpy does (-1 = last). */
    private final int entailment;

    public ZeroShotNli(Map<String, Integer> label2id, String hypothesisTemplate) {
        this.hypothesisTemplate = hypothesisTemplate;
        this.entailment = entailmentIndex(label2id);
    }

    /**
     * The first label whose lowercase name starts with "entail", in the config's order;
     * -1 (the last logit) when there is none, which is what Hugging Face falls back to.
     */
    public static int entailmentIndex(Map<String, Integer> label2id) {
        for (Map.Entry<String, Integer> e : label2id.entrySet()) {
            if (e.getKey().toLowerCase(Locale.ROOT).startsWith("entail")) {
                return e.getValue();
            }
        }
        return -1;
    }

    public String hypothesis(String label) {
        return hypothesisTemplate.replace("{}", label);
    }

    /** One pair per label, in label order; the text (premise) is the only part truncated. */
    public List<Tokens> encode(TextTokenizer tokenizer, String text, List<String> labels) {
        List<Tokens> pairs = new ArrayList<>(labels.size());
        for (String label : labels) {
            pairs.add(tokenizer.encodePair(text, hypothesis(label)));
        }
        return pairs;
    }

    /** Scores from the per-pair logits (one row each, in label order). */
    public Classification score(List<String> labels, List<Matrix> logits, boolean multiLabel) {
        int n = labels.size();
        if (logits.size() != n) {
            throw new IllegalArgumentException(n + " labels but " + logits.size() + " outputs");
        }
        int width = logits.get(0).cols();
        int entail = resolve(entailment, width);
        double[] scores = new double[n];
        if (multiLabel || n == 1) {
            // Hugging Face: contradiction_id = -1 if entailment_id == 0 else 0
            int contradiction = entailment == 0 ? width - 1 : 0;
            for (int i = 0; i < n; i++) {
                Matrix row = logits.get(i);
                double[] pair = {row.get(0, contradiction), row.get(0, entail)};
                scores[i] = Scores.softmax(pair)[1];
            }
        } else {
            double[] entailLogits = new double[n];
            for (int i = 0; i < n; i++) {
                entailLogits[i] = logits.get(i).get(0, entail);
            }
            scores = Scores.softmax(entailLogits);
        }
        return Classification.sorted(labels, scores);
    }

    private static int resolve(int index, int width) {
        int resolved = index < 0 ? width + index : index;
        if (resolved < 0 || resolved >= width) {
            throw new IllegalStateException("entailment index " + index + " outside " + width + " logits");
        }
        return resolved;
    }
}
