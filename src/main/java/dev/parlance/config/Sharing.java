package dev.parlance.config;

/** Gunicorn's --preload switch, per model. */
public enum Sharing {
    /** One model in memory; each worker has its own predictor on the one session. */
    SHARED,
    /** Each worker loads its own copy: more memory, no shared native state. */
    ISOLATED
}
