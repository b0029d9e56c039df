package dev.parlance.bus;

/** Event-bus addresses: part of Parlance's public API. */
public final class Addresses {

    private static final String INFER_PREFIX = "parlance.infer.";

    private Addresses() {
    }

    /**
     * Where jobs for one model are sent; its inference side consumes them. In a cluster every
     * inference node serving the model consumes it, and the event bus spreads jobs over them.
     */
    public static String infer(String model) {
        return INFER_PREFIX + model;
    }

    /**
     * The same model on one given node: gateways address nodes directly so that they know
     * which jobs to fail over when a node leaves.
     */
    public static String inferOn(String model, String nodeId) {
        return "parlance.node." + nodeId + ".infer." + model;
    }
}
