{{/* Chart name, truncated to the 63 characters of a DNS label. */}}
{{- define "proxyguard.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Full name of the release's objects. Kept to 52 characters so that derived names
(<fullname>-leader, <fullname>-certificates, ...) stay within 63.
*/}}
{{- define "proxyguard.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 52 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 52 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 52 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{/* Chart label value: name-version. */}}
{{- define "proxyguard.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* The release's instance of the chart: the part every selector starts with. */}}
{{- define "proxyguard.instanceLabels" -}}
app.kubernetes.io/name: {{ include "proxyguard.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/*
Labels that select the webhook pods; never change them between releases (a Deployment's selector is
immutable). The component keeps them apart from the audit's and the helm test's pods.
*/}}
{{- define "proxyguard.selectorLabels" -}}
{{ include "proxyguard.instanceLabels" . }}
app.kubernetes.io/component: webhook
{{- end }}

{{/* Labels that select the pods of the dedicated audit Deployment. */}}
{{- define "proxyguard.auditSelectorLabels" -}}
{{ include "proxyguard.instanceLabels" . }}
app.kubernetes.io/component: audit
{{- end }}

{{/*
Standard labels of one component's objects: the given selector labels ("selector") amid those every
object of the release carries. Keep the lines in this order: the ConfigMap's labels are part of the
pods' checksum/config, so reordering them would roll every pod on the next upgrade.
Arguments: dict with "root" (the top context) and "selector".
*/}}
{{- define "proxyguard.componentLabels" -}}
helm.sh/chart: {{ include "proxyguard.chart" .root }}
{{ .selector }}
app.kubernetes.io/version: {{ .root.Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
app.kubernetes.io/part-of: proxyguard
{{- end }}

{{/* Standard labels of the webhook's objects and of those the whole release shares. */}}
{{- define "proxyguard.labels" -}}
{{ include "proxyguard.componentLabels" (dict "root" . "selector" (include "proxyguard.selectorLabels" .)) }}
{{- end }}

{{/* Standard labels of the dedicated audit's own objects. */}}
{{- define "proxyguard.auditLabels" -}}
{{ include "proxyguard.componentLabels" (dict "root" . "selector" (include "proxyguard.auditSelectorLabels" .)) }}
{{- end }}

{{/* The ServiceAccount the webhook pods run as. */}}
{{- define "proxyguard.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "proxyguard.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/*
The ServiceAccount the dedicated audit pod runs as: one of its own when the chart creates them, else
the one the user provides for the webhook.
*/}}
{{- define "proxyguard.auditServiceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- printf "%s-audit" (include "proxyguard.serviceAccountName" .) }}
{{- else }}
{{- include "proxyguard.serviceAccountName" . }}
{{- end }}
{{- end }}

{{/* Image reference: the digest wins over the tag; the tag defaults to the appVersion. */}}
{{- define "proxyguard.image" -}}
{{- if .Values.image.digest }}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest }}
{{- else }}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}
{{- end }}

{{/* Name of the Secret holding the serving certificate (tls.crt, tls.key and, except for provided, ca.crt). */}}
{{- define "proxyguard.tlsSecretName" -}}
{{- if eq .Values.certificates.mode "provided" }}
{{- required "certificates.provided.secretName is required when certificates.mode is provided" .Values.certificates.provided.secretName }}
{{- else }}
{{- printf "%s-tls" (include "proxyguard.fullname" .) }}
{{- end }}
{{- end }}

{{/* Name of the Lease the self-managed replicas elect their leader with. */}}
{{- define "proxyguard.leaseName" -}}
{{- printf "%s-leader" (include "proxyguard.fullname" .) }}
{{- end }}

{{/* The Lease the pods elect the background audit's leader with (not the certificates' one). */}}
{{- define "proxyguard.auditLeaseName" -}}
{{- printf "%s-audit" (include "proxyguard.fullname" .) }}
{{- end }}

{{/* "true" when the background audit runs (audit.interval is not 0). */}}
{{- define "proxyguard.auditEnabled" -}}
{{- if not (regexMatch "^0+(ms|s|m|h)?$" (toString .Values.audit.interval)) }}true{{ end }}
{{- end }}

{{/* "true" when the audit runs in a Deployment of its own (audit.dedicated), not in a webhook replica. */}}
{{- define "proxyguard.auditDedicated" -}}
{{- if and (include "proxyguard.auditEnabled" .) .Values.audit.dedicated.enabled }}true{{ end }}
{{- end }}

{{/* The Deployment whose pods run the audit: its own with audit.dedicated, else the webhook's. */}}
{{- define "proxyguard.auditDeploymentName" -}}
{{- if include "proxyguard.auditDedicated" . }}{{ include "proxyguard.fullname" . }}-audit{{ else }}{{ include "proxyguard.fullname" . }}{{ end }}
{{- end }}

{{/* "true" when the MutatingWebhookConfiguration is rendered (it has at least one webhook). */}}
{{- define "proxyguard.mutatingEnabled" -}}
{{- if or .Values.webhooks.mutateServiceEntries.enabled .Values.webhooks.injectProxyEnv.enabled }}true{{ end }}
{{- end }}

{{/* "true" when the ValidatingWebhookConfiguration is rendered (it has at least one webhook). */}}
{{- define "proxyguard.validatingEnabled" -}}
{{- if or .Values.webhooks.validateServiceEntries.enabled .Values.webhooks.validateWorkloads.enabled }}true{{ end }}
{{- end }}

{{/* The Services' port of the plain-HTTP metrics and health endpoints (the container port named `metrics`). */}}
{{- define "proxyguard.metricsServicePort" -}}
- name: metrics
  port: {{ .Values.service.metricsPort }}
  targetPort: metrics
  protocol: TCP
  appProtocol: http
{{- end }}

{{/* DNS names of the Service the API server calls, for the cert-manager Certificate. */}}
{{- define "proxyguard.serviceDnsNames" -}}
- {{ include "proxyguard.fullname" . }}
- {{ include "proxyguard.fullname" . }}.{{ .Release.Namespace }}
- {{ include "proxyguard.fullname" . }}.{{ .Release.Namespace }}.svc
- {{ include "proxyguard.fullname" . }}.{{ .Release.Namespace }}.svc.cluster.local
{{- end }}

{{/*
The webhook's clientConfig for one path. caBundle per certificate mode:
- provided: the CA from values;
- cert-manager: none (cainjector writes it, see the inject-ca-from annotation);
- self-managed: none on first install (ProxyGuard patches it in), and on upgrade the caBundle the
  live configuration already has, found with lookup, so that an upgrade never leaves the API server
  without a CA to trust between Helm's write and ProxyGuard's next patch.
Arguments: dict with "root" (the top context), "kind", "configName", "webhookName", "path".
*/}}
{{- define "proxyguard.clientConfig" -}}
{{- $root := .root -}}
service:
  name: {{ include "proxyguard.fullname" $root }}
  namespace: {{ $root.Release.Namespace }}
  path: {{ .path }}
  port: {{ $root.Values.service.port }}
{{- if eq $root.Values.certificates.mode "provided" }}
caBundle: {{ required "certificates.provided.caBundle (the CA's PEM) is required when certificates.mode is provided" $root.Values.certificates.provided.caBundle | b64enc }}
{{- else if eq $root.Values.certificates.mode "self-managed" }}
{{- $live := lookup "admissionregistration.k8s.io/v1" .kind "" .configName }}
{{- range (dig "webhooks" list $live) }}
{{- if and (eq .name $.webhookName) (dig "clientConfig" "caBundle" "" .) }}
caBundle: {{ .clientConfig.caBundle }}
{{- end }}
{{- end }}
{{- end }}
{{- end }}

{{/* Annotations of both webhook configurations: cert-manager's CA injection in that mode. */}}
{{- define "proxyguard.webhookAnnotations" -}}
{{- if eq .Values.certificates.mode "cert-manager" }}
annotations:
  cert-manager.io/inject-ca-from: {{ .Release.Namespace }}/{{ include "proxyguard.fullname" . }}-tls
{{- end }}
{{- end }}

{{/*
namespaceSelector shared by every webhook: never kube-system, never the release's own namespace
(ProxyGuard must be able to start while its webhooks fail), nor any namespace labelled
proxyguard.io/ignore=true, nor those in webhooks.excludedNamespaces.
*/}}
{{- define "proxyguard.namespaceSelector" -}}
namespaceSelector:
  matchExpressions:
    - key: kubernetes.io/metadata.name
      operator: NotIn
      values:
        {{- toYaml (concat (list "kube-system" .Release.Namespace) .Values.webhooks.excludedNamespaces | uniq) | nindent 8 }}
    - key: proxyguard.io/ignore
      operator: NotIn
      values: ["true"]
    {{- with .Values.webhooks.namespaceSelectorExpressions }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
{{- end }}

{{/* Fields every webhook shares. */}}
{{- define "proxyguard.webhookCommon" -}}
admissionReviewVersions: ["v1"]
sideEffects: None
matchPolicy: Equivalent
timeoutSeconds: {{ .Values.webhooks.timeoutSeconds }}
{{ include "proxyguard.namespaceSelector" . }}
{{- end }}

{{/* Rule matching ServiceEntries in every served version, on CREATE and UPDATE. */}}
{{- define "proxyguard.serviceEntryRules" -}}
rules:
  - apiGroups: ["networking.istio.io"]
    apiVersions: ["v1", "v1beta1", "v1alpha3"]
    resources: ["serviceentries"]
    operations: ["CREATE", "UPDATE"]
    scope: Namespaced
{{- end }}

{{/* Labels of the helm test pod (distinct from the webhook's and the audit's selector labels). */}}
{{- define "proxyguard.testSelectorLabels" -}}
{{ include "proxyguard.instanceLabels" . }}
app.kubernetes.io/component: test
{{- end }}
