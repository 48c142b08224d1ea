package io.proxyguard.engine.view;

import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiFunction;

/**
 * The last index built from a pair of inputs, given back while the same instances (by identity) are asked for: a view
 * that keeps its inputs in an immutable snapshot gets the index of its last snapshot on every call, without a field of
 * its own. One entry: a new snapshot replaces the old one's index.
 */
final class LastBuilt<A, B, T> {

    private record Built<A, B, T>(A first, B second, T index) {
    }

    private final AtomicReference<Built<A, B, T>> last = new AtomicReference<>();

    T of(A first, B second, BiFunction<A, B, T> build) {
        Built<A, B, T> built = last.get();
        if (built != null && built.first() == first && built.second() == second) {
            return built.index();
        }
        T index = build.apply(first, second);
        last.set(new Built<>(first, second, index));
        return index;
    }
}
