package dev.parlance.http;

import dev.parlance.bus.Schemas;
import dev.parlance.config.ModelConfig;
import dev.parlance.config.ParlanceConfig;
import dev.parlance.config.Task;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.micrometer.PrometheusScrapingHandler;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.validation.ValidationHandler;
import io.vertx.ext.web.validation.builder.ValidationHandlerBuilder;
import io.vertx.json.schema.JsonSchemaOptions;
import io.vertx.json.schema.SchemaRepository;
import io.vertx.json.schema.Draft;

import java.util.Optional;

/**
 * All routes. Under the root path (default {@code /api/v1}), for each task:
 * {@code POST /<task>} on the default model of the task and {@code POST /<model>/<task>} on a
 * named one, so with root {@code /v1} NLP Cloud's URLs ({@code /v1/<model>/<task>}) work as-is.
 */
public final class ApiRouter {

    private ApiRouter() {
    }

    public static Router create(Vertx vertx, ParlanceConfig config, PrometheusMeterRegistry registry) {
        Schemas schemas = Schemas.load(config.limits());
        InferenceDispatch dispatch = new InferenceDispatch(vertx, config.limits().requestTimeoutMs());
        FailureHandler failures = new FailureHandler();

        Router api = Router.router(vertx);
        if (config.auth().enabled()) {
            api.route().handler(new TokenAuth(config.auth().tokens()));
        }
        for (Task task : Task.values()) {
            if (!schemas.has(task)) {
                continue;
            }
            ValidationHandler validation = validation(schemas, task);
            BodyHandler body = BodyHandler.create(false).setBodyLimit(config.limits().maxBodyBytes());
            String bare = "/" + task.path();
            String named = "/:model/" + task.path();
            // Cheap refusals first, each its own route, before the body is read:
            api.post(named).handler(ctx -> checkNamedModel(ctx, config, task));
            api.post(bare).handler(JsonContentType::require);
            api.post(named).handler(JsonContentType::require);
            api.post(bare).handler(body).handler(validation)
                    .handler(ctx -> toDefaultModel(ctx, config, dispatch, task))
                    .failureHandler(failures);
            api.post(named).handler(body).handler(validation)
                    .handler(ctx -> dispatch.dispatch(ctx, task, ctx.pathParam("model")))
                    .failureHandler(failures);
        }

        Router root = Router.router(vertx);
        if (registry != null) {
            root.get("/metrics").handler(PrometheusScrapingHandler.create(registry));
        }
        String mount = config.http().rootPath().isEmpty() ? "/*" : config.http().rootPath() + "/*";
        root.route(mount).subRouter(api);
        for (int status : new int[] {400, 404, 405, 413, 415, 500}) {
            root.errorHandler(status, failures);
        }
        return root;
    }

    private static ValidationHandler validation(Schemas schemas, Task task) {
        SchemaRepository repository = SchemaRepository.create(new JsonSchemaOptions()
                .setDraft(Draft.DRAFT202012).setBaseUri("https://parlance.dev/schemas/"));
        return ValidationHandlerBuilder.create(repository)
                .body(new SchemaBodyProcessor(schemas, task))
                .build();
    }

    private static void toDefaultModel(RoutingContext ctx, ParlanceConfig config, InferenceDispatch dispatch, Task task) {
        Optional<ModelConfig> model = config.defaultModel(task);
        if (model.isEmpty()) {
            ErrorResponses.send(ctx, 404, "task_not_served", "no configured model serves " + task.path() + ": "
                    + howToServe(task));
            return;
        }
        dispatch.dispatch(ctx, task, model.get().name());
    }

    private static String howToServe(Task task) {
        return switch (task) {
            case ENTITIES -> "export a token-classification model from Hugging Face (e.g. dslim/bert-base-NER with"
                    + " optimum-cli, see the README section 'Named entities') and add it to \"models\" with"
                    + " \"kind\": \"token-classification\"";
            case CLASSIFICATION -> "add an \"nli\" or \"embedding\" model to \"models\" (see the README)";
            case EMBEDDINGS, SEMANTIC_SIMILARITY -> "add an \"embedding\" model to \"models\" (see the README)";
        };
    }

    /** Unknown models and tasks a model cannot do are answered before the body is read. */
    private static void checkNamedModel(RoutingContext ctx, ParlanceConfig config, Task task) {
        String name = ctx.pathParam("model");
        Optional<ModelConfig> model = config.model(name);
        if (model.isEmpty()) {
            ErrorResponses.send(ctx, 404, "unknown_model", "no model named \"" + name + "\" is configured");
        } else if (!model.get().kind().serves(task)) {
            ErrorResponses.send(ctx, 404, "task_not_served", "model \"" + name + "\" ("
                    + model.get().kind().name().toLowerCase() + ") does not serve " + task.path());
        } else {
            ctx.next();
        }
    }
}
