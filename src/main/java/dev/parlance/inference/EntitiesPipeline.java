package dev.parlance.inference;

import dev.parlance.tasks.Entity;
import dev.parlance.tasks.TokenClassification;
import dev.parlance.tasks.TokenWindow;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.Locale;

/**
 * {@code entities}: the text's windows through a token-classification model, entities as
 * {@code {start, end, type, text, score}}. Offsets count UTF-16 code units by default (what
 * JavaScript, Java and JSON's escapes count, so {@code text.substring(start, end)} is the
 * entity); {@code "offsets": "code-points"} counts code points instead, as Python does.
 */
final class EntitiesPipeline implements TaskPipeline {

    private final TokenClassification classifier;
    private final HfTokenizer tokenizer;

    EntitiesPipeline(TokenClassification classifier, HfTokenizer tokenizer) {
        this.classifier = classifier;
        this.tokenizer = tokenizer;
    }

    @Override
    public Work prepare(JsonObject input) {
        String text = input.getString("text");
        String searched = input.getString("searched_entity");
        boolean codePoints = "code-points".equals(input.getString("offsets"));
        List<TokenWindow> windows = tokenizer.encodeWindows(text);
        return new Work(windows.stream().map(TokenWindow::tokens).toList(), logits -> {
            JsonArray entities = new JsonArray();
            for (Entity e : classifier.entities(text, windows, logits)) {
                if (searched != null && !searched.toLowerCase(Locale.ROOT).equals(e.type().toLowerCase(Locale.ROOT))) {
                    continue;
                }
                int start = text.offsetByCodePoints(0, e.start());
                int end = text.offsetByCodePoints(start, e.end() - e.start());
                entities.add(new JsonObject()
                        .put("start", codePoints ? e.start() : start)
                        .put("end", codePoints ? e.end() : end)
                        .put("type", e.type())
                        .put("text", text.substring(start, end))
                        .put("score", e.score()));
            }
            return new JsonObject().put("entities", entities);
        });
    }
}
