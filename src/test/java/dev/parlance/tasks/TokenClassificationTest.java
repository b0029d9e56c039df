package dev.parlance.tasks;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class TokenClassificationTest {

    private static final List<String> LABELS = List.of("O", "B-PER", "I-PER", "LOC");

    /** A window of the given pieces at the given code-point spans, none special, with one-hot logits. */
    private static TokenWindow window(String[] pieces, int[][] spans) {
        int n = pieces.length;
        int[] starts = new int[n];
        int[] ends = new int[n];
        for (int i = 0; i < n; i++) {
            starts[i] = spans[i][0];
            ends[i] = spans[i][1];
        }
        return new TokenWindow(new Tokens(new long[n], new long[n]), pieces, starts, ends, new boolean[n], new boolean[n]);
    }

    private static Matrix oneHot(int... labelPerToken) {
        float[] data = new float[labelPerToken.length * LABELS.size()];
        for (int t = 0; t < labelPerToken.length; t++) {
            for (int c = 0; c < LABELS.size(); c++) {
                data[t * LABELS.size() + c] = c == labelPerToken[t] ? 10f : 0f;
            }
        }
        return new Matrix(data, 0, labelPerToken.length, LABELS.size());
    }

    @Test
    void aTagWithoutPrefixCountsAsInsideAndOSplitsGroups() {
        String text = "Rome Oslo x Ann Bo";
        TokenWindow w = window(new String[] {"Rome", "Oslo", "x", "Ann", "Bo"},
                new int[][] {{0, 4}, {5, 9}, {10, 11}, {12, 15}, {16, 18}});
        List<Entity> found = new TokenClassification(LABELS, TokenClassification.Aggregation.SIMPLE, "##")
                .entities(text, List.of(w), List.of(oneHot(3, 3, 0, 1, 2)));
        assertEquals(List.of("LOC", "PER"), found.stream().map(Entity::type).toList());
        assertEquals(List.of(0, 9), List.of(found.get(0).start(), found.get(0).end()), "two bare LOC tags group");
        assertEquals(List.of(12, 18), List.of(found.get(1).start(), found.get(1).end()));
    }

    @Test
    void withoutASubwordPrefixWordsAreJoinedWhereNoSpaceSeparatesThem() {
        // A BPE-like tokenizer: "Annabel" as "Ann" + "abel", no "##" marker.
        String text = "Annabel sings";
        TokenWindow w = window(new String[] {"Ann", "abel", "sings"}, new int[][] {{0, 3}, {3, 7}, {8, 13}});
        List<Entity> found = new TokenClassification(LABELS, TokenClassification.Aggregation.FIRST, null)
                .entities(text, List.of(w), List.of(oneHot(1, 0, 0)));
        assertEquals(List.of(new Entity("PER", found.get(0).score(), 0, 7)), found);
    }

    @Test
    void overlapsKeepTheLongerThenTheHigherScoring() {
        List<Entity> resolved = TokenClassification.resolveOverlaps(List.of(
                new Entity("PER", 0.9, 10, 14), new Entity("PER", 0.8, 10, 18),
                new Entity("LOC", 0.5, 30, 35), new Entity("ORG", 0.7, 30, 35),
                new Entity("PER", 0.99, 0, 4)));
        assertEquals(List.of(new Entity("PER", 0.99, 0, 4), new Entity("PER", 0.8, 10, 18), new Entity("ORG", 0.7, 30, 35)),
                resolved);
    }
}
