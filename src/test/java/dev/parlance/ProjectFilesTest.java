package dev.parlance;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The project stands alone: no file points at notes outside the repository, which a user of
 * Parlance does not have. A fact worth citing is written where it is used.
 */
class ProjectFilesTest {

    /** Spelled in two parts, so that this file does not cite them itself. */
    private static final List<String> OUTSIDE_NOTES = List.of("FACTS" + ".md", "../" + "shared", "ARCHITECTURE" + ".md",
            "SEED-" + "ARTICLE");

    @Test
    void noProjectFileCitesNotesOutsideTheRepository() throws IOException {
        List<String> citing = new ArrayList<>();
        for (String root : List.of("src", "scripts", "conf", "schemas", ".ci", "README.md", "BENCHMARKS.md", "pom.xml",
                "Dockerfile")) {
            Path path = Path.of(root);
            if (!Files.exists(path)) {
                continue;
            }
            try (Stream<Path> files = Files.walk(path)) {
                for (Path file : files.filter(Files::isRegularFile).toList()) {
                    String text;
                    try {
                        text = Files.readString(file);
                    } catch (MalformedInputException binary) {
                        continue;
                    }
                    for (String note : OUTSIDE_NOTES) {
                        if (text.contains(note)) {
                            citing.add(file + " cites " + note);
                        }
                    }
                }
            }
        }
        assertEquals(List.of(), citing);
    }
}
