package dev.parlance.config;

import java.util.Locale;
import java.util.Optional;

/** The tasks Parlance serves; {@link #path()} is both the URL segment and the schema name. */
public enum Task {
    CLASSIFICATION,
    ENTITIES,
    EMBEDDINGS,
    SEMANTIC_SIMILARITY;

    public String path() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static Optional<Task> fromPath(String path) {
        for (Task t : values()) {
            if (t.path().equals(path)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }
}
