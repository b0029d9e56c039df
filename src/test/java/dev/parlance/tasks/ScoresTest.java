package dev.parlance.tasks;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class ScoresTest {

    @Test
    void softmaxSurvivesHugeLogits() {
        double[] p = Scores.softmax(new double[] {1000, 1000, -1000});
        assertArrayEquals(new double[] {0.5, 0.5, 0}, p, 1e-12);
    }

    @Test
    void cosineOfZeroVectorIsZeroNotNaN() {
        assertEquals(0, Scores.cosine(new float[] {0, 0}, new float[] {1, 2}));
        assertEquals(-1, Scores.cosine(new float[] {1, 2}, new float[] {-2, -4}), 1e-12);
    }

    @Test
    void normalizeGivesUnitLength() {
        assertArrayEquals(new float[] {0.6f, 0.8f}, Scores.normalize(new float[] {3, 4}), 1e-7f);
    }

    @Test
    void sigmoidIsStableAtBothEnds() {
        assertEquals(1, Scores.sigmoid(800), 0);
        assertEquals(0, Scores.sigmoid(-800), 0);
        assertEquals(0.5, Scores.sigmoid(0), 0);
    }

    @Test
    void meanPoolingAveragesRowsAndClsTakesTheFirst() {
        Matrix m = new Matrix(new float[] {9, 9, 1, 2, 3, 4}, 2, 2, 2);
        assertArrayEquals(new float[] {2, 3}, Pooling.MEAN.pool(m), 1e-7f);
        assertArrayEquals(new float[] {1, 2}, Pooling.CLS.pool(m), 1e-7f);
    }
}
