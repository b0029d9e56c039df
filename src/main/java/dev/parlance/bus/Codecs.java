package dev.parlance.bus;

import dev.parlance.config.LimitsConfig;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

/** Registers the message codecs of the event-bus API; call once per Vert.x instance. */
public final class Codecs {

    private Codecs() {
    }

    public static void register(Vertx vertx) {
        vertx.eventBus().registerDefaultCodec(InferenceRequest.class,
                new ReferenceCodec<InferenceRequest>("parlance.request", InferenceRequest::toJson) {
                    @Override
                    InferenceRequest fromJson(JsonObject json) {
                        // Another node's toJson(): it carries the deadline its gateway allowed,
                        // kept up to what any configuration may allow.
                        return InferenceRequest.fromJson(json, LimitsConfig.MAX_REQUEST_TIMEOUT_MS);
                    }
                });
        vertx.eventBus().registerDefaultCodec(InferenceReply.class,
                new ReferenceCodec<InferenceReply>("parlance.reply",
                        r -> new JsonObject().put("body", r.body()).put("batchSize", r.batchSize()).put("tokens", r.tokens())) {
                    @Override
                    InferenceReply fromJson(JsonObject json) {
                        return new InferenceReply(json.getValue("body"), json.getInteger("batchSize", 1),
                                json.getInteger("tokens", 0));
                    }
                });
    }
}
