package dev.parlance.config;

/** What a Parlance process does; the default is both. */
public enum Role {
    /** Serves the HTTP API (a gateway when it has no local model). */
    HTTP,
    /** Loads models and answers their jobs from the event bus. */
    INFERENCE
}
