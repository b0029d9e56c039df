package dev.parlance.config;

/**
 * Whether sequences of different requests (and of one request) may share a forward pass.
 * AUTO: they may, unless the model's graph quantizes activations dynamically, whose results
 * then depend on the whole pass; MIX: always may; ISOLATE: every sequence runs alone.
 */
public enum RowMixing { AUTO, MIX, ISOLATE }
