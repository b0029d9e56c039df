package dev.parlance.tasks;

import java.util.Locale;

/** How token vectors become one sentence vector (sentence-transformers' pooling modes). */
public enum Pooling {
    /** Mean of all token vectors of the sequence (padding is never part of a sequence here). */
    MEAN,
    /** The first token's vector ([CLS]), as bge models expect. */
    CLS;

    public static Pooling parse(String name) {
        return valueOf(name.toUpperCase(Locale.ROOT));
    }

    /** Pools one sequence's hidden states; a single-row matrix is already pooled and is copied. */
    public float[] pool(Matrix hidden) {
        if (hidden.rows() == 1 || this == CLS) {
            return hidden.rowCopy(0);
        }
        float[] out = new float[hidden.cols()];
        for (int r = 0; r < hidden.rows(); r++) {
            for (int c = 0; c < out.length; c++) {
                out[c] += hidden.get(r, c);
            }
        }
        for (int c = 0; c < out.length; c++) {
            out[c] /= hidden.rows();
        }
        return out;
    }
}
