package dev.parlance.bus;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

/** Registers the message codecs of the event-bus API; call once per Vert.x instance. */
public final class Codecs {

    /** Deadline used when a request arrives over the wire without one. */
    private static final long WIRE_DEFAULT_TIMEOUT_MS = 30_000;

    private Codecs() {
    }

    public static void register(Vertx vertx) {
        vertx.eventBus().registerDefaultCodec(InferenceRequest.class,
                new ReferenceCodec<InferenceRequest>("parlance.request", InferenceRequest::toJson) {
                    @Override
                    InferenceRequest fromJson(JsonObject json) {
                        return InferenceRequest.fromJson(json, WIRE_DEFAULT_TIMEOUT_MS);
                    }
                });
        vertx.eventBus().registerDefaultCodec(InferenceReply.class,
                new ReferenceCodec<InferenceReply>("parlance.reply",
                        r -> new JsonObject().put("body", r.body()).put("batchSize", r.batchSize())) {
                    @Override
                    InferenceReply fromJson(JsonObject json) {
                        return new InferenceReply(json.getJsonObject("body"), json.getInteger("batchSize", 1));
                    }
                });
    }
}
