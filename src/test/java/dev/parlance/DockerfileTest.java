package dev.parlance;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * No image can be built on the build machines (no Docker engine), so the Dockerfile is
 * checked as text against what it relies on: fully qualified images (podman and buildah refuse
 * short names), the build output it copies, the main class, the port and health path of the
 * shipped configuration, the JVM options (scripts/run's defaults, then a JAVA_OPTS hook), and a
 * .dockerignore that keeps target/ out.
 */
class DockerfileTest {

    private static final String DOCKERFILE = read(Path.of("Dockerfile"));

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Instructions with their continuation lines joined, comments dropped. */
    private static List<String> instructions() {
        return List.of(DOCKERFILE.replaceAll("(?m)^\\s*#.*\\n", "").replace("\\\n", " ").split("\n")).stream()
                .map(String::trim).filter(l -> !l.isEmpty()).toList();
    }

    @Test
    void everyBaseImageIsFullyQualifiedAndTagged() {
        List<String> images = instructions().stream().filter(l -> l.startsWith("FROM "))
                .map(l -> l.split("\\s+")[1]).toList();
        assertEquals(2, images.size(), "a build stage and a runtime stage: " + images);
        for (String image : images) {
            assertTrue(image.matches("[a-z0-9.-]+\\.[a-z]+(:\\d+)?/[a-z0-9._/-]+:[A-Za-z0-9._-]+"),
                    "registry/name:tag, not a short name: " + image);
        }
    }

    @Test
    void whatTheImageCopiesIsWhatTheBuildMakes() {
        List<String> copies = instructions().stream().filter(l -> l.startsWith("COPY --from=build ")).toList();
        assertEquals(List.of("COPY --from=build /src/target/lib /app/lib", "COPY --from=build /src/target/classes /app/classes"),
                copies, "dependencies first, in a layer a code change does not touch");
        String build = instructions().stream().filter(l -> l.contains("copy-dependencies")).findFirst().orElse("");
        assertTrue(build.contains("-DincludeScope=runtime") && build.contains("-DoutputDirectory=target/lib"), build);
        assertTrue(build.contains("compile"), build);
        // What `compile` leaves in target/classes: the server's classes and the resources it reads from the classpath.
        for (String made : List.of("dev/parlance/Main.class", "conf/parlance.json", "schemas/classification.request.json",
                "docs/index.html", "logback.xml", "parlance/version.properties")) {
            assertTrue(Files.isRegularFile(Path.of("target", "classes").resolve(made)), "target/classes/" + made);
        }
        String pom = read(Path.of("pom.xml"));
        Matcher main = Pattern.compile("<main.class>([^<]+)</main.class>").matcher(pom);
        assertTrue(main.find());
        String entrypoint = instructions().stream().filter(l -> l.startsWith("ENTRYPOINT ")).findFirst().orElse("");
        assertTrue(entrypoint.contains("-cp '/app/classes:/app/lib/*' " + main.group(1) + " "), entrypoint);
        assertTrue(entrypoint.contains("exec java $d $JAVA_OPTS "),
                "default JVM options, then the JAVA_OPTS hook, and exec so SIGTERM reaches the JVM: " + entrypoint);
    }

    /**
     * The image starts the JVM with the defaults scripts/run uses (the memory bound of
     * BENCHMARKS.md is measured through scripts/run), MALLOC_ARENA_MAX included, and a collector
     * named in JAVA_OPTS replaces the default one, as in scripts/run (two would stop the JVM).
     */
    @Test
    void theImageStartsTheJvmWithTheDefaultsOfScriptsRun() {
        String run = read(Path.of("scripts", "run"));
        Matcher runDefaults = Pattern.compile("defaults=\\$\\{JAVA_DEFAULT_OPTS-\"([^\"]+)\"}").matcher(run);
        assertTrue(runDefaults.find(), "scripts/run: defaults=${JAVA_DEFAULT_OPTS-\"...\"}");
        Matcher imageDefaults = Pattern.compile("JAVA_DEFAULT_OPTS=\"([^\"]+)\"").matcher(DOCKERFILE);
        assertTrue(imageDefaults.find(), "Dockerfile: ENV JAVA_DEFAULT_OPTS=\"...\"");
        assertEquals(runDefaults.group(1), imageDefaults.group(1), "the same defaults in scripts/run and the image");
        assertTrue(runDefaults.group(1).contains("-XX:+UseSerialGC") && runDefaults.group(1).contains("-Xmx"),
                runDefaults.group(1));
        assertTrue(run.contains("MALLOC_ARENA_MAX=${MALLOC_ARENA_MAX:-2}"), "scripts/run sets MALLOC_ARENA_MAX");
        assertTrue(instructions().stream().anyMatch(l -> l.startsWith("ENV ") && l.contains("MALLOC_ARENA_MAX=2 ")),
                "the image sets MALLOC_ARENA_MAX");
        assertTrue(run.contains("\" ${JAVA_OPTS:-}\" == *\" -XX:+Use\"*GC*") && run.contains("${defaults//-XX:+UseSerialGC/}"),
                "scripts/run: a collector in JAVA_OPTS replaces the default one");
        String entrypoint = instructions().stream().filter(l -> l.startsWith("ENTRYPOINT ")).findFirst().orElse("");
        assertTrue(entrypoint.contains("d=$JAVA_DEFAULT_OPTS; case \\\" $JAVA_OPTS\\\" in *' -XX:+Use'*GC*) d=$(echo \\\"$d\\\" | sed 's/-XX:+UseSerialGC//');; esac;"),
                "the image: a collector in JAVA_OPTS replaces the default one: " + entrypoint);
    }

    @Test
    void portAndHealthCheckFollowTheConfiguration() {
        int port = new JsonObject(read(Path.of("conf", "parlance.json"))).getJsonObject("http").getInteger("port");
        assertTrue(instructions().contains("EXPOSE " + port), "EXPOSE " + port);
        assertTrue(DOCKERFILE.contains("PARLANCE_PORT=" + port), "the port is an environment variable the server reads");
        String health = instructions().stream().filter(l -> l.startsWith("HEALTHCHECK ")).findFirst().orElse("");
        assertTrue(health.contains("http://127.0.0.1:${PARLANCE_PORT:-" + port + "}/health/ready"),
                "readiness, on the port the server listens on: " + health);
        assertTrue(health.contains("Authorization: Token ${PARLANCE_API_TOKENS%%,*}"), "works when health is protected: " + health);
        assertFalse(health.contains("/health/live"), "live says nothing about the model being loaded");
    }

    @Test
    void theBuildContextLeavesOutBuildOutputAndLocalEnvironments() {
        List<String> ignored = List.of(read(Path.of(".dockerignore")).split("\n"));
        for (String entry : List.of("target/", ".git/", ".venv-fixtures/")) {
            assertTrue(ignored.contains(entry), ".dockerignore: " + entry);
        }
    }
}
