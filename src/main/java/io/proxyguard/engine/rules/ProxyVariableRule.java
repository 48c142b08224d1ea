package io.proxyguard.engine.rules;

import io.proxyguard.engine.RuleContext;
import io.proxyguard.engine.RuleInfo;
import io.proxyguard.engine.Violation;
import io.proxyguard.engine.WorkloadRule;
import io.proxyguard.engine.workload.ContainerEnv;
import io.proxyguard.engine.workload.ProxyVariable;
import io.proxyguard.engine.workload.WorkloadFacts;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.Set;
import java.util.List;
import java.util.stream.Stream;

/**
 * A workload rule that judges each proxy variable of each container on its own. A problem said once for a container
 * is not repeated for its next variable (HTTPS_PROXY and HTTP_PROXY usually name the same proxy).
 */
abstract class ProxyVariableRule extends DescribedRule implements WorkloadRule {

    ProxyVariableRule(RuleInfo info) {
        super(info);
    }

    @Override
    public final List<Violation> check(WorkloadFacts workload, RuleContext context) {
        List<Violation> violations = new ArrayList<>();
        for (ContainerEnv container : workload.containers()) {
            Set<String> said = new HashSet<>();
            for (ProxyVariable variable : container.proxies()) {
                problems(variable, context).filter(said::add).forEach(problem -> violations.add(
                        variable.path().violation("container " + container.container() + ": " + problem)));
            }
        }
        return violations;
    }

    /** What is wrong with this variable, one message per problem (none when it is fine). */
    abstract Stream<String> problems(ProxyVariable variable, RuleContext context);
}
