package io.proxyguard.audit;

import io.proxyguard.engine.model.KubeObject;

import java.util.List;
import java.util.function.Consumer;

/** Where an audit reads the objects it judges: a page at a time, each page dropped once judged. */
@FunctionalInterface
public interface CheckedObjects {

    void forEachPage(Consumer<List<KubeObject>> pages);
}
