package io.proxyguard.report;

import io.proxyguard.engine.Finding;

/** A finding and where its object was read from (file and first line of the document). */
public record Located(Finding finding, String file, int line) {
}
