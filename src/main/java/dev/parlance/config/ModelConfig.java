package dev.parlance.config;

import dev.parlance.tasks.FunctionToApply;
import dev.parlance.tasks.Pooling;
import dev.parlance.tasks.TokenClassification;
import dev.parlance.tasks.ZeroShotByEmbedding;
import dev.parlance.tasks.ZeroShotNli;

import java.util.List;

/**
 * One served model.
 *
 * @param source            {@code classpath:<prefix>} (resources {@code <prefix>.onnx} and
 *                          {@code <prefix>-tokenizer.json}, the embedded default's layout) or a
 *                          folder holding {@code model.onnx}, {@code tokenizer.json}, {@code config.json}
 * @param workers           inference workers (each runs one batch at a time)
 * @param intraOpThreads    ONNX Runtime threads per forward pass; workers x this should not exceed the cores
 * @param maxTokens         truncation length of one sequence
 * @param temperature       embedding zero-shot: see {@link ZeroShotByEmbedding}
 * @param midpoint          embedding zero-shot: how far a label's cosine must exceed the text's
 *                          baseline (its mean cosine with unrelated topics) to score 0.5 in
 *                          multi-label mode
 * @param labelCacheSize    embedding zero-shot: label embeddings kept
 * @param aggregation       token classification: how sub-word tokens become entities
 * @param stride            token classification: tokens shared by consecutive windows of a long text
 * @param tooLong           a text longer than maxTokens: truncate it (Hugging Face's behaviour) or reject it with 400
 * @param aliases           other names the model answers to in URLs and in OpenAI's {@code model} field,
 *                          e.g. the NLP Cloud or OpenAI model name a client already sends
 * @param functionToApply   text classification: how logits become scores; {@code auto} decides from
 *                          config.json as Hugging Face's pipeline does (see {@link FunctionToApply#resolve})
 * @param languages         the languages the model reads, as NLP Cloud's URL segment names them
 *                          ({@code /v1/<lang>/<model>/<task>}); Parlance does not translate, so a
 *                          request in another language is refused
 */
public record ModelConfig(String name, ModelKind kind, String source, int workers, Sharing sharing,
                          int intraOpThreads, int maxTokens, String hypothesisTemplate,
                          Pooling pooling, boolean normalize, double temperature, double midpoint,
                          int labelCacheSize, TokenClassification.Aggregation aggregation, int stride,
                          TooLong tooLong, FunctionToApply functionToApply, BatchingConfig batching,
                          List<String> aliases, List<String> languages) {

    /** What the model reads unless configured otherwise: English, by NLP Cloud's two spellings of it. */
    public static final List<String> DEFAULT_LANGUAGES = List.of("en", "eng_Latn");

    private static final String NAME_PATTERN = "[A-Za-z0-9._-]+";

    public ModelConfig {
        aliases = List.copyOf(aliases);
        languages = List.copyOf(languages);
    }

    /** Whether {@code name} is this model's name or one of its aliases. */
    public boolean answersTo(String name) {
        return this.name.equals(name) || aliases.contains(name);
    }

    /** What to do with a sequence longer than the model takes. */
    public enum TooLong { TRUNCATE, REJECT }

    public static final String CLASSPATH_PREFIX = "classpath:";

    public boolean fromClasspath() {
        return source.startsWith(CLASSPATH_PREFIX);
    }

    /** @param loadsModels false on a gateway, which routes to a model but never loads it: no source needed */
    static ModelConfig read(ConfigReader r, int cores, Integer workersOverride, boolean loadsModels) {
        String name = r.requiredString("name");
        if (!name.isEmpty() && !name.matches(NAME_PATTERN)) {
            r.problem("name", "may hold only letters, digits, '.', '_' and '-' (was \"" + name + "\")");
        }
        ModelKind kind = r.choice("kind", ModelKind.EMBEDDING, ModelKind.class);
        if (!r.has("kind")) {
            r.problem("kind", "is required: one of " + ModelKind.configNames());
        }
        String source = loadsModels ? r.requiredString("source") : r.string("source", "");
        int intraOp = r.integer("intraOpThreads", 1, 1, 256);
        int workers = workersOverride != null ? workersOverride : r.integer("workers", 0, 0, 256);
        if (workers == 0) {
            workers = Math.max(1, cores / intraOp);
        }
        Sharing sharing = r.choice("sharing", Sharing.SHARED, Sharing.class);
        int maxTokens = r.integer("maxTokens", kind == ModelKind.EMBEDDING ? 128 : 512, 8, 8192);
        String template = r.string("hypothesisTemplate",
                kind == ModelKind.EMBEDDING ? ZeroShotByEmbedding.DEFAULT_TEMPLATE : ZeroShotNli.DEFAULT_TEMPLATE);
        if (!template.contains("{}")) {
            r.problem("hypothesisTemplate", "must contain {} where the label goes");
        }
        Pooling pooling = r.choice("pooling", Pooling.MEAN, Pooling.class);
        boolean normalize = r.bool("normalize", true);
        double temperature = r.number("temperature", ZeroShotByEmbedding.DEFAULT_TEMPERATURE, 1e-6, 100);
        double midpoint = r.number("midpoint", ZeroShotByEmbedding.DEFAULT_MIDPOINT, -1, 1);
        int cache = r.integer("labelCacheSize", 10_000, 0, 10_000_000);
        TokenClassification.Aggregation aggregation = r.choice("aggregation",
                TokenClassification.Aggregation.SIMPLE, TokenClassification.Aggregation.class);
        int stride = r.integer("stride", Math.min(64, maxTokens / 4), 0, 8192);
        if (stride > maxTokens - 3) {
            r.problem("stride", "must leave room for new tokens in each window: at most maxTokens - 3 = "
                    + (maxTokens - 3) + " (was " + stride + ")");
        }
        TooLong tooLong = r.choice("tooLong", TooLong.TRUNCATE, TooLong.class);
        FunctionToApply functionToApply = r.choice("functionToApply", FunctionToApply.AUTO, FunctionToApply.class);
        BatchingConfig batching = BatchingConfig.read(r.object("batching"));
        List<String> aliases = r.strings("aliases");
        for (String alias : aliases) {
            if (!alias.matches(NAME_PATTERN)) {
                r.problem("aliases", "may hold only letters, digits, '.', '_' and '-' (was \"" + alias + "\")");
            }
        }
        List<String> languages = r.has("languages") ? r.strings("languages") : DEFAULT_LANGUAGES;
        if (languages.isEmpty()) {
            r.problem("languages", "must name at least one language (e.g. [\"en\", \"eng_Latn\"])");
        }
        return new ModelConfig(name, kind, source, workers, sharing, intraOp, maxTokens, template,
                pooling, normalize, temperature, midpoint, cache, aggregation, stride, tooLong, functionToApply, batching,
                aliases, languages);
    }
}
