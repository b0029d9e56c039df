# Parlance: multi-stage build to a JRE image. No image can be built on the project's build
# machines (no Docker engine), so DockerfileTest checks this file statically; see the README.
# Image names are fully qualified: podman and buildah refuse short names by default.
FROM docker.io/library/maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml .
RUN mvn -B -q dependency:go-offline
COPY src src
COPY schemas schemas
COPY conf conf
# Classes and dependency jars apart, not one fat jar: the image keeps the 200 MB of
# dependencies (the embedded model among them) in a layer that a code change does not touch.
RUN mvn -B -q -DskipTests compile dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory=target/lib

FROM docker.io/library/eclipse-temurin:17-jre
# curl for the health check only.
RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --home-dir /app parlance \
    && mkdir -p /app/conf /models /var/cache/parlance && chown -R parlance /app /var/cache/parlance
# DJL must never report usage (to the cloud metadata address). The image listens on all interfaces, so
# the public development token of conf/parlance.json is refused: give PARLANCE_API_TOKENS.
# JVM options: /app/jvm-options (scripts/jvm-options, which scripts/run uses too): Parlance's
# defaults (peak resident memory near 230 MB under load, see BENCHMARKS.md "Memory"), then
# JAVA_OPTS, whose collector or heap size replaces the default one: -e JAVA_OPTS=-Xmx512m or
# -e JAVA_OPTS=-XX:MaxRAMPercentage=75 to follow the container's limit. MALLOC_ARENA_MAX=2: glibc
# would otherwise keep up to 8 malloc arenas per core holding freed native memory (ONNX Runtime's).
ENV OPT_OUT_TRACKING=true \
    PARLANCE_HOST=0.0.0.0 \
    PARLANCE_PORT=8080 \
    PARLANCE_CONFIG=/app/conf/parlance.json \
    PARLANCE_CACHE_DIR=/var/cache/parlance \
    DJL_CACHE_DIR=/var/cache/parlance/djl \
    MALLOC_ARENA_MAX=2 \
    JAVA_OPTS=""
WORKDIR /app
COPY --from=build /src/target/lib /app/lib
COPY --from=build /src/target/classes /app/classes
COPY conf /app/conf
COPY scripts/jvm-options /app/jvm-options
USER parlance
EXPOSE 8080
# Mount your own configuration over /app/conf and exported models under /models.
VOLUME ["/app/conf", "/models"]
# Healthy once ready (every model loaded, a live worker each), on the port the server uses;
# the first API token is sent along, so it works when auth.protectHealth is on.
HEALTHCHECK --interval=10s --timeout=3s --start-period=60s --retries=3 \
    CMD curl -fsS -H "Authorization: Token ${PARLANCE_API_TOKENS%%,*}" "http://127.0.0.1:${PARLANCE_PORT:-8080}/health/ready" || exit 1
# exec: the JVM becomes PID 1's replacement, so SIGTERM reaches it and it exits 0 after a
# graceful shutdown. Arguments after the image name go to the server.
ENTRYPOINT ["sh", "-c", "exec java $(/app/jvm-options) -cp '/app/classes:/app/lib/*' dev.parlance.Main \"$@\"", "parlance"]
