package dev.parlance.tasks;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

/**
 * A zero-shot classification result: labels with scores in [0, 1], highest score first.
 * Equal scores keep the caller's label order.
 */
public record Classification(List<String> labels, List<Double> scores) {

    public static Classification sorted(List<String> labels, double[] scores) {
        if (labels.size() != scores.length) {
            throw new IllegalArgumentException(labels.size() + " labels but " + scores.length + " scores");
        }
        List<Integer> order = IntStream.range(0, scores.length).boxed()
                .sorted(Comparator.comparingDouble((Integer i) -> scores[i]).reversed())
                .toList();
        List<String> sortedLabels = new ArrayList<>(order.size());
        List<Double> sortedScores = new ArrayList<>(order.size());
        for (int i : order) {
            sortedLabels.add(labels.get(i));
            sortedScores.add(scores[i]);
        }
        return new Classification(List.copyOf(sortedLabels), List.copyOf(sortedScores));
    }
}
