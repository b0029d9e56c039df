package dev.parlance;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The README's examples are answers the server gives today. Each example is marked
 * {@code <!-- example: <path> -->}; the first code block after the mark is the request (a curl
 * command with {@code -d '...'} or the JSON body itself), the next {@code json} block the
 * documented answer. The test sends each request to a server on the shipped configuration
 * (plus the NER fixture the entities example names) and compares: strings exactly, numbers to
 * the precision the README prints them with; an array ending in {@code "..."} is compared on
 * the values it shows.
 */
class ReadmeExamplesTest {

    private static final Pattern EXAMPLE = Pattern.compile(
            "<!-- example: (\\S+) -->\\s*```\\w*\\n(.*?)```.*?```json\\n(.*?)```", Pattern.DOTALL);
    private static final Pattern CURL_BODY = Pattern.compile("-d '(.*?)'", Pattern.DOTALL);

    static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        JsonObject shipped = new JsonObject(Files.readString(Path.of("conf", "parlance.json")));
        JsonObject config = TestServer.config();
        JsonArray models = shipped.getJsonArray("models").copy();
        models.add(new JsonObject().put("name", "ner").put("kind", "token-classification").put("workers", 1)
                .put("source", TestServer.fixture("ner-tiny").toString()));
        config.put("models", models);
        server = TestServer.start(config);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    record Example(String path, JsonObject request, Object answer) {
    }

    static List<Example> examples() throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        List<Example> found = new ArrayList<>();
        Matcher m = EXAMPLE.matcher(readme);
        while (m.find()) {
            String request = m.group(2).trim();
            Matcher curl = CURL_BODY.matcher(request);
            String body = curl.find() ? curl.group(1) : request;
            found.add(new Example(m.group(1), new JsonObject(body), io.vertx.core.json.Json.decodeValue(m.group(3))));
        }
        return found;
    }

    @Test
    void everyMarkedExampleGetsTheAnswerTheReadmeShows() throws Exception {
        List<Example> examples = examples();
        assertTrue(examples.size() >= 4, "the README marks its examples: found " + examples.size());
        for (Example example : examples) {
            HttpResponse<Buffer> response = server.postJson(example.path(), example.request());
            assertEquals(200, response.statusCode(), example.path() + ": " + response.bodyAsString());
            // The whole answer is in the message, so a drifted README is fixed in one go.
            compare(example.path() + " " + example.request().encode() + " answered " + response.bodyAsString(),
                    example.answer(), response.bodyAsJson(Object.class));
        }
    }

    /** Documented numbers are rounded: each must be the server's to within half its last printed digit. */
    private static void compare(String where, Object documented, Object actual) {
        if (documented instanceof JsonObject d) {
            if (!(actual instanceof JsonObject a)) {
                fail(where + ": expected an object, got " + actual);
                return;
            }
            assertEquals(d.fieldNames(), a.fieldNames(), where + ": fields");
            d.fieldNames().forEach(name -> compare(where + "/" + name, d.getValue(name), a.getValue(name)));
        } else if (documented instanceof JsonArray d) {
            if (!(actual instanceof JsonArray a)) {
                fail(where + ": expected an array, got " + actual);
                return;
            }
            // A documented array may end with "...": only its first values are shown (and compared).
            boolean abridged = !d.isEmpty() && "...".equals(d.getValue(d.size() - 1));
            int shown = abridged ? d.size() - 1 : d.size();
            if (abridged) {
                assertTrue(a.size() >= shown, where + ": length");
            } else {
                assertEquals(d.size(), a.size(), where + ": length");
            }
            for (int i = 0; i < shown; i++) {
                compare(where + "/" + i, d.getValue(i), a.getValue(i));
            }
        } else if (documented instanceof Number d && !(documented instanceof Integer) && !(documented instanceof Long)) {
            String printed = java.math.BigDecimal.valueOf(d.doubleValue()).stripTrailingZeros().toPlainString();
            int decimals = Math.max(0, java.math.BigDecimal.valueOf(d.doubleValue()).stripTrailingZeros().scale());
            double tolerance = 0.5 * Math.pow(10, -decimals) + 1e-9;
            assertTrue(actual instanceof Number, where + ": expected a number, got " + actual);
            assertEquals(d.doubleValue(), ((Number) actual).doubleValue(), tolerance, where + " (README prints " + printed + ")");
        } else {
            assertEquals(documented, actual, where);
        }
    }
}
