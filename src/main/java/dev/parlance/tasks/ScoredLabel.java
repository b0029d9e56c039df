package dev.parlance.tasks;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** A fixed label of a sequence classifier with its score. */
public record ScoredLabel(String label, double score) {

    /**
     * Every label with its score, highest first; equal scores keep the model's label order (a
     * stable sort, as Python's {@code sort(reverse=True)} in Hugging Face's pipeline is).
     */
    public static List<ScoredLabel> ranked(List<String> labels, double[] scores) {
        if (labels.size() != scores.length) {
            throw new IllegalArgumentException("the model gives " + scores.length + " logits but config.json names "
                    + labels.size() + " labels");
        }
        List<ScoredLabel> out = new ArrayList<>(labels.size());
        for (int i = 0; i < scores.length; i++) {
            out.add(new ScoredLabel(labels.get(i), scores[i]));
        }
        out.sort(Comparator.comparingDouble(ScoredLabel::score).reversed());
        return out;
    }
}
