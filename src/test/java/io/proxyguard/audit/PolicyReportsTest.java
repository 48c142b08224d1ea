package io.proxyguard.audit;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.proxyguard.audit.PolicyReport.Result;
import io.proxyguard.audit.PolicyReport.Timestamp;
import io.proxyguard.engine.CrdSchema;
import io.proxyguard.engine.Finding;
import io.proxyguard.engine.ResourceRef;
import io.proxyguard.engine.Severity;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** From an audit's verdicts to the PolicyReports the ecosystem reads: one per namespace, valid against the CRD. */
class PolicyReportsTest {

    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
    private static final Instant NOW = Instant.parse("2026-11-30T12:00:00.123Z");

    private static ResourceRef entry(String namespace, String name) {
        return new ResourceRef("networking.istio.io/v1", "ServiceEntry", namespace, name);
    }

    private static ObjectVerdict broken(String namespace, String name) {
        ResourceRef ref = entry(namespace, name);
        return new ObjectVerdict(ref, "uid-" + name, List.of(
                new Finding("PG101", Severity.DENY, ref, "spec.ports[0].protocol", "HTTP breaks CONNECT: use TCP", null),
                new Finding("PG104", Severity.WARN, ref, "spec.addresses", "no address: every IP on the port", null)), Optional.empty());
    }

    private static ObjectVerdict clean(String namespace, String name) {
        return new ObjectVerdict(entry(namespace, name), "uid-" + name, List.of(), Optional.empty());
    }

    @Test
    void oneReportPerNamespaceWithAResultPerFindingAndAPassPerCleanObject() {
        List<PolicyReport> reports = PolicyReports.of(new AuditResult(List.of(broken("shop", "proxy"), clean("shop", "other"),
                clean("billing", "proxy"))), NOW);

        assertThat(reports).extracting(PolicyReport::namespace, PolicyReport::name)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("billing", "proxyguard"), org.assertj.core.groups.Tuple.tuple("shop", "proxyguard"));
        PolicyReport shop = reports.get(1);
        assertThat(shop.metadata().getLabels()).containsEntry("app.kubernetes.io/managed-by", "proxyguard");
        assertThat(shop.results()).extracting(Result::result).containsExactlyInAnyOrder("fail", "warn", "pass");
        assertThat(shop.results()).extracting(Result::source).containsOnly("proxyguard");
        Result fail = shop.results().stream().filter(r -> r.result().equals("fail")).findFirst().orElseThrow();
        assertThat(fail.policy()).isEqualTo("PG101");
        assertThat(fail.rule()).isEqualTo("PG101");
        assertThat(fail.severity()).isEqualTo("high");
        assertThat(fail.properties()).containsEntry("path", "spec.ports[0].protocol");
        assertThat(fail.resources()).singleElement().satisfies(object -> {
            assertThat(object.kind()).isEqualTo("ServiceEntry");
            assertThat(object.namespace()).isEqualTo("shop");
            assertThat(object.name()).isEqualTo("proxy");
            assertThat(object.uid()).isEqualTo("uid-proxy");
        });
        assertThat(fail.timestamp()).isEqualTo(new Timestamp(NOW.getEpochSecond(), 0));
        assertThat(shop.results().stream().filter(r -> r.result().equals("warn")).findFirst().orElseThrow().severity()).isEqualTo("medium");
        assertThat(shop.summary()).isEqualTo(new PolicyReport.Summary(1, 1, 1, 0, 0));
    }

    @Test
    void anObjectThatCouldNotBeReadIsAnErrorResult() {
        ObjectVerdict unreadable = new ObjectVerdict(entry("shop", "bad"), "", List.of(), Optional.of("spec.ports[0].number: not a number"));

        PolicyReport report = PolicyReports.of(new AuditResult(List.of(unreadable)), NOW).get(0);

        assertThat(report.results()).singleElement().satisfies(result -> {
            assertThat(result.result()).isEqualTo("error");
            assertThat(result.message()).contains("not a number");
        });
        assertThat(report.summary().error()).isEqualTo(1);
    }

    @Test
    void reportsValidateAgainstThePolicyReportCrd() {
        List<ObjectVerdict> verdicts = List.of(broken("shop", "proxy"), clean("shop", "other"),
                new ObjectVerdict(entry("shop", "bad"), "", List.of(), Optional.of("unreadable")));

        for (PolicyReport report : PolicyReports.of(new AuditResult(verdicts), NOW)) {
            JsonNode json = SERIALIZATION.convertValue(report.toResource(SERIALIZATION), JsonNode.class);
            assertThat(CrdSchema.acceptedAsWhole(json)).isNotNull();
            assertThat(json.at("/results/0/timestamp/seconds").isIntegralNumber()).isTrue();
            assertThat(json.at("/results/0/timestamp/nanos").isIntegralNumber()).isTrue();
        }
    }

    @Test
    void theSchemaCheckCatchesAResultOutsideTheEnumAndATimestampAsText() {
        JsonNode bad = SERIALIZATION.convertValue(SERIALIZATION.unmarshal("""
                apiVersion: wgpolicyk8s.io/v1alpha2
                kind: PolicyReport
                metadata: {name: proxyguard, namespace: shop}
                results:
                - {policy: PG101, result: failed, timestamp: "2026-11-30T12:00:00Z"}
                - {result: pass}
                """, java.util.Map.class), JsonNode.class);

        assertThatThrownBy(() -> CrdSchema.acceptedAsWhole(bad)).hasMessageContaining("results[0].result")
                .hasMessageContaining("results[0].timestamp").hasMessageContaining("results[1].policy: required");
    }

    @Test
    void aReportReadBackHasTheContentOfTheOneWrittenAndAnyChangedFieldShows() {
        ResultDigest digests = new ResultDigest();
        PolicyReport written = PolicyReports.of(new AuditResult(List.of(broken("shop", "proxy"), clean("shop", "other"))), NOW).get(0);

        ExistingReport read = ExistingReport.of(SERIALIZATION.convertValue(written.toResource(SERIALIZATION), PolicyReport.class), digests);

        assertThat(read.sameContentAs(digests.digested(written))).isTrue();
        List<Result> results = new ArrayList<>(written.results());
        Result first = results.get(0);
        results.set(0, new Result(first.source(), first.policy(), first.rule(), first.result(), first.severity(), first.scored(),
                first.category(), first.message() + ".", first.resources(), first.properties(), first.timestamp()));
        assertThat(read.sameContentAs(digests.digested(PolicyReport.of(written.metadata(), results)))).as("a message changed").isFalse();
        results.set(0, first.at(new Timestamp(first.timestamp().seconds() + 1, 0)));
        assertThat(read.sameContentAs(digests.digested(PolicyReport.of(written.metadata(), results)))).as("a timestamp changed").isFalse();
        assertThat(read.sameContentAs(digests.digested(PolicyReport.of(written.metadata(), written.results().subList(1, 3)))))
                .as("a result gone").isFalse();
        PolicyReport relabelled = PolicyReport.of(new ObjectMetaBuilder(written.metadata())
                .withLabels(Map.of(PolicyReports.MANAGED_BY, "someone-else")).build(), written.results());
        assertThat(read.sameContentAs(digests.digested(relabelled))).as("labels changed").isFalse();
    }

    @Test
    void resultsUnchangedSinceTheLastReportKeepTheirTimestampSoTheReportIsNotRewritten() {
        ResultDigest digests = new ResultDigest();
        PolicyReport before = PolicyReports.of(new AuditResult(List.of(broken("shop", "proxy"))), NOW.minusSeconds(600)).get(0);
        PolicyReport now = PolicyReports.of(new AuditResult(List.of(broken("shop", "proxy"), clean("shop", "new"))), NOW).get(0);

        ResultDigest.Digested merged = ExistingReport.of(before, digests).keepingTimestamps(now, digests);

        assertThat(merged.report().results()).filteredOn(r -> !r.result().equals("pass")).extracting(Result::timestamp)
                .containsOnly(new Timestamp(NOW.getEpochSecond() - 600, 0));
        assertThat(merged.report().results()).filteredOn(r -> r.result().equals("pass")).extracting(Result::timestamp)
                .containsOnly(new Timestamp(NOW.getEpochSecond(), 0));
        ExistingReport unchanged = ExistingReport.of(before, digests);
        assertThat(unchanged.sameContentAs(unchanged.keepingTimestamps(before, digests))).isTrue();
        assertThat(merged.digest()).as("digested on the way = digested afterwards").isEqualTo(digests.digested(merged.report()).digest());
        assertThat(unchanged.sameContentAs(merged)).as("a new result").isFalse();
        PolicyReport sameFindingsLater = PolicyReports.of(new AuditResult(List.of(broken("shop", "proxy"))), NOW).get(0);
        assertThat(unchanged.sameContentAs(unchanged.keepingTimestamps(sameFindingsLater, digests)))
                .as("the same findings an audit later: nothing to write").isTrue();
    }

    @Test
    void aNamespaceWithMoreResultsThanOneReportHoldsIsSplitInStableParts() {
        List<ObjectVerdict> verdicts = new ArrayList<>();
        IntStream.range(0, PolicyReports.MAX_RESULTS + 10).forEach(i -> verdicts.add(clean("big", "entry-%05d".formatted(i))));

        List<PolicyReport> reports = PolicyReports.of(new AuditResult(verdicts), NOW);

        assertThat(reports).extracting(PolicyReport::name).containsExactly("proxyguard", "proxyguard-2");
        assertThat(reports.get(0).summary().pass()).isEqualTo(PolicyReports.MAX_RESULTS);
        assertThat(reports.get(1).summary().pass()).isEqualTo(10);
        assertThat(reports).allSatisfy(report -> assertThat(PolicyReports.isOurName(report.name())).isTrue());
        assertThat(PolicyReports.isOurName("polr-ns-big")).isFalse();
    }
}
