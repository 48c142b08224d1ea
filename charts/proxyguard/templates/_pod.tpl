{{/*
What every ProxyGuard pod shares, the webhook's and the dedicated audit's: one definition each, so
that the two Deployments cannot drift apart.
*/}}

{{/* The pod template's checksum of the configuration: a changed `config` rolls the pods. */}}
{{- define "proxyguard.configChecksum" -}}
{{- include (print .Template.BasePath "/configmap.yaml") . | sha256sum }}
{{- end }}

{{/*
Pod spec fields: the API token (ProxyGuard reads the cluster), image pull secrets, the pod security
context and where the pods may be scheduled.
*/}}
{{- define "proxyguard.podCommon" -}}
automountServiceAccountToken: true
{{- with .Values.imagePullSecrets }}
imagePullSecrets:
  {{- toYaml . | nindent 2 }}
{{- end }}
securityContext:
  {{- toYaml .Values.podSecurityContext | nindent 2 }}
{{- with .Values.nodeSelector }}
nodeSelector:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .Values.tolerations }}
tolerations:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- end }}

{{/* The container's environment: its namespace and name, and the JVM's sizing and tuning (jvm.*, logLevel). */}}
{{- define "proxyguard.env" -}}
- name: POD_NAMESPACE
  valueFrom:
    fieldRef:
      fieldPath: metadata.namespace
- name: POD_NAME
  valueFrom:
    fieldRef:
      fieldPath: metadata.name
- name: JAVA_TOOL_OPTIONS
  value: {{ printf "-XX:MaxRAMPercentage=%v %s-XX:+ExitOnOutOfMemoryError -Djava.io.tmpdir=/tmp -Dorg.slf4j.simpleLogger.defaultLogLevel=%s %s" .Values.jvm.maxRamPercentage (ternary (printf "-Xmn%s " .Values.jvm.youngGenSize) "" (not (empty .Values.jvm.youngGenSize))) .Values.logLevel .Values.jvm.extraOptions | trim | quote }}
{{- if .Values.jvm.mallocArenaMax }}
- name: MALLOC_ARENA_MAX
  value: {{ .Values.jvm.mallocArenaMax | quote }}
{{- end }}
{{- end }}

{{/* Startup, readiness and liveness probes, on the plain-HTTP metrics port (named `metrics`). */}}
{{- define "proxyguard.probes" -}}
startupProbe:
  httpGet:
    path: /readyz
    port: metrics
  {{- toYaml .Values.probes.startup | nindent 2 }}
readinessProbe:
  httpGet:
    path: /readyz
    port: metrics
  {{- toYaml .Values.probes.readiness | nindent 2 }}
livenessProbe:
  httpGet:
    path: /healthz
    port: metrics
  {{- toYaml .Values.probes.liveness | nindent 2 }}
{{- end }}

{{/* Volume mounts: the configuration, read-only, and the only writable path, /tmp. */}}
{{- define "proxyguard.volumeMounts" -}}
- name: config
  mountPath: /etc/proxyguard/config
  readOnly: true
- name: tmp
  mountPath: /tmp
{{- end }}

{{/* The volumes behind proxyguard.volumeMounts. */}}
{{- define "proxyguard.volumes" -}}
- name: config
  configMap:
    name: {{ include "proxyguard.fullname" . }}-config
- name: tmp
  emptyDir:
    sizeLimit: {{ .Values.tmpSizeLimit }}
{{- end }}
