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
        assertTrue(entrypoint.contains("exec java $(/app/jvm-options) "),
                "the JVM options of scripts/jvm-options, and exec so SIGTERM reaches the JVM: " + entrypoint);
    }

    /**
     * The image and scripts/run start the JVM with the options of one script (the memory bound of
     * BENCHMARKS.md is measured through scripts/run), MALLOC_ARENA_MAX included.
     */
    @Test
    void theImageAndScriptsRunShareTheirJvmOptions() {
        String run = read(Path.of("scripts", "run"));
        assertTrue(run.contains("exec java ${startup[@]+\"${startup[@]}\"} $(scripts/jvm-options) -jar"), "scripts/run uses scripts/jvm-options");
        assertTrue(instructions().contains("COPY scripts/jvm-options /app/jvm-options"), "the image ships scripts/jvm-options");
        assertTrue(run.contains("MALLOC_ARENA_MAX=${MALLOC_ARENA_MAX:-2}"), "scripts/run sets MALLOC_ARENA_MAX");
        assertTrue(instructions().stream().anyMatch(l -> l.startsWith("ENV ") && l.contains("MALLOC_ARENA_MAX=2 ")),
                "the image sets MALLOC_ARENA_MAX");
    }

    /** Runs scripts/jvm-options with POSIX sh (the image has no bash), as both launchers do. */
    private static String jvmOptions(String javaOpts) throws Exception {
        ProcessBuilder builder = new ProcessBuilder("sh", "scripts/jvm-options").redirectErrorStream(true);
        builder.environment().remove("JAVA_DEFAULT_OPTS");
        builder.environment().put("JAVA_OPTS", javaOpts);
        Process process = builder.start();
        String out = new String(process.getInputStream().readAllBytes()).trim();
        assertEquals(0, process.waitFor(), out);
        return out;
    }

    /**
     * The caller's JAVA_OPTS come last; a collector or heap size of theirs replaces ours, since
     * two collectors or a -Xms above our -Xmx stop the JVM and -XX:MaxRAMPercentage is ignored
     * beside any -Xmx. Flags that only look alike (-XX:+UseNUMA, then a GC tuning flag) do not.
     */
    @Test
    void callersOptionsReplaceTheDefaultsTheyConflictWith() throws Exception {
        assertEquals("-XX:+UseSerialGC -Xms32m -Xmx192m", jvmOptions(""));
        assertEquals("-XX:+UseSerialGC -Xms32m -Xmx192m -XX:+UseNUMA -XX:ParallelGCThreads=2",
                jvmOptions("-XX:+UseNUMA -XX:ParallelGCThreads=2"));
        assertEquals("-Xms32m -Xmx192m -XX:+UseG1GC", jvmOptions("-XX:+UseG1GC"));
        assertEquals("-XX:+UseSerialGC -XX:MaxRAMPercentage=75", jvmOptions("-XX:MaxRAMPercentage=75"));
        assertEquals("-XX:+UseSerialGC -Xmx24m", jvmOptions("-Xmx24m"));
        assertEquals("-XX:+UseSerialGC -Xms512m -Dparlance.x=1", jvmOptions("-Xms512m -Dparlance.x=1"));
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
