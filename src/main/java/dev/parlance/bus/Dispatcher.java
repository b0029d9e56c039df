package dev.parlance.bus;

import io.vertx.core.Future;

/** Sends a job to a model, wherever the model is, and hands back its answer or its failure. */
public interface Dispatcher {

    /**
     * @return the reply; a failure is a {@link io.vertx.core.eventbus.ReplyException} whose
     *         failure code is one of {@link Failure}'s, or whose type is NO_HANDLERS or TIMEOUT
     */
    Future<InferenceReply> send(String model, InferenceRequest request);

    /** Whether at least one inference side serves the model right now, as far as this process knows. */
    boolean serves(String model);
}
