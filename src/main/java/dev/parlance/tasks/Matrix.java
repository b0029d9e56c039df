package dev.parlance.tasks;

/**
 * A row-major view of one sequence's model output inside a larger batch buffer: {@code rows}
 * tokens (1 for a per-sequence output such as NLI logits) of {@code cols} values each.
 * A view, so the batch output is never copied per sequence.
 */
public record Matrix(float[] data, int offset, int rows, int cols) {

    public Matrix {
        if (offset < 0 || rows < 0 || cols < 0 || offset + (long) rows * cols > data.length) {
            throw new IllegalArgumentException("matrix view out of bounds");
        }
    }

    /** A whole array as one row. */
    public static Matrix row(float[] values) {
        return new Matrix(values, 0, 1, values.length);
    }

    public float get(int row, int col) {
        return data[offset + row * cols + col];
    }

    /** Copy of one row. */
    public float[] rowCopy(int row) {
        float[] out = new float[cols];
        System.arraycopy(data, offset + row * cols, out, 0, cols);
        return out;
    }
}
