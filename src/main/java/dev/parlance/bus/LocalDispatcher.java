package dev.parlance.bus;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;

/** The single-process case: the model's consumer is in this JVM; the job goes by reference. */
public final class LocalDispatcher implements Dispatcher {

    private final Vertx vertx;

    public LocalDispatcher(Vertx vertx) {
        this.vertx = vertx;
    }

    @Override
    public Future<InferenceReply> send(String model, InferenceRequest request) {
        return vertx.eventBus().<InferenceReply>request(Addresses.infer(model), request,
                new DeliveryOptions().setSendTimeout(Math.max(1, request.remainingMillis()))).map(m -> m.body());
    }

    @Override
    public boolean serves(String model) {
        return true;
    }
}
