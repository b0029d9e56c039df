# Parlance: multi-stage build. Untested here (no Docker engine on the build machines).
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml .
RUN mvn -B -q dependency:go-offline
COPY src src
COPY schemas schemas
COPY conf conf
RUN mvn -B -q -DskipTests package

FROM eclipse-temurin:17-jre
# DJL must never phone home (169.254.169.254).
ENV OPT_OUT_TRACKING=true \
    PARLANCE_HOST=0.0.0.0 \
    PARLANCE_CACHE_DIR=/var/cache/parlance \
    DJL_CACHE_DIR=/var/cache/parlance/djl
RUN useradd --system --uid 10001 --home-dir /app parlance \
    && mkdir -p /app/conf /models /var/cache/parlance \
    && chown -R parlance /app /var/cache/parlance
WORKDIR /app
COPY --from=build /src/target/parlance.jar /app/parlance.jar
COPY conf /app/conf
USER parlance
EXPOSE 8080
# The built-in token only works on loopback: give your own with -e PARLANCE_API_TOKENS=...
ENTRYPOINT ["java", "-jar", "/app/parlance.jar"]
