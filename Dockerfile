# Parlance: multi-stage build to a JRE image. Untested here (no Docker engine on the build
# machines); see the README.
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml .
RUN mvn -B -q dependency:go-offline
COPY src src
COPY schemas schemas
COPY conf conf
RUN mvn -B -q -DskipTests package

FROM eclipse-temurin:17-jre
# curl for the health check only.
RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --home-dir /app parlance \
    && mkdir -p /app/conf /models /var/cache/parlance && chown -R parlance /app /var/cache/parlance
# DJL must never phone home (169.254.169.254). The image listens on all interfaces, so the
# public development token of conf/parlance.json is refused: give PARLANCE_API_TOKENS.
ENV OPT_OUT_TRACKING=true \
    PARLANCE_HOST=0.0.0.0 \
    PARLANCE_CONFIG=/app/conf/parlance.json \
    PARLANCE_CACHE_DIR=/var/cache/parlance \
    DJL_CACHE_DIR=/var/cache/parlance/djl
WORKDIR /app
# The fat jar holds the embedded default model: nothing is downloaded at run time.
COPY --from=build /src/target/parlance.jar /app/parlance.jar
COPY conf /app/conf
USER parlance
EXPOSE 8080
# Mount your own configuration over /app/conf and exported models under /models.
VOLUME ["/app/conf", "/models"]
HEALTHCHECK --interval=10s --timeout=3s --start-period=60s --retries=3 \
    CMD curl -fsS http://127.0.0.1:8080/health/live || exit 1
# exec form: SIGTERM reaches the JVM, which shuts down gracefully and exits 0.
ENTRYPOINT ["java", "-jar", "/app/parlance.jar"]
