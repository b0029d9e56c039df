package dev.parlance.tasks;

import java.util.List;

/**
 * Zero-shot classification with a sentence-embedding model: the text and each label's
 * hypothesis are embedded, and their cosine similarity c becomes a score.
 *
 * <ul>
 *   <li>single-label: {@code softmax(c / temperature)} across the labels, so scores sum to 1;</li>
 *   <li>multi-label (and a lone label): {@code sigmoid((c - midpoint) / temperature)} for each
 *       label on its own, so a label scores 0.5 when its cosine equals the midpoint.</li>
 * </ul>
 * The temperature and midpoint are per-model settings. The defaults suit all-MiniLM-L6-v2 with
 * the bare label as hypothesis: on a set of news, review and recipe sentences the right label's
 * cosine fell between 0.10 and 0.34 and wrong labels' between -0.11 and 0.15.
 */
public final class ZeroShotByEmbedding {

    public static final double DEFAULT_TEMPERATURE = 0.05;
    public static final double DEFAULT_MIDPOINT = 0.15;

    private final String hypothesisTemplate;
    private final double temperature;
    private final double midpoint;

    public ZeroShotByEmbedding(String hypothesisTemplate, double temperature, double midpoint) {
        if (!(temperature > 0)) {
            throw new IllegalArgumentException("temperature must be > 0");
        }
        this.hypothesisTemplate = hypothesisTemplate;
        this.temperature = temperature;
        this.midpoint = midpoint;
    }

    public String hypothesis(String label) {
        return hypothesisTemplate.replace("{}", label);
    }

    public Classification score(List<String> labels, float[] text, List<float[]> labelVectors, boolean multiLabel) {
        int n = labels.size();
        if (labelVectors.size() != n) {
            throw new IllegalArgumentException(n + " labels but " + labelVectors.size() + " vectors");
        }
        double[] scores = new double[n];
        for (int i = 0; i < n; i++) {
            scores[i] = Scores.cosine(text, labelVectors.get(i));
        }
        if (multiLabel || n == 1) {
            for (int i = 0; i < n; i++) {
                scores[i] = Scores.sigmoid((scores[i] - midpoint) / temperature);
            }
        } else {
            for (int i = 0; i < n; i++) {
                scores[i] /= temperature;
            }
            scores = Scores.softmax(scores);
        }
        return Classification.sorted(labels, scores);
    }
}
