package dev.parlance.tasks;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ZeroShotByEmbeddingTest {

    private final ZeroShotByEmbedding zeroShot = new ZeroShotByEmbedding("{}", 0.1, 0.2);
    private final float[] text = {1f, 0f};
    // cosines with text: 0.6, 0.0 and -1.0
    private final List<float[]> labels = List.of(new float[] {0.6f, 0.8f}, new float[] {0f, 1f}, new float[] {-2f, 0f});
    // cosines with text: 0.8 and -0.4, so the text's baseline is 0.2
    private final List<float[]> reference = List.of(new float[] {0.8f, 0.6f}, new float[] {-0.4f, 0.9165151f});

    @Test
    void singleLabelScoresAreASoftmaxOfCosinesOverTheTemperature() {
        Classification c = zeroShot.score(List.of("a", "b", "c"), text, labels, reference, false);
        double[] e = {Math.exp(6), Math.exp(0), Math.exp(-10)};
        double sum = e[0] + e[1] + e[2];
        assertEquals(List.of("a", "b", "c"), c.labels());
        assertEquals(e[0] / sum, c.scores().get(0), 1e-6);
        assertEquals(e[1] / sum, c.scores().get(1), 1e-6);
        assertEquals(e[2] / sum, c.scores().get(2), 1e-6);
    }

    @Test
    void theBaselineIsTheMeanCosineWithTheReference() {
        assertEquals(0.2, ZeroShotByEmbedding.baseline(text, reference), 1e-6);
        assertEquals(0, ZeroShotByEmbedding.baseline(text, List.of()));
    }

    @Test
    void multiLabelScoresAreIndependentSigmoidsAroundTheBaselinePlusTheMidpoint() {
        // 0.5 at cosine 0.2 + 0.2 = 0.4
        Classification c = zeroShot.score(List.of("c", "b", "a"), text,
                List.of(labels.get(2), labels.get(1), labels.get(0)), reference, true);
        assertEquals(List.of("a", "b", "c"), c.labels());
        assertEquals(1 / (1 + Math.exp(-2)), c.scores().get(0), 1e-6);
        assertEquals(1 / (1 + Math.exp(4)), c.scores().get(1), 1e-6);
        assertEquals(1 / (1 + Math.exp(14)), c.scores().get(2), 1e-6);
    }

    @Test
    void aLabelsMultiLabelScoreDoesNotDependOnTheOtherLabels() {
        double alone = zeroShot.score(List.of("a"), text, List.of(labels.get(0)), reference, true).scores().get(0);
        Classification all = zeroShot.score(List.of("a", "b", "c"), text, labels, reference, true);
        assertEquals(alone, all.scores().get(all.labels().indexOf("a")), 1e-12);
    }

    @Test
    void withoutAReferenceTheMidpointIsAPlainCosine() {
        Classification c = zeroShot.score(List.of("a"), text, List.of(labels.get(0)), List.of(), true);
        assertEquals(1 / (1 + Math.exp(-4)), c.scores().get(0), 1e-6);
    }

    @Test
    void aTextCloseToEverythingNeedsAHigherCosine() {
        // Same label cosine (0.6), but this text's baseline is 0.5 rather than 0.2.
        List<float[]> closeReference = List.of(new float[] {0.5f, 0.8660254f});
        double usual = zeroShot.score(List.of("a"), text, List.of(labels.get(0)), reference, true).scores().get(0);
        double close = zeroShot.score(List.of("a"), text, List.of(labels.get(0)), closeReference, true).scores().get(0);
        assertTrue(usual > 0.5, "0.6 is 0.4 above a 0.2 baseline: " + usual);
        assertTrue(close < 0.5, "0.6 is only 0.1 above a 0.5 baseline: " + close);
    }

    @Test
    void aLoneLabelIsScoredOnItsOwnNotAlwaysOne() {
        Classification c = zeroShot.score(List.of("b"), text, List.of(labels.get(1)), reference, false);
        assertEquals(1 / (1 + Math.exp(4)), c.scores().get(0), 1e-6);
    }

    @Test
    void referenceHypothesesGoThroughTheTemplate() {
        List<String> hypotheses = new ZeroShotByEmbedding(ZeroShotByEmbedding.DEFAULT_TEMPLATE, 1, 0).referenceHypotheses();
        assertEquals(ZeroShotByEmbedding.REFERENCE_TOPICS.size(), hypotheses.size());
        assertEquals("This is about religion.", hypotheses.get(0));
    }

    @Test
    void theReferenceAvoidsTheEvaluatedTopics() {
        // The defaults were measured on these topics (scripts/zero-shot-eval.jsonl); a reference
        // holding them would score the evaluation set against itself.
        for (String topic : List.of("sport", "politics", "economy", "weather", "food", "technology", "health",
                "science", "travel", "music", "education", "crime")) {
            assertFalse(ZeroShotByEmbedding.REFERENCE_TOPICS.contains(topic), topic);
        }
    }

    @Test
    void temperatureMustBePositive() {
        assertThrows(IllegalArgumentException.class, () -> new ZeroShotByEmbedding("{}", 0, 0));
    }
}
