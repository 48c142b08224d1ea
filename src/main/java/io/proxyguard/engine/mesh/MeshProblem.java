package io.proxyguard.engine.mesh;

import io.proxyguard.engine.ResourceRef;

/**
 * A setting of a mesh ConfigMap that could not be read, and so was left at Istio's default: {@code message} says
 * where ({@code ConfigMap istio-system/istio data.mesh: ...}) and what. The adapters report it with the object:
 * {@code validate} as an input error at the ConfigMap's document, {@code serve} in its log.
 */
public record MeshProblem(ResourceRef configMap, String message) {
}
