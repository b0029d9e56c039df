package dev.parlance.inference;

import ai.djl.Model;
import ai.djl.util.PairList;
import ai.djl.ndarray.types.Shape;
import dev.parlance.config.ModelConfig;
import dev.parlance.tasks.ZeroShotNli;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One model in memory: the ONNX Runtime session (through DJL), its tokenizer and its
 * Hugging Face config. In {@code shared} mode all workers of a model use one of these, each
 * with its own {@link Encoder}; in {@code isolated} mode each worker loads its own.
 */
public final class LoadedModel implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LoadedModel.class);
    static final Set<String> KNOWN_INPUTS = Set.of("input_ids", "attention_mask", "token_type_ids");

    private final ModelConfig config;
    private final Model model;
    private final HfTokenizer tokenizer;
    private final JsonObject hfConfig;
    private final List<String> inputNames;
    private final PassPolicy passPolicy;

    private LoadedModel(ModelConfig config, Model model, HfTokenizer tokenizer, JsonObject hfConfig,
                        List<String> inputNames, PassPolicy passPolicy) {
        this.config = config;
        this.model = model;
        this.tokenizer = tokenizer;
        this.hfConfig = hfConfig;
        this.inputNames = inputNames;
        this.passPolicy = passPolicy;
    }

    /** Loads a model; blocking (reads files, builds the session), so never on an event loop. */
    public static LoadedModel load(ModelConfig config) {
        // The session and the tokenizer read their files while they are built: an unpacked
        // embedded model's folder is deleted once they are.
        try (ModelFiles files = ModelFiles.locate(config)) {
            return load(config, files);
        }
    }

    private static LoadedModel load(ModelConfig config, ModelFiles files) {
        long start = System.nanoTime();
        String where = "model \"" + config.name() + "\" (" + files.folder() + ")";
        JsonObject hfConfig = readHfConfig(files, where);
        Model model = Model.newInstance(config.name(), "OnnxRuntime");
        HfTokenizer tokenizer = null;
        try {
            model.load(files.folder(), "model", Map.of(
                    "interOpNumThreads", "1",
                    "intraOpNumThreads", Integer.toString(config.intraOpThreads()),
                    "executionMode", "SEQUENTIAL"));
            List<String> inputs = inputNames(model, where);
            int positions = positions(hfConfig);
            // Past its position embeddings a model fails (or, with relative positions, reads
            // nonsense): a maxTokens above them (the 512 default on a 256-position model) cuts there.
            int maxTokens = Math.min(config.maxTokens(), positions);
            if (maxTokens < config.maxTokens()) {
                log.warn("{}: maxTokens {} is more than the model's {} positions (config.json max_position_embeddings);"
                        + " texts are cut at {} tokens", where, config.maxTokens(), positions, maxTokens);
            }
            tokenizer = HfTokenizer.load(files.tokenizer(), maxTokens, switch (config.kind()) {
                case NLI -> HfTokenizer.Overflow.TRUNCATE_FIRST_OF_PAIR;
                // A rerank pair is cut longest text first, as sentence-transformers' CrossEncoder and TEI cut it.
                case EMBEDDING, TEXT_CLASSIFICATION, RERANK -> HfTokenizer.Overflow.TRUNCATE;
                case TOKEN_CLASSIFICATION -> HfTokenizer.Overflow.WINDOWS;
            }, Math.min(config.stride(), Math.max(0, maxTokens - 3)), config.tooLong() == ModelConfig.TooLong.REJECT,
                    positions == Integer.MAX_VALUE ? Math.max(maxTokens, 8192) : positions);
            long bytes = Files.size(files.model());
            PassPolicy passPolicy = PassPolicy.of(config.batching().rowMixing(), files.model(), hfConfig);
            LoadedModel loaded = new LoadedModel(config, model, tokenizer, hfConfig, inputs, passPolicy);
            loaded.checkLabels(where);
            log.info("loaded model {} ({}, {} MB) from {} in {} ms: {} worker(s) x {} intra-op thread(s), {}{}",
                    config.name(), config.kind().configName(), bytes >> 20, files.folder(),
                    (System.nanoTime() - start) / 1_000_000, config.workers(), config.intraOpThreads(),
                    config.sharing().name().toLowerCase(),
                    passPolicy.alone() ? ", one sequence per forward pass (its answers would otherwise depend on the batch)" : "");
            return loaded;
        } catch (IOException | ai.djl.MalformedModelException | RuntimeException e) {
            model.close();
            if (tokenizer != null) {
                tokenizer.close();
            }
            throw new IllegalArgumentException(where + ": cannot be loaded: " + e.getMessage(), e);
        }
    }

    /**
     * Classifiers are useless without their labels: refuse to start rather than answer wrongly.
     * A switch expression, so that a new kind of model does not compile until it says what it needs.
     */
    private void checkLabels(String where) {
        String problem = switch (config.kind()) {
            case TOKEN_CLASSIFICATION -> id2label().isEmpty() ? "config.json has no id2label" : null;
            case TEXT_CLASSIFICATION -> id2label().isEmpty() ? "config.json has no id2label (the labels to answer with)" : null;
            case RERANK -> id2label().size() > 1 ? "a rerank model gives one relevance logit per pair; config.json names "
                    + id2label().size() + " labels (serve it as \"text-classification\"?)" : null;
            case NLI -> {
                if (ZeroShotNli.entailmentIndex(label2id()) < 0) {
                    log.warn("{}: no label of config.json starts with \"entail\"; using the last logit as entailment,"
                            + " as Hugging Face does. Define label2id to be sure.", where);
                }
                yield null;
            }
            case EMBEDDING -> null;
        };
        if (problem != null) {
            throw new IllegalArgumentException(where + ": " + problem);
        }
    }

    private static List<String> inputNames(Model model, String where) {
        PairList<String, Shape> described = model.describeInput();
        List<String> names = new ArrayList<>(described.keys());
        for (String name : names) {
            if (!KNOWN_INPUTS.contains(name)) {
                throw new IllegalArgumentException(where + ": unsupported model input \"" + name
                        + "\" (supported: " + KNOWN_INPUTS + ")");
            }
        }
        if (!names.contains("input_ids")) {
            throw new IllegalArgumentException(where + ": the model has no input_ids input");
        }
        return List.copyOf(names);
    }

    /**
     * The longest sequence the model takes at all: config.json's {@code max_position_embeddings}
     * (minus the two offset positions RoBERTa-style models reserve); unbounded when it does not say.
     */
    private static int positions(JsonObject hfConfig) {
        Object declared = hfConfig.getValue("max_position_embeddings");
        if (!(declared instanceof Number n)) {
            return Integer.MAX_VALUE;
        }
        int offset = Set.of("roberta", "xlm-roberta", "camembert").contains(hfConfig.getString("model_type", "")) ? 2 : 0;
        return n.intValue() - offset;
    }

    private static JsonObject readHfConfig(ModelFiles files, String where) {
        if (!Files.isRegularFile(files.config())) {
            return new JsonObject();
        }
        try {
            return new JsonObject(Files.readString(files.config()));
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException(where + ": config.json is not valid JSON: " + e.getMessage(), e);
        }
    }

    /**
     * {@code label2id} from config.json in the file's order; built from {@code id2label} when
     * only that is given.
     */
    public Map<String, Integer> label2id() {
        Map<String, Integer> out = new LinkedHashMap<>();
        JsonObject l2i = hfConfig.getJsonObject("label2id");
        if (l2i != null) {
            l2i.forEach(e -> out.put(e.getKey(), ((Number) e.getValue()).intValue()));
            return out;
        }
        JsonObject i2l = hfConfig.getJsonObject("id2label");
        if (i2l != null) {
            i2l.forEach(e -> out.put(String.valueOf(e.getValue()), Integer.parseInt(e.getKey())));
        }
        return out;
    }

    /** config.json's {@code problem_type} ("regression", "multi_label_classification", ...), or null. */
    public String problemType() {
        return hfConfig.getString("problem_type");
    }

    /** The labels by output index, from config.json's {@code id2label} (or {@code label2id}). */
    public List<String> id2label() {
        Map<Integer, String> byIndex = new java.util.TreeMap<>();
        JsonObject i2l = hfConfig.getJsonObject("id2label");
        if (i2l != null) {
            i2l.forEach(e -> byIndex.put(Integer.parseInt(e.getKey()), String.valueOf(e.getValue())));
        } else {
            label2id().forEach((label, index) -> byIndex.put(index, label));
        }
        List<String> labels = new ArrayList<>(byIndex.values());
        int expected = 0;
        for (int index : byIndex.keySet()) {
            if (index != expected++) {
                throw new IllegalArgumentException("model " + config.name() + ": config.json labels are not numbered 0.." + (byIndex.size() - 1));
            }
        }
        return labels;
    }

    public ModelConfig config() {
        return config;
    }

    Model model() {
        return model;
    }

    HfTokenizer tokenizer() {
        return tokenizer;
    }

    List<String> inputNames() {
        return inputNames;
    }

    PassPolicy passPolicy() {
        return passPolicy;
    }

    @Override
    public void close() {
        model.close();
        tokenizer.close();
    }
}
