package dev.parlance.tasks;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ZeroShotByEmbeddingTest {

    private final ZeroShotByEmbedding zeroShot = new ZeroShotByEmbedding("{}", 0.1, 0.2);
    private final float[] text = {1f, 0f};
    // cosines with text: 0.6, 0.0 and -1.0
    private final List<float[]> labels = List.of(new float[] {0.6f, 0.8f}, new float[] {0f, 1f}, new float[] {-2f, 0f});

    @Test
    void singleLabelScoresAreASoftmaxOfCosinesOverTheTemperature() {
        Classification c = zeroShot.score(List.of("a", "b", "c"), text, labels, false);
        double[] e = {Math.exp(6), Math.exp(0), Math.exp(-10)};
        double sum = e[0] + e[1] + e[2];
        assertEquals(List.of("a", "b", "c"), c.labels());
        assertEquals(e[0] / sum, c.scores().get(0), 1e-6);
        assertEquals(e[1] / sum, c.scores().get(1), 1e-6);
        assertEquals(e[2] / sum, c.scores().get(2), 1e-6);
    }

    @Test
    void multiLabelScoresAreIndependentSigmoidsAroundTheMidpoint() {
        Classification c = zeroShot.score(List.of("c", "b", "a"), text, List.of(labels.get(2), labels.get(1), labels.get(0)), true);
        assertEquals(List.of("a", "b", "c"), c.labels());
        assertEquals(1 / (1 + Math.exp(-4)), c.scores().get(0), 1e-6);
        assertEquals(1 / (1 + Math.exp(2)), c.scores().get(1), 1e-6);
        assertEquals(1 / (1 + Math.exp(12)), c.scores().get(2), 1e-6);
    }

    @Test
    void aLoneLabelIsScoredOnItsOwnNotAlwaysOne() {
        Classification c = zeroShot.score(List.of("b"), text, List.of(labels.get(1)), false);
        assertEquals(1 / (1 + Math.exp(2)), c.scores().get(0), 1e-6);
    }

    @Test
    void temperatureMustBePositive() {
        assertThrows(IllegalArgumentException.class, () -> new ZeroShotByEmbedding("{}", 0, 0));
    }
}
