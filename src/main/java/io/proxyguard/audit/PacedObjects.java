package io.proxyguard.audit;

import io.proxyguard.engine.model.KubeObject;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * {@link CheckedObjects} handed on in slices of {@value #SLICE} objects with a pause after each, as long as the work
 * since the last pause took (listing, parsing and judging): the audit then keeps at most half of one core busy, and
 * its allocations come at half the rate, so reviews on a small node keep their CPU and meet fewer collections. The
 * audit takes twice as long; it runs every few minutes, nobody waits for it.
 */
final class PacedObjects implements CheckedObjects {

    static final int SLICE = 100;

    private final CheckedObjects objects;

    PacedObjects(CheckedObjects objects) {
        this.objects = objects;
    }

    @Override
    public void forEachPage(Consumer<List<KubeObject>> pages) {
        long[] workStarted = {System.nanoTime()};
        objects.forEachPage(page -> {
            for (int start = 0; start < page.size(); start += SLICE) {
                pages.accept(page.subList(start, Math.min(page.size(), start + SLICE)));
                long worked = System.nanoTime() - workStarted[0];
                pause(worked);
                workStarted[0] = System.nanoTime();
            }
        });
    }

    private static void pause(long nanos) {
        try {
            TimeUnit.NANOSECONDS.sleep(nanos);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("audit stopped", e);
        }
    }
}
