package io.proxyguard.policy;

/** One entry of a policy's {@code variables}: expressions refer to it as {@code variables.NAME}. */
public record PolicyVariable(String name, String expression) {
}
