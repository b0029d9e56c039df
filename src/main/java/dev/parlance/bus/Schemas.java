package dev.parlance.bus;

import dev.parlance.config.LimitsConfig;
import dev.parlance.api.Task;
import io.vertx.core.json.JsonObject;
import io.vertx.core.json.pointer.JsonPointer;
import io.vertx.json.schema.Draft;
import io.vertx.json.schema.JsonSchema;
import io.vertx.json.schema.JsonSchemaOptions;
import io.vertx.json.schema.OutputFormat;
import io.vertx.json.schema.OutputUnit;
import io.vertx.json.schema.Validator;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The JSON Schemas of the API, read from the files of {@code schemas/} (packaged in the jar)
 * with the configured limits written into them. HTTP validation, event-bus validation and the
 * published documentation all use these, so there is no second copy of any rule.
 */
public final class Schemas {

    private static final JsonSchemaOptions OPTIONS = new JsonSchemaOptions()
            .setDraft(Draft.DRAFT202012)
            .setBaseUri("https://parlance.dev/schemas/")
            .setOutputFormat(OutputFormat.Basic);

    private static final Pattern QUOTED = Pattern.compile("\"([^\"]*)\"");

    private final Map<Task, JsonObject> requests = new EnumMap<>(Task.class);
    private final Map<Task, JsonObject> responses = new EnumMap<>(Task.class);
    private final Map<Task, Validator> requestValidators = new EnumMap<>(Task.class);
    private final JsonObject error;
    /** OpenAI's dialect of embeddings, on the same route: see {@link #validateOpenAiEmbeddings}. */
    private final JsonObject openAiEmbeddingsRequest;
    private final JsonObject openAiEmbeddingsResponse;
    private final JsonObject openAiError;
    private final Validator openAiEmbeddingsValidator;

    private Schemas(LimitsConfig limits, List<Task> tasks) {
        for (Task task : tasks) {
            JsonObject request = read(task.path() + ".request.json");
            task.definition().limits(limits).forEach((pointer, value) -> set(request, pointer, value));
            requests.put(task, request);
            responses.put(task, read(task.path() + ".response.json"));
            // JsonSchema.of writes its resolution key (__absolute_uri__) into the object it wraps:
            // give it a copy, so the schema kept here (and published in openapi.json) stays the file's.
            requestValidators.put(task, Validator.create(JsonSchema.of(request.copy()), OPTIONS));
        }
        error = read("error.json");
        openAiEmbeddingsRequest = read("openai-embeddings.request.json");
        set(openAiEmbeddingsRequest, "/properties/input/maxLength", limits.maxTextChars());
        set(openAiEmbeddingsRequest, "/properties/input/maxItems", limits.maxSentences());
        set(openAiEmbeddingsRequest, "/properties/input/items/maxLength", limits.maxTextChars());
        openAiEmbeddingsResponse = read("openai-embeddings.response.json");
        openAiError = read("openai-error.json");
        openAiEmbeddingsValidator = Validator.create(JsonSchema.of(openAiEmbeddingsRequest.copy()), OPTIONS);
    }

    /** Loads the schemas of every task; a task without its schema files stops the start. */
    public static Schemas load(LimitsConfig limits) {
        return new Schemas(limits, List.of(Task.values()));
    }

    public JsonObject request(Task task) {
        return requests.get(task);
    }

    public JsonObject response(Task task) {
        return responses.get(task);
    }

    public JsonObject error() {
        return error;
    }

    public JsonObject openAiEmbeddingsRequest() {
        return openAiEmbeddingsRequest;
    }

    public JsonObject openAiEmbeddingsResponse() {
        return openAiEmbeddingsResponse;
    }

    public JsonObject openAiError() {
        return openAiError;
    }

    /** The first problem of a body in OpenAI's embeddings shape, or empty when it is valid. */
    public Optional<Violation> validateOpenAiEmbeddings(Object body) {
        return firstViolation(openAiEmbeddingsRequest, openAiEmbeddingsValidator.validate(body));
    }

    /** The first problem of a request body, or empty when it is valid. */
    public Optional<Violation> validateRequest(Task task, Object body) {
        return firstViolation(requests.get(task), requestValidators.get(task).validate(body));
    }

    /**
     * The most specific error of a validation result against {@code schema}: the deepest
     * instance location, then the deepest keyword, so "/labels/0: must not be empty" wins over
     * "/labels does not match". A missing property is reported at the property's own path.
     */
    public static Optional<Violation> firstViolation(JsonObject schema, OutputUnit result) {
        if (Boolean.TRUE.equals(result.getValid())) {
            return Optional.empty();
        }
        List<OutputUnit> errors = result.getErrors();
        if (errors == null || errors.isEmpty()) {
            return Optional.of(new Violation(pointer(result), String.valueOf(result.getError())));
        }
        OutputUnit best = errors.stream()
                .max(Comparator.comparingInt((OutputUnit u) -> pointer(u).length())
                        .thenComparingInt(u -> String.valueOf(u.getKeywordLocation()).length()))
                .orElseThrow();
        return Optional.of(new Violation(pointer(best), ViolationMessages.describe(best, schema)));
    }

    /** The validator writes "#/labels/0"; the API reports JSON pointers ("/labels/0"). */
    private static String pointer(OutputUnit unit) {
        String location = unit.getInstanceLocation() == null ? "" : unit.getInstanceLocation();
        String path = location.startsWith("#") ? location.substring(1) : location;
        String keyword = String.valueOf(unit.getKeywordLocation());
        if (keyword.endsWith("/required") && unit.getError() != null) {
            Matcher missing = QUOTED.matcher(unit.getError());
            if (missing.find()) {
                path = path + "/" + missing.group(1).replace("~", "~0").replace("/", "~1");
            }
        }
        return path;
    }

    private static JsonObject read(String file) {
        try (InputStream in = Schemas.class.getClassLoader().getResourceAsStream("schemas/" + file)) {
            if (in == null) {
                throw new IllegalStateException("schema file schemas/" + file + " is not packaged");
            }
            return new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void set(JsonObject schema, String pointer, int value) {
        JsonPointer p = JsonPointer.from(pointer);
        if (p.queryJson(schema) == null) {
            throw new IllegalStateException("schema has no " + pointer + " to set the configured limit on");
        }
        p.writeJson(schema, value);
    }

    /** One validation problem: the JSON pointer of the field and what is wrong with it. */
    public record Violation(String path, String message) {
    }
}
