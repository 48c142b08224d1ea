package io.proxyguard.audit;

import io.proxyguard.audit.PolicyReport.Result;
import io.proxyguard.audit.PolicyReport.Timestamp;
import io.proxyguard.engine.Finding;
import io.proxyguard.engine.ResourceRef;
import io.proxyguard.engine.Severity;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** A result the cluster already holds comes back as the instance written, with its timestamp; anything else is the fresh one. */
class ResultInternerTest {

    private static final Instant THEN = Instant.parse("2026-11-30T12:00:00Z");

    private static ObjectVerdict verdict(String message) {
        ResourceRef ref = new ResourceRef("networking.istio.io/v1", "ServiceEntry", "shop", "proxy");
        return new ObjectVerdict(ref, "uid-1", List.of(new Finding("PG101", Severity.DENY, ref, "spec.ports[0].protocol", message, null)),
                Optional.empty());
    }

    private static List<PolicyReport> reports(Instant now, ResultInterner interner, ObjectVerdict verdict) {
        PolicyReports.Builder builder = new PolicyReports.Builder(now, interner);
        builder.accept(verdict);
        return builder.reports();
    }

    @Test
    void anUnchangedResultIsTheInstanceWrittenAndKeepsItsTimestamp() {
        ResultInterner interner = new ResultInterner();
        List<PolicyReport> first = reports(THEN, interner, verdict("HTTP breaks CONNECT"));
        interner.remember(first);

        List<PolicyReport> second = reports(THEN.plusSeconds(300), interner, verdict("HTTP breaks CONNECT"));

        Result written = first.get(0).results().get(0);
        assertThat(second.get(0).results().get(0)).isSameAs(written);
        assertThat(written.timestamp()).isEqualTo(new Timestamp(THEN.getEpochSecond(), 0));
    }

    @Test
    void aChangedResultIsFreshAndForgettingHandsNothingBack() {
        ResultInterner interner = new ResultInterner();
        interner.remember(reports(THEN, interner, verdict("HTTP breaks CONNECT")));

        Result changed = reports(THEN.plusSeconds(300), interner, verdict("HTTP breaks CONNECT: use TCP")).get(0).results().get(0);
        assertThat(changed.message()).isEqualTo("HTTP breaks CONNECT: use TCP");
        assertThat(changed.timestamp()).isEqualTo(new Timestamp(THEN.getEpochSecond() + 300, 0));

        interner.forget();
        Result afterForgetting = reports(THEN.plusSeconds(600), interner, verdict("HTTP breaks CONNECT")).get(0).results().get(0);
        assertThat(afterForgetting.timestamp()).isEqualTo(new Timestamp(THEN.getEpochSecond() + 600, 0));
    }
}
