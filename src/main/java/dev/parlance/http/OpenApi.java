package dev.parlance.http;

import dev.parlance.bus.Schemas;
import dev.parlance.config.ModelConfig;
import dev.parlance.config.ParlanceConfig;
import dev.parlance.config.Task;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.Map;

/**
 * The OpenAPI 3.1 document of this server, built at start from the schema files (JSON Schema
 * 2020-12 is OpenAPI 3.1's schema language, so they go in as they are) and from the configured
 * models and routes: one path per task on its default model, one per model that serves it.
 */
final class OpenApi {

    private static final Map<Integer, String> ERRORS = Map.of(
            400, "The body is not valid JSON or breaks the request schema; `path` names the field.",
            401, "No valid `Authorization: Token <key>` header.",
            404, "Unknown model, or the model does not serve this task.",
            413, "The body is larger than the configured limit.",
            415, "The body is not sent as application/json.",
            500, "Internal error; `id` is in the server log.",
            503, "The model's queue is full or it has no worker; see Retry-After.",
            504, "No answer within the request deadline.");

    private static final Map<Task, String> SUMMARIES = Map.of(
            Task.CLASSIFICATION, "Zero-shot classification: score a text against candidate labels",
            Task.ENTITIES, "Named entities of a text",
            Task.EMBEDDINGS, "Sentence embeddings",
            Task.SEMANTIC_SIMILARITY, "How close in meaning two sentences are");

    private OpenApi() {
    }

    static JsonObject build(ParlanceConfig config, Schemas schemas, String version) {
        String root = config.http().rootPath();
        JsonObject components = new JsonObject();
        JsonObject paths = new JsonObject();
        components.put(schemaName(schemas.error()), strip(schemas.error()));
        for (Task task : Task.values()) {
            if (!schemas.has(task)) {
                continue;
            }
            String request = schemaName(schemas.request(task));
            String response = schemaName(schemas.response(task));
            components.put(request, strip(schemas.request(task)));
            components.put(response, strip(schemas.response(task)));
            config.defaultModel(task).ifPresent(model -> paths.put(root + "/" + task.path(),
                    operation(task, request, response, "on the default model for this task, " + model.name())));
            for (ModelConfig model : config.models()) {
                if (model.kind().serves(task)) {
                    paths.put(root + "/" + model.name() + "/" + task.path(), operation(task, request, response,
                            "on model " + model.name() + " (" + model.kind().name().toLowerCase().replace('_', '-') + ")"));
                }
            }
        }
        paths.put("/health/live", probe("Liveness: the process is up"));
        paths.put("/health/ready", probe("Readiness: every model is loaded and the server is not shutting down"));
        paths.put("/metrics", new JsonObject().put("get", new JsonObject()
                .put("summary", "Prometheus metrics").put("tags", new JsonArray().add("operations"))
                .put("security", new JsonArray())
                .put("responses", new JsonObject().put("200", new JsonObject().put("description", "Prometheus text format")
                        .put("content", new JsonObject().put("text/plain", new JsonObject()))))));
        return new JsonObject()
                .put("openapi", "3.1.0")
                .put("info", new JsonObject().put("title", "Parlance").put("version", version)
                        .put("description", "NLP inference: zero-shot classification, entities, embeddings and"
                                + " similarity. Authenticate with the header `Authorization: Token <key>`."))
                .put("security", new JsonArray().add(new JsonObject().put("token", new JsonArray())))
                .put("paths", paths)
                .put("components", new JsonObject()
                        .put("schemas", components)
                        .put("securitySchemes", new JsonObject().put("token", new JsonObject()
                                .put("type", "apiKey").put("in", "header").put("name", "Authorization")
                                .put("description", "Token <key> (NLP Cloud's scheme) or Bearer <key>"))));
    }

    private static JsonObject operation(Task task, String request, String response, String where) {
        JsonObject responses = new JsonObject().put("200", new JsonObject().put("description", "OK")
                .put("content", json(ref(response))));
        ERRORS.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> responses.put(
                Integer.toString(e.getKey()), new JsonObject().put("description", e.getValue())
                        .put("content", json(ref("Error")))));
        return new JsonObject().put("post", new JsonObject()
                .put("summary", SUMMARIES.get(task))
                .put("description", SUMMARIES.get(task) + ", " + where + ".")
                .put("tags", new JsonArray().add(task.path()))
                .put("parameters", new JsonArray().add(new JsonObject().put("name", "X-Timeout-Ms").put("in", "header")
                        .put("description", "Shortens the request's deadline (milliseconds)")
                        .put("schema", new JsonObject().put("type", "integer").put("minimum", 1))))
                .put("requestBody", new JsonObject().put("required", true).put("content", json(ref(request))))
                .put("responses", responses));
    }

    private static JsonObject probe(String summary) {
        return new JsonObject().put("get", new JsonObject().put("summary", summary)
                .put("tags", new JsonArray().add("operations")).put("security", new JsonArray())
                .put("responses", new JsonObject()
                        .put("200", new JsonObject().put("description", "UP"))
                        .put("503", new JsonObject().put("description", "DOWN"))));
    }

    private static JsonObject json(JsonObject schema) {
        return new JsonObject().put("application/json", new JsonObject().put("schema", schema));
    }

    private static JsonObject ref(String name) {
        return new JsonObject().put("$ref", "#/components/schemas/" + name);
    }

    private static String schemaName(JsonObject schema) {
        return schema.getString("title");
    }

    /** The file's identity keywords stay in the file; inside the document they would re-base references. */
    private static JsonObject strip(JsonObject schema) {
        JsonObject copy = schema.copy();
        copy.remove("$schema");
        copy.remove("$id");
        return copy;
    }
}
