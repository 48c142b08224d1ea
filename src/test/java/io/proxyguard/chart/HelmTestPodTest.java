package io.proxyguard.chart;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code helm test} pod. Its rendered script is run for real (sh and curl, as in the pod) against a
 * stand-in webhook on loopback: it must pass only when the webhook serves a certificate the configured
 * CA trusts, echoes the review's uid, allows a plain Pod and is ready.
 */
class HelmTestPodTest {

    private static final Helm HELM = Helm.installed();
    private static final String FULLNAME = "pg-proxyguard";

    @TempDir
    Path tmp;

    @Test
    void isAHelmTestHookAimedAtTheServiceDnsName() {
        Pod pod = HELM.render().one(Pod.class);

        assertThat(pod.getMetadata().getAnnotations()).containsEntry("helm.sh/hook", "test");
        Map<String, String> env = env(pod.getSpec().getContainers().get(0));
        assertThat(env).containsEntry("WEBHOOK_URL", "https://" + FULLNAME + "." + Helm.NAMESPACE + ".svc:443/validate")
                .containsEntry("READYZ_URL", "http://" + FULLNAME + "." + Helm.NAMESPACE + ".svc:8080/readyz")
                .containsEntry("CA_FILE", "/etc/proxyguard/ca/ca.crt");
        assertThat(pod.getSpec().getVolumes()).anySatisfy(volume -> {
            assertThat(volume.getSecret()).isNotNull();
            assertThat(volume.getSecret().getSecretName()).isEqualTo(FULLNAME + "-tls");
            assertThat(volume.getSecret().getItems()).singleElement()
                    .satisfies(item -> assertThat(item.getKey()).isEqualTo("ca.crt"));
        });
    }

    @Test
    void passesAgainstAWebhookThatTheProvidedCaTrustsAndThatAllowsThePod() throws Exception {
        LocalPki pki = LocalPki.create("proxyguard-test-ca");
        try (StandInWebhook webhook = new StandInWebhook(pki, StandInWebhook::allow, 200)) {
            ScriptRun run = runTestPod(renderProvided(pki.caPem()), webhook);

            assertThat(run.exitCode()).as(run.output()).isZero();
            assertThat(run.output()).contains("OK: webhook serves a certificate");
            assertThat(webhook.contentTypes()).containsExactly("application/json");
            assertThat(webhook.reviews()).singleElement().satisfies(review -> {
                assertThat(review.path("apiVersion").asText()).isEqualTo("admission.k8s.io/v1");
                assertThat(review.path("request").path("uid").asText()).isEqualTo("proxyguard-helm-test");
                assertThat(review.path("request").path("object").path("kind").asText()).isEqualTo("Pod");
                assertThat(review.path("request").path("namespace").asText()).isEqualTo(Helm.NAMESPACE);
            });
        }
    }

    @Test
    void failsWhenTheWebhookCertificateIsNotSignedByTheConfiguredCa() throws Exception {
        LocalPki served = LocalPki.create("the-ca-the-webhook-uses");
        LocalPki configured = LocalPki.create("the-ca-in-the-caBundle");
        try (StandInWebhook webhook = new StandInWebhook(served, StandInWebhook::allow, 200)) {
            ScriptRun run = runTestPod(renderProvided(configured.caPem()), webhook);

            assertThat(run.exitCode()).isNotZero();
            assertThat(run.output()).containsIgnoringCase("certificate");
            assertThat(webhook.reviews()).isEmpty();
        }
    }

    @Test
    void failsWhenThePlainPodIsNotAllowed() throws Exception {
        LocalPki pki = LocalPki.create("proxyguard-test-ca");
        try (StandInWebhook webhook = new StandInWebhook(pki,
                review -> StandInWebhook.response(review.path("request").path("uid").asText(), false), 200)) {
            ScriptRun run = runTestPod(renderProvided(pki.caPem()), webhook);

            assertThat(run.exitCode()).isNotZero();
            assertThat(run.output()).contains("FAIL: a plain Pod was not allowed");
        }
    }

    @Test
    void failsWhenTheUidIsNotEchoed() throws Exception {
        LocalPki pki = LocalPki.create("proxyguard-test-ca");
        try (StandInWebhook webhook = new StandInWebhook(pki, review -> StandInWebhook.response("other-uid", true), 200)) {
            ScriptRun run = runTestPod(renderProvided(pki.caPem()), webhook);

            assertThat(run.exitCode()).isNotZero();
            assertThat(run.output()).contains("FAIL: uid not echoed");
        }
    }

    @Test
    void failsWhenTheWebhookIsNotReady() throws Exception {
        LocalPki pki = LocalPki.create("proxyguard-test-ca");
        try (StandInWebhook webhook = new StandInWebhook(pki, StandInWebhook::allow, 503)) {
            ScriptRun run = runTestPod(renderProvided(pki.caPem()), webhook);

            assertThat(run.exitCode()).isNotZero();
            assertThat(run.output()).contains("503");
        }
    }

    private Pod renderProvided(String caPem) throws Exception {
        Path caFile = tmp.resolve("ca-values.pem");
        Files.writeString(caFile, caPem);
        Pod pod = HELM.render("--set", "certificates.mode=provided", "--set", "certificates.provided.secretName=tls",
                "--set-file", "certificates.provided.caBundle=" + caFile).one(Pod.class);
        assertThat(env(pod.getSpec().getContainers().get(0))).containsEntry("CA_PEM", caPem);
        return pod;
    }

    /** Runs the pod's command as the pod would, with its env, but aimed at the loopback stand-in. */
    private ScriptRun runTestPod(Pod pod, StandInWebhook webhook) throws Exception {
        assertThat(onPath("curl")).as("curl is needed to run the helm test script: apt-get install curl").isTrue();
        Container container = pod.getSpec().getContainers().get(0);
        List<String> command = new ArrayList<>(container.getCommand());
        command.addAll(container.getArgs());
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(tmp.resolve("output.txt").toFile());
        builder.environment().putAll(env(container));
        builder.environment().put("WEBHOOK_URL", webhook.webhookUrl());
        builder.environment().put("READYZ_URL", webhook.readyzUrl());
        builder.environment().put("CURL_RETRIES", "0");
        builder.environment().put("TMPDIR", tmp.toString());
        builder.environment().remove("HTTPS_PROXY");
        builder.environment().remove("https_proxy");
        builder.environment().remove("HTTP_PROXY");
        builder.environment().remove("http_proxy");
        Process process = builder.start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("test pod script finished").isTrue();
        return new ScriptRun(process.exitValue(), Files.readString(tmp.resolve("output.txt"), StandardCharsets.UTF_8));
    }

    private static boolean onPath(String program) {
        return java.util.Arrays.stream(System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator))
                .anyMatch(dir -> Files.isExecutable(Path.of(dir, program)));
    }

    private static Map<String, String> env(Container container) {
        return container.getEnv().stream().collect(Collectors.toMap(EnvVar::getName, EnvVar::getValue));
    }

    private record ScriptRun(int exitCode, String output) {
    }
}
