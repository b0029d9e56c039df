package dev.parlance.http;

import dev.parlance.bus.Schemas;
import dev.parlance.api.Task;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.validation.BodyProcessorException;
import io.vertx.ext.web.validation.MalformedValueException;
import io.vertx.ext.web.validation.RequestParameter;
import io.vertx.ext.web.validation.impl.body.BodyProcessor;

import java.util.Optional;

/**
 * The JSON body step of vertx-web-validation, validating against the task's schema file with
 * a validator built once (the stock processor builds one per request) and keeping the field
 * path of the first violation, which the error response reports.
 */
final class SchemaBodyProcessor implements BodyProcessor {

    private final Schemas schemas;
    private final Task task;
    private final int maxDepth;

    SchemaBodyProcessor(Schemas schemas, Task task, int maxDepth) {
        this.schemas = schemas;
        this.task = task;
        this.maxDepth = maxDepth;
    }

    @Override
    public boolean canProcess(String contentType) {
        return JsonContentType.matches(contentType);
    }

    @Override
    public Future<RequestParameter> process(RoutingContext ctx) {
        String contentType = ctx.request().getHeader("content-type");
        Buffer body = ctx.body().buffer();
        if (body == null || body.length() == 0) {
            return Future.failedFuture(BodyProcessorException.createParsingError(contentType,
                    new MalformedValueException("the request body is empty")));
        }
        switch (JsonDepth.scan(body, maxDepth)) {
            case TOO_DEEP -> {
                return Future.failedFuture(BodyProcessorException.createValidationError(contentType, new SchemaViolation(
                        new Schemas.Violation("", "the body nests arrays and objects deeper than " + maxDepth + " levels"))));
            }
            case NOT_STRICT_JSON -> {
                return Future.failedFuture(BodyProcessorException.createParsingError(contentType,
                        new MalformedValueException("the request body is not strict JSON (comments are not allowed)")));
            }
            case FINE -> {
            }
        }
        if (!Utf8.isValid(body)) {
            return Future.failedFuture(BodyProcessorException.createParsingError(contentType,
                    new MalformedValueException("the request body is not valid UTF-8")));
        }
        Object json;
        try {
            json = Json.decodeValue(body);
        } catch (DecodeException e) {
            return Future.failedFuture(BodyProcessorException.createParsingError(contentType, e));
        }
        Optional<Schemas.Violation> violation;
        if (task == Task.EMBEDDINGS && json instanceof JsonObject object && OpenAiEmbeddings.isOpenAiBody(object)) {
            OpenAiEmbeddings.markOpenAi(ctx);
            violation = schemas.validateOpenAiEmbeddings(json);
        } else {
            violation = schemas.validateRequest(task, json);
        }
        return violation
                .<Future<RequestParameter>>map(v -> Future.failedFuture(
                        BodyProcessorException.createValidationError(contentType, new SchemaViolation(v))))
                .orElseGet(() -> Future.succeededFuture(RequestParameter.create(json)));
    }

    /** Carries the violation to the failure handler. */
    static final class SchemaViolation extends RuntimeException {

        private final Schemas.Violation violation;

        SchemaViolation(Schemas.Violation violation) {
            super(violation.message(), null, false, false);
            this.violation = violation;
        }

        Schemas.Violation violation() {
            return violation;
        }
    }
}
