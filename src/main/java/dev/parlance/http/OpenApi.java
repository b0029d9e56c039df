package dev.parlance.http;

import dev.parlance.bus.Schemas;
import dev.parlance.config.AuthConfig;
import dev.parlance.config.ModelConfig;
import dev.parlance.config.ParlanceConfig;
import dev.parlance.api.Task;
import dev.parlance.http.OpenApiResponses.ErrorStatus;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The OpenAPI 3.1 document of this server, built at start from the schema files (JSON Schema
 * 2020-12 is OpenAPI 3.1's schema language, so they go in as they are, their {@code examples}
 * included) and from the configured models and routes: one path per task on its default
 * model, one per model that serves it. Paths are absolute (the root path is in them, and the
 * probes live outside it), so the one server is the document's own origin, {@code "/"}.
 * Redocly's linter and a second validator check the result (OpenApiLintTest).
 */
final class OpenApi {

    /** Security scheme names: Swagger UI's Authorize dialog shows one field per scheme. */
    static final String BEARER = "bearer";
    static final String TOKEN = "token";

    private OpenApi() {
    }

    static JsonObject build(ParlanceConfig config, Schemas schemas, String version) {
        String root = config.http().rootPath();
        AuthConfig auth = config.auth();
        JsonObject components = new JsonObject();
        JsonObject paths = new JsonObject();
        JsonArray tags = new JsonArray();
        for (Task task : Task.values()) {
            List<ModelConfig> serving = config.models().stream().filter(m -> task.servedBy(m.kind())).toList();
            // A task no model serves gets no path; its schemas would be unused components.
            if (serving.isEmpty()) {
                continue;
            }
            JsonObject request = schemas.request(task);
            JsonObject response = schemas.response(task);
            components.put(schemaName(request), strip(request));
            components.put(schemaName(response), strip(response));
            Operation operation = task == Task.EMBEDDINGS
                    ? embeddingsInTwoShapes(schemas, components, auth.enabled())
                    : new Operation(task, json(ref(schemaName(request)), firstExample(request)),
                            json(ref(schemaName(response)), firstExample(response)), ref("Error"), auth.enabled());
            task.defaultModel(config).ifPresent(model -> paths.put(root + "/" + task.path(),
                    operation.on(camelCase(task.path()), "on the default model for this task, " + model.name())));
            for (ModelConfig model : serving) {
                paths.put(root + "/" + model.name() + "/" + task.path(), operation.on(
                        camelCase(task.path()) + "OnModel_" + model.name(),
                        "on model " + model.name() + " (" + model.kind().configName() + ")"));
            }
            tags.add(tag(task.path(), task.definition().summary() + "."));
        }
        components.put(schemaName(schemas.error()), strip(schemas.error()));
        boolean protectHealth = auth.enabled() && auth.protectHealth();
        paths.put("/health/live", probe("healthLive", "Liveness: the process is up", new JsonObject().put("status", "UP"),
                false, protectHealth));
        paths.put("/health/ready", probe("healthReady",
                "Readiness: every model is loaded with a live worker and the server is not shutting down",
                new JsonObject().put("status", "UP").put("stopping", false)
                        .put("models", new JsonObject().put("minilm", "READY")), true, protectHealth));
        paths.put("/metrics", metrics(auth.enabled() && auth.protectMetrics()));
        tags.add(tag("operations", "Probes and metrics for the platform running the server."));

        JsonObject document = new JsonObject()
                .put("openapi", "3.1.0")
                .put("info", new JsonObject().put("title", "Parlance").put("version", version)
                        .put("description", "NLP inference: zero-shot and fixed-label classification, sentiment, entities, embeddings,"
                                + " similarity, rerank and tokenize. `{root}/embeddings` also takes OpenAI's embeddings request, and the"
                                + " named-model routes NLP Cloud's `[gpu/][<lang>/]<model>/<task>` forms (see the README)."
                                + (auth.enabled() ? " Authenticate with the header"
                                + " `Authorization: Bearer <key>` or `Authorization: Token <key>` (NLP Cloud's"
                                + " scheme). In this page, Authorize and type the bare key under `bearer`." : "")))
                .put("servers", new JsonArray().add(new JsonObject().put("url", "/")
                        .put("description", "This server; the paths include the root path")))
                .put("tags", tags)
                .put("paths", paths);
        JsonObject allComponents = new JsonObject().put("schemas", components);
        if (auth.enabled()) {
            document.put("security", eitherScheme());
            allComponents.put("securitySchemes", new JsonObject()
                    .put(BEARER, new JsonObject().put("type", "http").put("scheme", "bearer")
                            .put("description", "The bare key; it is sent as `Authorization: Bearer <key>`."))
                    .put(TOKEN, new JsonObject().put("type", "apiKey").put("in", "header").put("name", "Authorization")
                            .put("description", "The whole header value, `Token <key>` (NLP Cloud's scheme)"
                                    + " or `Bearer <key>`.")));
        }
        return document.put("components", allComponents);
    }

    /**
     * Embeddings take NLP Cloud's body or OpenAI's ({@link OpenAiEmbeddings}): each side of the
     * operation is a oneOf of the two shapes, with one named example of each.
     */
    private static Operation embeddingsInTwoShapes(Schemas schemas, JsonObject components, boolean auth) {
        JsonObject nlpRequest = schemas.request(Task.EMBEDDINGS);
        JsonObject nlpResponse = schemas.response(Task.EMBEDDINGS);
        JsonObject openAiRequest = schemas.openAiEmbeddingsRequest();
        JsonObject openAiResponse = schemas.openAiEmbeddingsResponse();
        for (JsonObject schema : List.of(openAiRequest, openAiResponse, schemas.openAiError())) {
            components.put(schemaName(schema), strip(schema));
        }
        return new Operation(Task.EMBEDDINGS, twoShapes(nlpRequest, openAiRequest), twoShapes(nlpResponse, openAiResponse),
                oneOf(ref(schemaName(schemas.error())), ref(schemaName(schemas.openAiError()))), auth);
    }

    private static JsonObject twoShapes(JsonObject nlpCloud, JsonObject openAi) {
        return new JsonObject().put("application/json", new JsonObject()
                .put("schema", oneOf(ref(schemaName(nlpCloud)), ref(schemaName(openAi))))
                .put("examples", new JsonObject()
                        .put("nlpcloud", new JsonObject().put("summary", "NLP Cloud's shape").put("value", firstExample(nlpCloud)))
                        .put("openai", new JsonObject().put("summary", "OpenAI's shape (a body with input)")
                                .put("value", firstExample(openAi)))));
    }

    private static JsonObject oneOf(JsonObject... schemas) {
        return new JsonObject().put("oneOf", new JsonArray(List.of((Object[]) schemas)));
    }

    /**
     * The POST operation of a task; each path gets its own copy with its own id. The request
     * and response are media types, so a route that accepts two shapes can pass a oneOf schema;
     * {@code errorSchema} is the body of its error responses.
     */
    record Operation(Task task, JsonObject request, JsonObject response, JsonObject errorSchema, boolean auth) {

        JsonObject on(String operationId, String where) {
            JsonObject responses = new JsonObject().put("200", new JsonObject().put("description", "OK")
                    .put("content", response.copy()));
            errors(responses, OpenApiResponses.TASK, auth, errorSchema);
            return new JsonObject().put("post", new JsonObject()
                    .put("operationId", operationId)
                    .put("summary", task.definition().summary())
                    .put("description", task.definition().summary() + ", " + where + ".")
                    .put("tags", new JsonArray().add(task.path()))
                    .put("parameters", new JsonArray().add(new JsonObject().put("name", InferenceDispatch.TIMEOUT_HEADER)
                            .put("in", "header")
                            .put("description", "Shortens the request's deadline (milliseconds); never lengthens it")
                            // No example: Swagger UI would fill it in, and Try it out would run on a short deadline.
                            .put("schema", new JsonObject().put("type", "integer").put("minimum", 1))))
                    .put("requestBody", new JsonObject().put("required", true).put("content", request.copy()))
                    .put("responses", responses));
        }
    }

    private static JsonObject probe(String operationId, String summary, JsonObject example, boolean canBeDown,
                                    boolean isProtected) {
        JsonObject schema = new JsonObject().put("type", "object")
                .put("properties", new JsonObject()
                        .put("status", new JsonObject().put("enum", new JsonArray().add("UP").add("DOWN")))
                        .put("stopping", new JsonObject().put("type", "boolean")
                                .put("description", "A shutdown has begun"))
                        .put("models", new JsonObject().put("type", "object")
                                .put("description", "The state of each configured model")
                                .put("additionalProperties", new JsonObject().put("enum", new JsonArray()
                                        .add("LOADING").add("READY").add("FAILED").add("UNAVAILABLE").add("NO_WORKER")))))
                .put("required", new JsonArray().add("status"));
        JsonObject responses = new JsonObject().put("200", new JsonObject().put("description", "UP")
                .put("content", json(schema, example)));
        if (canBeDown) {
            JsonObject down = example.copy().put("status", "DOWN").put("models", new JsonObject().put("minilm", "LOADING"));
            responses.put("503", new JsonObject().put("description", "DOWN: a model is not ready, or the server is stopping")
                    .put("content", json(schema, down)));
        }
        errors(responses, List.of(), isProtected, ref("Error"));
        return get(operationId, summary, responses, isProtected);
    }

    private static JsonObject metrics(boolean isProtected) {
        JsonObject responses = new JsonObject().put("200", new JsonObject().put("description", "Prometheus text format")
                .put("content", new JsonObject().put("text/plain", new JsonObject()
                        .put("schema", new JsonObject().put("type", "string"))
                        .put("example", "# TYPE parlance_queue_depth gauge\nparlance_queue_depth{model=\"minilm\"} 0.0\n"))));
        errors(responses, OpenApiResponses.METRICS, isProtected, ref("Error"));
        return get("metrics", "Prometheus metrics", responses, isProtected);
    }

    private static JsonObject get(String operationId, String summary, JsonObject responses, boolean isProtected) {
        JsonObject get = new JsonObject().put("operationId", operationId).put("summary", summary)
                .put("tags", new JsonArray().add("operations"));
        // An empty requirement list opens an operation that the document otherwise protects.
        get.put("security", isProtected ? eitherScheme() : new JsonArray());
        return new JsonObject().put("get", get.put("responses", responses));
    }

    /** Adds the error statuses of every route, then the given ones (which refine them), in status order. */
    private static void errors(JsonObject responses, List<ErrorStatus> specific, boolean auth, JsonObject errorSchema) {
        Map<Integer, ErrorStatus> all = new TreeMap<>();
        OpenApiResponses.ANY_ROUTE.forEach(e -> all.put(e.status(), e));
        if (auth) {
            all.put(401, OpenApiResponses.UNAUTHORIZED);
        }
        specific.forEach(e -> all.put(e.status(), e));
        all.values().forEach(e -> {
            JsonObject response = new JsonObject().put("description", e.description())
                    .put("content", json(errorSchema, e.example()));
            JsonObject headers = new JsonObject();
            if (e.retryAfter()) {
                headers.put("Retry-After", header("Seconds to wait before retrying", new JsonObject().put("type", "integer"), 1));
            }
            if (e.status() == 401) {
                headers.put("WWW-Authenticate", header("The accepted schemes: Token and Bearer",
                        new JsonObject().put("type", "string"), "Bearer realm=\"parlance\""));
            }
            if (!headers.isEmpty()) {
                response.put("headers", headers);
            }
            responses.put(Integer.toString(e.status()), response);
        });
    }

    /** Either scheme is enough: a list of requirements is an OR. */
    private static JsonArray eitherScheme() {
        return new JsonArray().add(new JsonObject().put(BEARER, new JsonArray()))
                .add(new JsonObject().put(TOKEN, new JsonArray()));
    }

    private static JsonObject header(String description, JsonObject schema, Object example) {
        return new JsonObject().put("description", description).put("schema", schema).put("example", example);
    }

    private static JsonObject tag(String name, String description) {
        return new JsonObject().put("name", name).put("description", description);
    }

    /** A JSON media type; {@code example} is what Swagger UI prefills and shows. */
    private static JsonObject json(JsonObject schema, Object example) {
        JsonObject media = new JsonObject().put("schema", schema);
        if (example != null) {
            media.put("example", example);
        }
        return new JsonObject().put("application/json", media);
    }

    /** The first of a schema file's {@code examples}: a real request, or a real answer of the embedded model. */
    private static Object firstExample(JsonObject schema) {
        JsonArray examples = schema.getJsonArray("examples");
        return examples == null || examples.isEmpty() ? null : examples.getValue(0);
    }

    private static JsonObject ref(String name) {
        return new JsonObject().put("$ref", "#/components/schemas/" + name);
    }

    private static String schemaName(JsonObject schema) {
        return schema.getString("title");
    }

    /** "semantic-similarity" becomes "semanticSimilarity", for operation ids. */
    private static String camelCase(String path) {
        StringBuilder id = new StringBuilder();
        for (String part : path.split("-")) {
            id.append(id.length() == 0 ? part : Character.toUpperCase(part.charAt(0)) + part.substring(1));
        }
        return id.toString();
    }

    /** The file's identity keywords stay in the file; inside the document they would re-base references. */
    private static JsonObject strip(JsonObject schema) {
        JsonObject copy = schema.copy();
        copy.remove("$schema");
        copy.remove("$id");
        return copy;
    }
}
