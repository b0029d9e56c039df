package dev.parlance.inference;

import dev.parlance.config.RowMixing;
import dev.parlance.tasks.Tokens;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

/**
 * Which sequences may share a forward pass, so that an answer never depends on what else
 * was in the pass (other callers' traffic, or the rest of the same request):
 * <ul>
 *   <li>{@link #alone()}: each sequence runs by itself. Needed by graphs that quantize
 *       activations dynamically (ONNX Runtime's {@code quantize_dynamic}, e.g. the int8
 *       all-MiniLM-L6-v2): DynamicQuantizeLinear takes its scale from the whole padded
 *       batch, so one sentence's embedding moved by up to 0.02 per dimension with its
 *       neighbours, and zero-shot scores by up to 0.06.</li>
 *   <li>otherwise sequences of similar length share passes, but only those with the same
 *       {@link #key}: BART-family classifiers pool at each row's last {@code </s>}, and their
 *       exported graph reshapes the rows by {@code </s>} count, so rows with different counts
 *       fail together (or pool the wrong token) when they share a pass.</li>
 * </ul>
 */
record PassPolicy(boolean alone, int eosTokenId) {

    /** Op types whose quantization parameters come from the data of the whole pass. */
    private static final byte[] DYNAMIC_QUANTIZATION = "DynamicQuantize".getBytes(StandardCharsets.US_ASCII);
    /** Hugging Face model types whose sequence classification pools at the last eos token. */
    private static final Set<String> EOS_POOLING = Set.of("bart", "mbart", "plbart", "mvp", "led");

    /**
     * @param rowMixing the model's setting; AUTO isolates rows exactly when the graph quantizes dynamically
     * @param hfConfig  the model's config.json
     */
    static PassPolicy of(RowMixing rowMixing, Path onnx, JsonObject hfConfig) throws IOException {
        boolean alone = switch (rowMixing) {
            case ISOLATE -> true;
            case MIX -> false;
            case AUTO -> contains(onnx, DYNAMIC_QUANTIZATION);
        };
        int eos = EOS_POOLING.contains(hfConfig.getString("model_type", "")) ? hfConfig.getInteger("eos_token_id", 2) : -1;
        return new PassPolicy(alone, eos);
    }

    /** Sequences share a pass only with sequences of the same key. */
    int key(Tokens sequence) {
        if (eosTokenId < 0) {
            return 0;
        }
        int count = 0;
        for (long id : sequence.ids()) {
            if (id == eosTokenId) {
                count++;
            }
        }
        return count;
    }

    /** Streams the file once looking for the bytes (an op type name is stored as plain text). */
    static boolean contains(Path file, byte[] needle) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[1 << 20];
            int kept = 0;
            int read;
            while ((read = in.read(buffer, kept, buffer.length - kept)) > 0) {
                int end = kept + read;
                for (int i = 0; i + needle.length <= end; i++) {
                    if (matches(buffer, i, needle)) {
                        return true;
                    }
                }
                // Keep the tail: a match may straddle two reads.
                kept = Math.min(needle.length - 1, end);
                System.arraycopy(buffer, end - kept, buffer, 0, kept);
            }
            return false;
        }
    }

    private static boolean matches(byte[] buffer, int at, byte[] needle) {
        for (int j = 0; j < needle.length; j++) {
            if (buffer[at + j] != needle[j]) {
                return false;
            }
        }
        return true;
    }
}
