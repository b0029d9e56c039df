package dev.parlance.tasks;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ZeroShotNliTest {

    private static Map<String, Integer> labels(Object... pairs) {
        Map<String, Integer> m = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            m.put((String) pairs[i], (Integer) pairs[i + 1]);
        }
        return m;
    }

    @Test
    void entailmentIndexIsTheFirstLabelStartingWithEntailIgnoringCase() {
        assertEquals(2, ZeroShotNli.entailmentIndex(labels("CONTRADICTION", 0, "NEUTRAL", 1, "ENTAILMENT", 2)));
        assertEquals(0, ZeroShotNli.entailmentIndex(labels("entailment", 0, "not_entailment", 1)));
        assertEquals(1, ZeroShotNli.entailmentIndex(labels("contradiction", 0, "Entails", 1, "entailment", 2)));
        assertEquals(-1, ZeroShotNli.entailmentIndex(labels("LABEL_0", 0, "LABEL_1", 1)));
    }

    @Test
    void singleLabelModeIsASoftmaxOfEntailmentLogitsAcrossLabels() {
        ZeroShotNli nli = new ZeroShotNli(labels("contradiction", 0, "neutral", 1, "entailment", 2), "{}");
        List<Matrix> logits = List.of(
                Matrix.row(new float[] {0f, 0f, 2f}),
                Matrix.row(new float[] {9f, 9f, 0f}));
        Classification c = nli.score(List.of("a", "b"), logits, false);
        double expectedA = Math.exp(2) / (Math.exp(2) + Math.exp(0));
        assertEquals(List.of("a", "b"), c.labels());
        assertEquals(expectedA, c.scores().get(0), 1e-12);
        assertEquals(1 - expectedA, c.scores().get(1), 1e-12);
    }

    @Test
    void multiLabelModeComparesEntailmentWithContradictionPerLabel() {
        ZeroShotNli nli = new ZeroShotNli(labels("contradiction", 0, "neutral", 1, "entailment", 2), "{}");
        Classification c = nli.score(List.of("a", "b"), List.of(
                Matrix.row(new float[] {1f, 50f, 3f}),
                Matrix.row(new float[] {0f, -50f, -1f})), true);
        assertEquals(List.of("a", "b"), c.labels());
        assertEquals(1 / (1 + Math.exp(-2)), c.scores().get(0), 1e-12);
        assertEquals(1 / (1 + Math.exp(1)), c.scores().get(1), 1e-12);
    }

    @Test
    void withEntailmentAtZeroTheContradictionIsTheLastLogit() {
        ZeroShotNli nli = new ZeroShotNli(labels("entailment", 0, "neutral", 1, "contradiction", 2), "{}");
        Classification c = nli.score(List.of("only"), List.of(Matrix.row(new float[] {1f, 7f, -1f})), false);
        assertEquals(1 / (1 + Math.exp(-2)), c.scores().get(0), 1e-12, "one label behaves as multi-label");
    }

    @Test
    void withoutAnEntailmentLabelTheLastLogitIsUsedAsHuggingFaceDoes() {
        ZeroShotNli nli = new ZeroShotNli(labels("LABEL_0", 0, "LABEL_1", 1), "{}");
        Classification c = nli.score(List.of("x", "y"), List.of(
                Matrix.row(new float[] {0f, 1f}), Matrix.row(new float[] {0f, 3f})), false);
        assertEquals(List.of("y", "x"), c.labels());
        assertEquals(Math.exp(3) / (Math.exp(1) + Math.exp(3)), c.scores().get(0), 1e-12);
    }

    @Test
    void theTemplateReceivesTheLabel() {
        assertEquals("This example is space.", new ZeroShotNli(Map.of(), ZeroShotNli.DEFAULT_TEMPLATE).hypothesis("space"));
    }
}
