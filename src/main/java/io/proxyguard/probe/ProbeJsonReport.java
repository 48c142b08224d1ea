package io.proxyguard.probe;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.function.UnaryOperator;

/**
 * {@code {"results":[{proxy,address,target,passed,diagnosis,message,steps:[{step,millis,ok}],answer,certificate}],
 * "summary":{"probes","passed","failed"}}}. Every free text passes through the redactor before it is escaped.
 */
final class ProbeJsonReport {

    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ProbeJsonReport() {
    }

    static String render(List<ProbeResult> results, UnaryOperator<String> redact) {
        ObjectNode root = MAPPER.createObjectNode();
        ArrayNode array = root.putArray("results");
        for (ProbeResult result : results) {
            ObjectNode node = array.addObject()
                    .put("proxy", result.proxy().name())
                    .put("address", result.proxy().address().toString())
                    .put("target", result.target().toString())
                    .put("passed", result.passed())
                    .put("diagnosis", result.diagnosis().code())
                    .put("message", redact.apply(result.diagnosis().message()));
            ArrayNode steps = node.putArray("steps");
            for (StepTiming timing : result.steps()) {
                steps.addObject().put("step", timing.step().key()).put("millis", timing.millis()).put("ok", timing.succeeded());
            }
            result.answer().ifPresent(answer -> {
                ObjectNode answerNode = node.putObject("answer")
                        .put("status", answer.status())
                        .put("reason", redact.apply(answer.reason()));
                ObjectNode headers = answerNode.putObject("headers");
                answer.headers().forEach(h -> headers.put(redact.apply(h.name()), redact.apply(h.value())));
            });
            result.certificate().ifPresent(certificate -> {
                ObjectNode certNode = node.putObject("certificate")
                        .put("subject", redact.apply(certificate.subject()))
                        .put("issuer", redact.apply(certificate.issuer()))
                        .put("notAfter", certificate.notAfter().toString());
                certificate.dnsNames().forEach(certNode.putArray("dnsNames")::add);
            });
        }
        long passed = results.stream().filter(ProbeResult::passed).count();
        root.putObject("summary").put("probes", results.size()).put("passed", passed).put("failed", results.size() - passed);
        try {
            return MAPPER.writeValueAsString(root) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
