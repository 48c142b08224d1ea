package io.proxyguard.engine.rules;

import io.proxyguard.engine.RuleContext;
import io.proxyguard.engine.RuleInfo;
import io.proxyguard.engine.Severity;
import io.proxyguard.engine.workload.ProxyVariable;

import java.util.stream.Stream;

/** PG203: proxy credentials belong in a Secret, not in the manifest or a ConfigMap. */
final class ProxyCredentialsInEnvRule extends ProxyVariableRule {

    ProxyCredentialsInEnvRule() {
        super(new RuleInfo("PG203", Severity.WARN, "Proxy credentials in plain env",
                "A proxy URL with user:password written into env[].value (or a ConfigMap) is stored in plain text in the "
                        + "object, in every copy of the manifest, in kubectl output and in anything that can read the "
                        + "workload. Put the URL in a Secret and reference it with env[].valueFrom.secretKeyRef. "
                        + "ProxyGuard never repeats the credentials: messages and logs show the URL as http://***@host:port."));
    }

    @Override
    Stream<String> problems(ProxyVariable variable, RuleContext context) {
        if (variable.source() == ProxyVariable.Source.SECRET) {
            return Stream.empty();
        }
        return variable.url().filter(url -> url.hasCredentials()).stream().map(url -> variable.name()
                + " carries credentials in plain text (" + url.redacted() + "); move it to a Secret and use secretKeyRef");
    }
}
