package dev.parlance.inference;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.NoBatchifyTranslator;
import ai.djl.translate.TranslatorContext;
import dev.parlance.tasks.Matrix;
import dev.parlance.tasks.Tokens;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns a list of unpadded sequences into one padded batch (to the longest sequence of this
 * batch, never to a fixed length) and the model's first output back into one matrix view per
 * sequence, padding rows cut off. Inputs are direct buffers, which ONNX Runtime uses without
 * copying; the output is read once into one float array that all views share.
 */
final class BatchTranslator implements NoBatchifyTranslator<List<Tokens>, List<Matrix>> {

    private static final String BATCH = "batch";

    private final List<String> inputNames;

    BatchTranslator(List<String> inputNames) {
        this.inputNames = inputNames;
    }

    @Override
    public NDList processInput(TranslatorContext ctx, List<Tokens> batch) {
        ctx.setAttachment(BATCH, batch);
        int rows = batch.size();
        int cols = 0;
        for (Tokens t : batch) {
            cols = Math.max(cols, t.length());
        }
        NDManager manager = ctx.getNDManager();
        Shape shape = new Shape(rows, cols);
        NDList inputs = new NDList(inputNames.size());
        for (String name : inputNames) {
            LongBuffer buffer = ByteBuffer.allocateDirect(rows * cols * Long.BYTES)
                    .order(ByteOrder.nativeOrder()).asLongBuffer();
            for (Tokens t : batch) {
                int n = t.length();
                for (int i = 0; i < cols; i++) {
                    buffer.put(i >= n ? 0L : switch (name) {
                        case "input_ids" -> t.ids()[i];
                        case "attention_mask" -> 1L;
                        case "token_type_ids" -> t.typeIds()[i];
                        default -> throw new IllegalStateException("unsupported input " + name);
                    });
                }
            }
            buffer.flip();
            NDArray array = manager.create(buffer, shape);
            array.setName(name);
            inputs.add(array);
        }
        return inputs;
    }

    @Override
    public List<Matrix> processOutput(TranslatorContext ctx, NDList outputs) {
        NDArray out = outputs.get(0);
        long[] shape = out.getShape().getShape();
        float[] data = out.toFloatArray();
        @SuppressWarnings("unchecked")
        List<Tokens> batch = (List<Tokens>) ctx.getAttachment(BATCH);
        List<Matrix> views = new ArrayList<>(batch.size());
        if (shape.length == 3) {
            int padded = (int) shape[1];
            int width = (int) shape[2];
            for (int i = 0; i < batch.size(); i++) {
                views.add(new Matrix(data, i * padded * width, batch.get(i).length(), width));
            }
        } else if (shape.length == 2) {
            int width = (int) shape[1];
            for (int i = 0; i < batch.size(); i++) {
                views.add(new Matrix(data, i * width, 1, width));
            }
        } else {
            throw new IllegalStateException("unexpected model output shape " + out.getShape());
        }
        return views;
    }
}
