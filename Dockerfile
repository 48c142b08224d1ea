# ProxyGuard container image: the shaded jar on a JRE, nothing else.
#   docker build -t ghcr.io/proxyguard/proxyguard:0.1.0 .
# The Helm chart (charts/proxyguard) runs it as user 65532 with a read-only root filesystem and
# passes the command line (serve --config ... --port 8443 --metrics-port 8080 ...).

# --- Build: Maven on Java 17 makes target/proxyguard.jar ---------------------------------------
FROM maven:3-eclipse-temurin-17 AS build
WORKDIR /build
# Dependencies first, in their own layer: rebuilt only when pom.xml changes.
COPY pom.xml .
RUN mvn -B -ntp -q dependency:go-offline
COPY src/main ./src/main
RUN mvn -B -ntp -q -Dmaven.test.skip=true package

# --- Runtime: a JRE and the jar ----------------------------------------------------------------
FROM eclipse-temurin:17-jre
LABEL org.opencontainers.image.title="ProxyGuard" \
      org.opencontainers.image.description="Admission webhook for Istio ServiceEntries that front an external HTTPS proxy"
COPY --from=build /build/target/proxyguard.jar /app/proxyguard.jar
# A numeric non-root user, so that Kubernetes can verify runAsNonRoot without an /etc/passwd entry.
USER 65532:65532
# 8443: HTTPS webhook (/mutate, /validate); 8080: plain-HTTP /healthz, /readyz, /metrics.
EXPOSE 8443 8080
ENTRYPOINT ["java", "-jar", "/app/proxyguard.jar"]
