package dev.parlance.tasks;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Named entities from a token-classification model, as Hugging Face's
 * {@code token-classification} pipeline computes them: softmax per token, special tokens
 * skipped, sub-words merged into words (strategies first, average, max) or not (simple),
 * B-/I- runs of one type grouped (a tag without prefix counts as I-), an entity's score the
 * mean of its parts, "O" dropped. Windows of a long text are joined by keeping, among
 * overlapping entities, the longer, then the higher-scoring.
 */
public final class TokenClassification {

    /** Hugging Face's aggregation strategies, minus "none" (ungrouped tokens are not entities). */
    public enum Aggregation {
        SIMPLE, FIRST, AVERAGE, MAX;

        public static Aggregation parse(String name) {
            return valueOf(name.toUpperCase(Locale.ROOT));
        }
    }

    private final List<String> labels;
    private final Aggregation aggregation;
    private final String subwordPrefix;

    /**
     * @param labels        the model's labels by output index ({@code id2label})
     * @param subwordPrefix the tokenizer's continuing-subword prefix ("##" for WordPiece), or null
     *                      for tokenizers without one, where Hugging Face's space heuristic applies
     */
    public TokenClassification(List<String> labels, Aggregation aggregation, String subwordPrefix) {
        this.labels = List.copyOf(labels);
        this.aggregation = aggregation;
        this.subwordPrefix = subwordPrefix;
    }

    public List<Entity> entities(String text, List<TokenWindow> windows, List<Matrix> logits) {
        int[] codePoints = text.codePoints().toArray();
        List<Entity> all = new ArrayList<>();
        for (int w = 0; w < windows.size(); w++) {
            List<Scored> tokens = aggregate(preEntities(codePoints, windows.get(w), logits.get(w)));
            for (Entity e : group(tokens)) {
                if (!e.type().equals("O")) {
                    all.add(e);
                }
            }
        }
        return windows.size() > 1 ? resolveOverlaps(all) : all;
    }

    /** One token (or, after aggregation, one word) with its label and score. */
    private record Scored(String label, double score, int start, int end) {
    }

    private record PreEntity(double[] scores, int start, int end, boolean subword) {
    }

    private List<PreEntity> preEntities(int[] text, TokenWindow window, Matrix logits) {
        if (logits.cols() != labels.size()) {
            throw new IllegalStateException("the model gives " + logits.cols() + " scores per token but its config names "
                    + labels.size() + " labels");
        }
        List<PreEntity> out = new ArrayList<>();
        for (int t = 0; t < window.length(); t++) {
            if (window.special()[t]) {
                continue;
            }
            double[] row = new double[logits.cols()];
            for (int c = 0; c < row.length; c++) {
                row[c] = logits.get(t, c);
            }
            int start = window.starts()[t];
            int end = window.ends()[t];
            out.add(new PreEntity(Scores.softmax(row), start, end, !window.unknown()[t] && isSubword(text, window.pieces()[t], start, end)));
        }
        return out;
    }

    private boolean isSubword(int[] text, String piece, int start, int end) {
        if (subwordPrefix != null) {
            // Hugging Face: a piece longer than the text it covers carries the "##" prefix.
            return piece.codePointCount(0, piece.length()) != end - start;
        }
        return start > 0 && text[start - 1] != ' ' && (start >= text.length || text[start] != ' ');
    }

    private List<Scored> aggregate(List<PreEntity> tokens) {
        if (aggregation == Aggregation.SIMPLE) {
            return tokens.stream().map(t -> best(t.scores(), t.start(), t.end())).toList();
        }
        List<List<PreEntity>> words = new ArrayList<>();
        for (PreEntity token : tokens) {
            if (words.isEmpty() || !token.subword()) {
                words.add(new ArrayList<>());
            }
            words.get(words.size() - 1).add(token);
        }
        List<Scored> out = new ArrayList<>(words.size());
        for (List<PreEntity> word : words) {
            double[] scores = switch (aggregation) {
                case FIRST -> word.get(0).scores();
                case MAX -> word.stream().max(Comparator.comparingDouble(t -> max(t.scores()))).orElseThrow().scores();
                case AVERAGE -> mean(word);
                case SIMPLE -> throw new IllegalStateException();
            };
            out.add(best(scores, word.get(0).start(), word.get(word.size() - 1).end()));
        }
        return out;
    }

    private Scored best(double[] scores, int start, int end) {
        int arg = 0;
        for (int i = 1; i < scores.length; i++) {
            if (scores[i] > scores[arg]) {
                arg = i;
            }
        }
        return new Scored(labels.get(arg), scores[arg], start, end);
    }

    private static double max(double[] values) {
        double m = Double.NEGATIVE_INFINITY;
        for (double v : values) {
            m = Math.max(m, v);
        }
        return m;
    }

    private static double[] mean(List<PreEntity> word) {
        double[] sum = new double[word.get(0).scores().length];
        for (PreEntity t : word) {
            for (int i = 0; i < sum.length; i++) {
                sum[i] += t.scores()[i];
            }
        }
        for (int i = 0; i < sum.length; i++) {
            sum[i] /= word.size();
        }
        return sum;
    }

    /** B-X starts a group; I-X (or a bare X) continues a group of X; anything else starts anew. */
    private static List<Entity> group(List<Scored> tokens) {
        List<Entity> groups = new ArrayList<>();
        List<Scored> current = new ArrayList<>();
        for (Scored token : tokens) {
            if (!current.isEmpty()) {
                String last = tag(current.get(current.size() - 1).label());
                if (!tag(token.label()).equals(last) || token.label().startsWith("B-")) {
                    groups.add(close(current));
                    current = new ArrayList<>();
                }
            }
            current.add(token);
        }
        if (!current.isEmpty()) {
            groups.add(close(current));
        }
        return groups;
    }

    private static String tag(String label) {
        return label.startsWith("B-") || label.startsWith("I-") ? label.substring(2) : label;
    }

    private static Entity close(List<Scored> group) {
        double sum = 0;
        for (Scored s : group) {
            sum += s.score();
        }
        String first = group.get(0).label();
        String type = first.contains("-") ? first.substring(first.indexOf('-') + 1) : first;
        return new Entity(type, sum / group.size(), group.get(0).start(), group.get(group.size() - 1).end());
    }

    /** Among entities found in overlapping windows, keep the longer, then the higher-scoring. */
    static List<Entity> resolveOverlaps(List<Entity> entities) {
        if (entities.isEmpty()) {
            return entities;
        }
        List<Entity> sorted = new ArrayList<>(entities);
        sorted.sort(Comparator.comparingInt(Entity::start));
        List<Entity> out = new ArrayList<>();
        Entity previous = sorted.get(0);
        for (Entity e : sorted) {
            if (previous.start() <= e.start() && e.start() < previous.end()) {
                int length = e.end() - e.start();
                int previousLength = previous.end() - previous.start();
                if (length > previousLength || (length == previousLength && e.score() > previous.score())) {
                    previous = e;
                }
            } else {
                out.add(previous);
                previous = e;
            }
        }
        out.add(previous);
        return out;
    }
}
