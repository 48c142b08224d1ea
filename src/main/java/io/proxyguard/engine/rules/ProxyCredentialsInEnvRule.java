package io.proxyguard.engine.rules;

import io.proxyguard.engine.RuleContext;
import io.proxyguard.engine.RuleInfo;
import io.proxyguard.engine.Severity;
import io.proxyguard.engine.Violation;
import io.proxyguard.engine.WorkloadRule;
import io.proxyguard.engine.workload.ContainerEnv;
import io.proxyguard.engine.workload.ProxyVariable;
import io.proxyguard.engine.workload.WorkloadFacts;

import java.util.ArrayList;
import java.util.List;

/** PG203: proxy credentials belong in a Secret, not in the manifest or a ConfigMap. */
final class ProxyCredentialsInEnvRule implements WorkloadRule {

    private static final RuleInfo INFO = new RuleInfo("PG203", Severity.WARN, "Proxy credentials in plain env",
            "A proxy URL with user:password written into env[].value (or a ConfigMap) is stored in plain text in the "
                    + "object, in every copy of the manifest, in kubectl output and in anything that can read the "
                    + "workload. Put the URL in a Secret and reference it with env[].valueFrom.secretKeyRef. "
                    + "ProxyGuard never repeats the credentials: messages and logs show the URL as http://***@host:port.");

    @Override
    public RuleInfo info() {
        return INFO;
    }

    @Override
    public List<Violation> check(WorkloadFacts workload, RuleContext context) {
        List<Violation> violations = new ArrayList<>();
        for (ContainerEnv container : workload.containers()) {
            for (ProxyVariable variable : container.proxies()) {
                if (variable.source() == ProxyVariable.Source.SECRET) {
                    continue;
                }
                variable.url().filter(url -> url.hasCredentials()).ifPresent(url -> violations.add(variable.path().violation(
                        "container " + container.container() + ": " + variable.name() + " carries credentials in plain text ("
                                + url.redacted() + "); move it to a Secret and use secretKeyRef")));
            }
        }
        return violations;
    }
}
