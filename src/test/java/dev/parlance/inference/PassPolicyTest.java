package dev.parlance.inference;

import dev.parlance.config.RowMixing;
import dev.parlance.tasks.Tokens;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PassPolicyTest {

    private static Path resource(String name) throws Exception {
        Path file = Files.createTempFile("pass-policy", ".onnx");
        file.toFile().deleteOnExit();
        try (InputStream in = PassPolicyTest.class.getClassLoader().getResourceAsStream(name)) {
            Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
        }
        return file;
    }

    @Test
    void theInt8ModelRunsEachSequenceAloneAndTheFp32OneMixes() throws Exception {
        JsonObject bert = new JsonObject().put("model_type", "bert");
        assertTrue(PassPolicy.of(RowMixing.AUTO, resource("all-minilm-l6-v2-q.onnx"), bert).alone(),
                "the int8 graph quantizes activations dynamically");
        assertFalse(PassPolicy.of(RowMixing.AUTO, resource("all-minilm-l6-v2.onnx"), bert).alone());
        assertTrue(PassPolicy.of(RowMixing.ISOLATE, resource("all-minilm-l6-v2.onnx"), bert).alone());
        assertFalse(PassPolicy.of(RowMixing.MIX, resource("all-minilm-l6-v2-q.onnx"), bert).alone());
    }

    @Test
    void bartRowsAreKeyedByTheirEosCount() throws Exception {
        Path fp32 = resource("all-minilm-l6-v2.onnx");
        PassPolicy bart = PassPolicy.of(RowMixing.AUTO, fp32, new JsonObject().put("model_type", "bart").put("eos_token_id", 2));
        assertEquals(3, bart.key(new Tokens(new long[] {0, 5, 2, 2, 7, 2}, new long[6])));
        assertEquals(1, bart.key(new Tokens(new long[] {0, 5, 2}, new long[3])));
        PassPolicy bert = PassPolicy.of(RowMixing.AUTO, fp32, new JsonObject().put("model_type", "bert"));
        assertEquals(0, bert.key(new Tokens(new long[] {101, 2, 2, 102}, new long[4])));
    }
}
