package io.proxyguard.engine;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.proxyguard.config.ProxyGuardConfig;
import io.proxyguard.engine.model.InvalidObjectException;
import io.proxyguard.engine.model.KubeObject;
import io.proxyguard.engine.model.ServiceEntryFacts;
import io.proxyguard.engine.proxy.ProxyDetector;
import io.proxyguard.engine.proxy.ProxyMatch;
import io.proxyguard.engine.rules.RuleCatalog;
import io.proxyguard.engine.view.ClusterView;
import io.proxyguard.engine.workload.WorkloadFacts;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The pure policy engine: given one object and a view of what else exists, it returns a {@link Decision}.
 * It knows nothing of HTTP, Kubernetes clients or files; the webhook, the CLI and the audit adapt it.
 * Thread-safe and stateless between calls.
 */
public final class PolicyEngine {

    /** Fixes can enable further fixes (resolution NONE allows a /32); a few rounds reach the fixed point. */
    private static final int MAX_FIX_ROUNDS = 4;

    private final ProxyGuardConfig config;
    private final RuleCatalog catalog;
    private final ProxyDetector detector;
    private final ProxyEnvInjector injector;

    public PolicyEngine(ProxyGuardConfig config) {
        this(config, RuleCatalog.standard());
    }

    public PolicyEngine(ProxyGuardConfig config, RuleCatalog catalog) {
        this.config = config;
        this.catalog = catalog;
        this.detector = new ProxyDetector(config);
        this.injector = new ProxyEnvInjector(config);
    }

    public ProxyGuardConfig config() {
        return config;
    }

    public ProxyDetector detector() {
        return detector;
    }

    /** The optional proxy environment injection under this engine's configuration. */
    public ProxyEnvInjector injector() {
        return injector;
    }

    /** The kinds ProxyGuard has rules for, without their group: ServiceEntry and the workload kinds. */
    public static final Set<String> CHECKED_KINDS = Stream.concat(Stream.of(ServiceEntryFacts.KIND), WorkloadFacts.KINDS.stream())
            .collect(Collectors.toUnmodifiableSet());

    /** True when ProxyGuard has rules for this kind of object: ServiceEntries and workloads. */
    public static boolean isChecked(KubeObject object) {
        return ServiceEntryFacts.isServiceEntry(object) || WorkloadFacts.isWorkload(object);
    }

    /**
     * Judges {@code object} against {@code view}. Findings are those of the object as given; the fixed object
     * and patch carry every fix, repeated until no fixable finding remains.
     *
     * @throws InvalidObjectException when the object's fields cannot be read (wrong types, unknown enums)
     */
    public Decision evaluate(KubeObject object, ClusterView view) throws InvalidObjectException {
        if (!isChecked(object)) {
            return Decision.clean(object.ref(), object.json());
        }
        List<Finding> findings = findings(object, view);
        List<Finding> applied = new ArrayList<>();
        ObjectNode fixed = object.json();
        List<Finding> round = findings;
        for (int i = 0; i < MAX_FIX_ROUNDS; i++) {
            List<Fix> fixes = round.stream().map(Finding::fix).filter(f -> f != null).toList();
            if (fixes.isEmpty()) {
                break;
            }
            applied.addAll(round.stream().filter(f -> f.fix() != null).toList());
            fixed = FixApplier.apply(fixed, fixes);
            round = findings(KubeObject.of(fixed), view);
        }
        if (applied.isEmpty()) {
            return new Decision(object.ref(), findings, applied, object.json(), FixApplier.noPatch());
        }
        return new Decision(object.ref(), findings, applied, fixed, FixApplier.diff(object.json(), fixed));
    }

    /**
     * The findings of {@code object} as given, without working out fixes, the fixed object or the patch: what
     * a validating webhook needs (it answers allow or deny; the mutating webhook has done the fixing). The
     * findings are those {@link #evaluate} returns; the decision carries no fixes and an empty patch.
     *
     * @throws InvalidObjectException when the object's fields cannot be read (wrong types, unknown enums)
     */
    public Decision judge(KubeObject object, ClusterView view) throws InvalidObjectException {
        if (!isChecked(object)) {
            return Decision.clean(object.ref(), object.json());
        }
        return new Decision(object.ref(), findings(object, view), List.of(), object.json(), FixApplier.noPatch());
    }

    private List<Finding> findings(KubeObject object, ClusterView view) throws InvalidObjectException {
        if (WorkloadFacts.isWorkload(object)) {
            WorkloadFacts workload = WorkloadFacts.read(object, view);
            RuleContext context = RuleContext.forWorkload(config, view, workload.pod());
            return collect(object, catalog.workloadRules(), rule -> rule.check(workload, context));
        }
        ServiceEntryFacts entry = ServiceEntryFacts.read(object);
        if (ProxyDetector.isOptedOut(entry)) {
            return List.of();
        }
        Optional<ProxyMatch> match = detector.detect(entry, view.workloadProxies());
        RuleContext context = RuleContext.forServiceEntry(config, view, match);
        return collect(object, catalog.serviceEntryRules(), rule -> rule.check(entry, context));
    }

    /** Runs each rule not switched off and turns its violations into findings at the severity in force. */
    private <R extends Rule> List<Finding> collect(KubeObject object, List<R> rules, Function<R, List<Violation>> check) {
        List<Finding> findings = new ArrayList<>();
        for (R rule : rules) {
            Severity severity = config.severityOf(rule.id(), rule.info().defaultSeverity());
            if (severity == Severity.OFF) {
                continue;
            }
            for (Violation violation : check.apply(rule)) {
                findings.add(new Finding(rule.id(), severity, object.ref(), violation.path(),
                        Messages.limit(violation.message()), violation.fix()));
            }
        }
        return findings;
    }
}
