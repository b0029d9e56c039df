package dev.parlance.bus;

/** Event-bus addresses: part of Parlance's public API. */
public final class Addresses {

    private static final String INFER_PREFIX = "parlance.infer.";

    private Addresses() {
    }

    /** Where jobs for one model are sent; its inference side consumes them. */
    public static String infer(String model) {
        return INFER_PREFIX + model;
    }
}
