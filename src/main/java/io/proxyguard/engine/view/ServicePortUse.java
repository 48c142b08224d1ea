package io.proxyguard.engine.view;

import io.proxyguard.engine.ResourceRef;

/** A Kubernetes Service port as Istio reads its protocol (appProtocol, else the name's prefix). */
public record ServicePortUse(ResourceRef service, int port, String portName, String protocol) {
}
