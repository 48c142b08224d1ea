package io.proxyguard.chart;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;

import static org.assertj.core.api.Assertions.assertThat;

/** The pod hardening every pod of the chart must have (the restricted Pod Security Standard and more). */
final class HardenedPod {

    private HardenedPod() {
    }

    static void assertHardened(String what, PodSpec pod) {
        var podContext = pod.getSecurityContext();
        assertThat(podContext).as(what + ": pod securityContext").isNotNull();
        assertThat(podContext.getRunAsNonRoot()).as(what + ": runAsNonRoot").isTrue();
        assertThat(podContext.getRunAsUser()).as(what + ": numeric non-root runAsUser").isNotNull().isPositive();
        assertThat(podContext.getSeccompProfile().getType()).as(what + ": seccomp").isEqualTo("RuntimeDefault");
        assertThat(pod.getHostNetwork()).as(what + ": hostNetwork").isNotEqualTo(Boolean.TRUE);
        for (Container container : pod.getContainers()) {
            String name = what + " container " + container.getName();
            var context = container.getSecurityContext();
            assertThat(context).as(name + ": securityContext").isNotNull();
            assertThat(context.getAllowPrivilegeEscalation()).as(name + ": allowPrivilegeEscalation").isFalse();
            assertThat(context.getPrivileged()).as(name + ": privileged").isNotEqualTo(Boolean.TRUE);
            assertThat(context.getReadOnlyRootFilesystem()).as(name + ": readOnlyRootFilesystem").isTrue();
            assertThat(context.getCapabilities().getDrop()).as(name + ": dropped capabilities").containsExactly("ALL");
            assertThat(context.getCapabilities().getAdd()).as(name + ": added capabilities").isNullOrEmpty();
            VolumeMount tmp = container.getVolumeMounts().stream().filter(m -> m.getMountPath().equals("/tmp"))
                    .findFirst().orElseThrow(() -> new AssertionError(name + ": no writable /tmp mounted"));
            Volume volume = pod.getVolumes().stream().filter(v -> v.getName().equals(tmp.getName())).findFirst()
                    .orElseThrow(() -> new AssertionError(name + ": /tmp volume " + tmp.getName() + " missing"));
            assertThat(volume.getEmptyDir()).as(name + ": /tmp is an emptyDir").isNotNull();
            assertThat(volume.getEmptyDir().getSizeLimit()).as(name + ": /tmp has a size limit").isNotNull();
        }
    }
}
