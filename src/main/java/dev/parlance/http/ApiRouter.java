package dev.parlance.http;

import dev.parlance.bus.Dispatcher;
import dev.parlance.bus.ErrorCode;
import dev.parlance.bus.Schemas;
import dev.parlance.config.AuthConfig;
import dev.parlance.config.ModelConfig;
import dev.parlance.config.ParlanceConfig;
import dev.parlance.api.Task;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.CorsHandler;
import io.vertx.ext.web.handler.PlatformHandler;
import io.vertx.ext.web.handler.StaticHandler;
import io.vertx.ext.web.validation.ValidationHandler;
import io.vertx.ext.web.validation.builder.ValidationHandlerBuilder;
import io.vertx.json.schema.Draft;
import io.vertx.json.schema.JsonSchemaOptions;
import io.vertx.json.schema.SchemaRepository;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * All routes. Under the root path (default {@code /api/v1}), for each task:
 * {@code POST /<task>} on the default model of the task and {@code POST /<model>/<task>} on a
 * named one (by name or alias), so with root {@code /v1} NLP Cloud's URLs ({@code /v1/<model>/<task>})
 * work as-is, with the {@code gpu/} and {@code <lang>/} segments its client adds.
 * Beside them: {@code {root}/openapi.json}, {@code {root}/docs}, {@code /health/live},
 * {@code /health/ready} and {@code /metrics}. Every route is named by its template, which is
 * what access logs and metrics report.
 */
public final class ApiRouter {

    private static final String SWAGGER_UI = "META-INF/resources/webjars/swagger-ui/5.34.1";
    /** The Swagger UI files docs/index.html uses; nothing else of the webjar is served. */
    private static final Set<String> SWAGGER_ASSETS = Set.of("swagger-ui.css", "swagger-ui-bundle.js",
            "swagger-ui-standalone-preset.js", "favicon-32x32.png", "favicon-16x16.png");

    /**
     * The URL shapes of a named model after the root: Parlance's and those NLP Cloud's client
     * builds ({@code [gpu/][<lang>/]<model>/<task>}). {@code gpu/} is matched before
     * {@code <lang>/}, so "gpu" is never read as a language; a model needs no GPU here, so the
     * segment changes nothing.
     */
    private static final List<String> NAMED_MODEL_SHAPES = List.of(
            "/:model/", "/gpu/:model/", "/gpu/:lang/:model/", "/:lang/:model/");
    /** The configured name of the model a URL named by name or alias. */
    private static final String MODEL_NAME_KEY = "parlance.modelName";

    private ApiRouter() {
    }

    /**
     * @param shared     the process-wide caps and the /metrics endpoint (null metrics: no /metrics)
     * @param dispatcher how jobs reach models; null on a node without the http role, which
     *                   serves only the probes and metrics
     */
    static Router create(Vertx vertx, ParlanceConfig config, HttpVerticle.Shared shared, Health health,
                         Dispatcher dispatcher, SlowClientGuard guard) {
        String root = config.http().rootPath();
        AuthConfig authConfig = config.auth();
        TokenAuth auth = authConfig.enabled() ? new TokenAuth(authConfig.tokens()) : null;
        Schemas schemas = Schemas.load(config.limits());
        FailureHandler failures = new FailureHandler();

        Router router = Router.router(vertx);
        router.route().handler(guard::rearmAfterResponse);
        router.route().handler(new AccessLog());
        if (!config.http().corsOrigins().isEmpty()) {
            router.route().handler(CorsHandler.create()
                    .addOrigins(config.http().corsOrigins())
                    .allowedMethods(Set.of(HttpMethod.GET, HttpMethod.POST))
                    .allowedHeaders(Set.of("Authorization", "Content-Type", AccessLog.REQUEST_ID, InferenceDispatch.TIMEOUT_HEADER))
                    .exposedHeaders(Set.of(AccessLog.REQUEST_ID, "Retry-After")));
        }

        guarded(router.get("/health/live"), auth, authConfig.protectHealth()).handler(health::live);
        guarded(router.get("/health/ready"), auth, authConfig.protectHealth()).handler(health::ready);
        if (shared.metrics() != null) {
            guarded(router.get("/metrics"), auth, authConfig.protectMetrics()).handler(shared.metrics());
        }
        if (dispatcher == null) {
            return router;
        }
        Buffer openApi = OpenApi.build(config, schemas, version()).toBuffer();
        guarded(router.get(root + "/openapi.json"), auth, authConfig.protectDocs())
                .handler(ctx -> ctx.response().putHeader("content-type", "application/json").end(openApi));
        Buffer docsPage = Buffer.buffer(resource("docs/index.html").replace("{{OPENAPI_URL}}", root + "/openapi.json"));
        // Vert.x matches "/docs" and "/docs/" alike; the page needs the slash for its relative assets.
        guarded(router.get(root + "/docs"), auth, authConfig.protectDocs()).handler(ctx -> {
            if (ctx.request().path().endsWith("/")) {
                ctx.response().putHeader("content-type", "text/html; charset=utf-8").end(docsPage);
            } else {
                ctx.redirect(root + "/docs/");
            }
        });
        String docsAssets = root + "/docs/";
        guarded(router.get(docsAssets + "*"), auth, authConfig.protectDocs())
                .handler(ctx -> {
                    // Only what our page loads: the webjar's own index.html and swagger-initializer.js
                    // would open a petstore document from the internet.
                    if (SWAGGER_ASSETS.contains(ctx.request().path().substring(docsAssets.length()))) {
                        ctx.next();
                    } else {
                        ctx.fail(404);
                    }
                })
                .handler(StaticHandler.create(SWAGGER_UI).setCachingEnabled(true));

        InferenceDispatch dispatch = new InferenceDispatch(dispatcher, config.limits().requestTimeoutMs());
        OpenAiEmbeddings openAi = new OpenAiEmbeddings(config, dispatch);
        for (Task task : Task.values()) {
            taskRoutes(router, config, schemas, dispatch, openAi, auth, shared.budget(), task);
        }
        // Failures (invalid body, too large, exceptions) go to the router's error handlers, not
        // to per-route failure handlers: re-routing a failure would count the route twice in metrics.
        for (int status : new int[] {400, 413, 415, 500}) {
            router.errorHandler(status, ctx -> {
                guard.rearmOnce(ctx);
                failures.handle(ctx);
            });
        }
        // No such route, or not with that method: a caller without a token learns neither.
        for (int status : new int[] {404, 405}) {
            router.errorHandler(status, ctx -> {
                guard.rearmOnce(ctx);
                if (auth != null && !auth.accepts(ctx.request().getHeader("Authorization"))) {
                    TokenAuth.refuse(ctx);
                } else {
                    failures.handle(ctx);
                }
            });
        }
        return router;
    }

    /**
     * One route per endpoint, its handlers in order: the cheap refusals (token, content type,
     * model), then the body, validation and dispatch. The refusals are platform handlers so
     * that Vert.x Web lets them run before the body is read.
     */
    private static void taskRoutes(Router router, ParlanceConfig config, Schemas schemas, InferenceDispatch dispatch,
                                   OpenAiEmbeddings openAi, TokenAuth auth, InFlightBudget budget, Task task) {
        String bare = config.http().rootPath() + "/" + task.path();
        ValidationHandler validation = validation(schemas, task, config.limits().maxJsonDepth());
        BodyHandler body = BodyHandler.create(false).setBodyLimit(config.limits().maxBodyBytes());
        BodyDeadline bodyDeadline = new BodyDeadline(config.limits().readTimeoutMs());
        PlatformHandler reserve = budget.reserveBody();

        Route toDefault = router.post(bare).setName(bare);
        if (auth != null) {
            toDefault.handler(auth);
        }
        toDefault.handler(JSON_ONLY).handler(reserve).handler(bodyDeadline).handler(body).handler(BodyDeadline::received).handler(validation)
                .handler(ctx -> {
                    if (OpenAiEmbeddings.isOpenAi(ctx)) {
                        openAi.handle(ctx, null);
                    } else {
                        toDefaultModel(ctx, config, dispatch, task);
                    }
                });

        for (String shape : NAMED_MODEL_SHAPES) {
            String template = config.http().rootPath() + shape + task.path();
            Route toNamed = router.post(template).setName(routeName(template));
            if (auth != null) {
                toNamed.handler(auth);
            }
            toNamed.handler((PlatformHandler) ctx -> checkNamedModel(ctx, config, task))
                    .handler(JSON_ONLY).handler(reserve).handler(bodyDeadline).handler(body).handler(BodyDeadline::received).handler(validation)
                    .handler(ctx -> {
                        String model = ctx.get(MODEL_NAME_KEY);
                        if (OpenAiEmbeddings.isOpenAi(ctx)) {
                            openAi.handle(ctx, model);
                        } else {
                            dispatch.dispatch(ctx, task, model);
                        }
                    });
        }
    }

    private static final PlatformHandler JSON_ONLY = JsonContentType::require;

    /** What logs and metrics call a route: its template, parameters in braces. */
    private static String routeName(String template) {
        return template.replace(":model", "{model}").replace(":lang", "{lang}");
    }

    /** The names of every task route (the bare one and each named-model shape) under {@code rootPath}. */
    public static Set<String> taskRouteNames(String rootPath) {
        Set<String> names = new java.util.TreeSet<>();
        for (Task task : Task.values()) {
            names.add(rootPath + "/" + task.path());
            for (String shape : NAMED_MODEL_SHAPES) {
                names.add(routeName(rootPath + shape + task.path()));
            }
        }
        return names;
    }

    private static Route guarded(Route route, TokenAuth auth, boolean protectedKind) {
        route.setName(route.getPath());
        if (auth != null && protectedKind) {
            route.handler(auth);
        }
        return route;
    }

    private static ValidationHandler validation(Schemas schemas, Task task, int maxJsonDepth) {
        SchemaRepository repository = SchemaRepository.create(new JsonSchemaOptions()
                .setDraft(Draft.DRAFT202012).setBaseUri("https://parlance.dev/schemas/"));
        return ValidationHandlerBuilder.create(repository)
                .body(new SchemaBodyProcessor(schemas, task, maxJsonDepth))
                .build();
    }

    private static void toDefaultModel(RoutingContext ctx, ParlanceConfig config, InferenceDispatch dispatch, Task task) {
        Optional<ModelConfig> model = task.defaultModel(config);
        if (model.isEmpty()) {
            ErrorResponses.send(ctx, ErrorCode.TASK_NOT_SERVED, "no configured model serves " + task.path() + ": "
                    + task.definition().howToServe());
            return;
        }
        dispatch.dispatch(ctx, task, model.get().name());
    }

    /**
     * Unknown models, tasks a model cannot do and languages it does not read are answered
     * before the body is read.
     */
    private static void checkNamedModel(RoutingContext ctx, ParlanceConfig config, Task task) {
        String name = ctx.pathParam("model");
        String language = ctx.pathParam("lang");
        Optional<ModelConfig> model = config.model(name);
        if (model.isEmpty()) {
            ErrorResponses.send(ctx, ErrorCode.UNKNOWN_MODEL, "no model named \"" + name + "\" is configured");
        } else if (!task.servedBy(model.get().kind())) {
            ErrorResponses.send(ctx, ErrorCode.TASK_NOT_SERVED, "model \"" + name + "\" ("
                    + model.get().kind().configName() + ") does not serve " + task.path());
        } else if (language != null && !model.get().languages().contains(language)) {
            ErrorResponses.send(ctx, ErrorCode.LANGUAGE_NOT_SERVED, languageRefusal(name, language, model.get()));
        } else {
            ctx.put(MODEL_NAME_KEY, model.get().name());
            ctx.next();
        }
    }

    private static String languageRefusal(String name, String language, ModelConfig model) {
        if (language.equals("async")) {
            return "NLP Cloud's asynchronous mode (async/) is not served: Parlance answers every request directly";
        }
        return "model \"" + name + "\" reads " + String.join(", ", model.languages()) + ", not \"" + language
                + "\". Parlance does not translate (NLP Cloud's multilingual add-on does): serve a model that"
                + " reads this language and list it in the model's \"languages\"";
    }

    /** The build's version (resource parlance/version.properties, filled in by Maven). */
    private static String version() {
        try (InputStream in = ApiRouter.class.getClassLoader().getResourceAsStream("parlance/version.properties")) {
            java.util.Properties properties = new java.util.Properties();
            if (in != null) {
                properties.load(in);
            }
            return properties.getProperty("version", "dev");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String resource(String name) {
        try (InputStream in = ApiRouter.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException(name + " is not packaged");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
