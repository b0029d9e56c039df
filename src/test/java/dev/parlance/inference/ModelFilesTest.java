package dev.parlance.inference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** An embedded model is unpacked where no other local user can plant or redirect its files. */
class ModelFilesTest {

    private static final String PREFIX = "all-minilm-l6-v2-q";

    @TempDir
    Path root;

    private static byte[] resource(String name) throws Exception {
        try (InputStream in = ModelFilesTest.class.getClassLoader().getResourceAsStream(name)) {
            return in.readAllBytes();
        }
    }

    private static UserPrincipal currentUser(Path anywhere) throws Exception {
        return anywhere.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(System.getProperty("user.name"));
    }

    @Test
    void aPlantedCacheFolderIsNeverUsedNorWrittenThrough() throws Exception {
        // What another user could prepare at the old predictable place: a world-writable
        // $TMPDIR/parlance-<user> whose model folder is a symlink to a folder of theirs holding
        // a tampered tokenizer.json of the right size.
        byte[] tokenizer = resource(PREFIX + "-tokenizer.json");
        byte[] tampered = Arrays.copyOf("{\"evil\": true}".getBytes(StandardCharsets.UTF_8), tokenizer.length);
        Arrays.fill(tampered, 14, tampered.length, (byte) ' ');
        Path theirs = Files.createDirectory(root.resolve("theirs"));
        Files.write(theirs.resolve(ModelFiles.TOKENIZER), tampered);
        Path planted = Files.createDirectory(root.resolve("parlance-" + System.getProperty("user.name")));
        Files.setPosixFilePermissions(planted, PosixFilePermissions.fromString("rwxrwxrwx"));
        Files.createSymbolicLink(planted.resolve(PREFIX), theirs);

        ModelFiles files = ModelFiles.unpack(PREFIX, root);
        Path folder = files.folder();
        assertEquals(root, folder.getParent());
        assertFalse(folder.startsWith(planted), folder.toString());
        assertFalse(Files.isSymbolicLink(folder));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(folder, LinkOption.NOFOLLOW_LINKS)));
        assertEquals(currentUser(folder), Files.getOwner(folder, LinkOption.NOFOLLOW_LINKS));
        assertArrayEquals(tokenizer, Files.readAllBytes(files.tokenizer()));
        assertEquals(resource(PREFIX + ".onnx").length, Files.size(files.model()));
        assertEquals(List.of(theirs.resolve(ModelFiles.TOKENIZER)), Files.list(theirs).toList(), "nothing written through the link");
        assertArrayEquals(tampered, Files.readAllBytes(theirs.resolve(ModelFiles.TOKENIZER)));

        files.close();
        assertFalse(Files.exists(folder), "the unpacked folder is deleted once the model is loaded");
    }

    @Test
    void everyLoadUnpacksIntoAFreshFolder() {
        ModelFiles first = ModelFiles.unpack(PREFIX, root);
        ModelFiles second = ModelFiles.unpack(PREFIX, root);
        assertNotEquals(first.folder(), second.folder());
        first.close();
        second.close();
    }

    @Test
    void aConfiguredFolderMustBeARealFolderNobodyElseCanWriteTo() throws Exception {
        Path own = Files.createDirectory(root.resolve("own"));
        Files.setPosixFilePermissions(own, PosixFilePermissions.fromString("rwx------"));
        assertEquals(own, ModelFiles.unpackRoot(own.toString()));

        Path made = root.resolve("new").resolve("cache");
        assertEquals(made, ModelFiles.unpackRoot(made.toString()));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(made)));

        for (String mode : List.of("rwxrwxrwx", "rwxrwx---", "rwx-w----")) {
            Path open = Files.createDirectory(root.resolve("open-" + mode));
            Files.setPosixFilePermissions(open, PosixFilePermissions.fromString(mode));
            String message = assertThrows(IllegalArgumentException.class, () -> ModelFiles.unpackRoot(open.toString())).getMessage();
            assertTrue(message.contains("PARLANCE_CACHE_DIR") && message.contains("writable by other users"), message);
        }

        Path link = Files.createSymbolicLink(root.resolve("link"), own);
        String message = assertThrows(IllegalArgumentException.class, () -> ModelFiles.unpackRoot(link.toString())).getMessage();
        assertTrue(message.contains("symbolic link"), message);

        assertEquals(Path.of(System.getProperty("java.io.tmpdir")), ModelFiles.unpackRoot(null));
        assertEquals(Path.of(System.getProperty("java.io.tmpdir")), ModelFiles.unpackRoot(" "));
    }
}
