{{/*
ProxyGuard's alert groups: the spec of the PrometheusRule, and the same rules as the plain file
monitoring/proxyguard-rules.yaml (PrometheusRulesFileTest renders it from here with the defaults).
Every alert has a severity, a summary, and a description that says what to do and links to the
runbook section of docs/deploy.md named after the alert.
*/}}
{{- define "proxyguard.alertGroups" -}}
{{- $r := .Values.prometheusRule }}
{{- $ns := .Release.Namespace }}
{{- $deployment := include "proxyguard.fullname" . }}
{{- $extra := $r.alertLabels -}}
- name: proxyguard
  rules:
    - alert: ProxyGuardCertificateExpiring
      expr: proxyguard_tls_certificate_expiry_timestamp_seconds - time() < {{ $r.certificateExpiry.warningDays }} * 86400
      for: {{ $r.certificateExpiry.for }}
      labels:
        severity: warning
        {{- with $extra }}{{ toYaml . | nindent 8 }}{{- end }}
      annotations:
        summary: ProxyGuard's serving certificate expires in less than {{ $r.certificateExpiry.warningDays }} days.
        description: >-
          The certificate served by {{`{{ $labels.pod }}`}} in {{`{{ $labels.namespace }}`}} expires in
          {{`{{ $value | humanizeDuration }}`}}. Renewal is overdue: check the certificate source (self-managed leader,
          cert-manager or your own Secret).
        runbook_url: {{ $r.runbookUrl }}#proxyguardcertificateexpiring
    - alert: ProxyGuardCertificateExpiring
      expr: proxyguard_tls_certificate_expiry_timestamp_seconds - time() < {{ $r.certificateExpiry.criticalDays }} * 86400
      for: {{ $r.certificateExpiry.for }}
      labels:
        severity: critical
        {{- with $extra }}{{ toYaml . | nindent 8 }}{{- end }}
      annotations:
        summary: ProxyGuard's serving certificate expires in less than {{ $r.certificateExpiry.criticalDays }} days.
        description: >-
          The certificate served by {{`{{ $labels.pod }}`}} in {{`{{ $labels.namespace }}`}} expires in
          {{`{{ $value | humanizeDuration }}`}}. Once it has expired, the API server can no longer call the webhook
          and ServiceEntry writes are refused. Renew it now.
        runbook_url: {{ $r.runbookUrl }}#proxyguardcertificateexpiring
    - alert: ProxyGuardWebhookErrors
      expr: |-
        sum by (namespace, job, webhook) (rate(proxyguard_admission_requests_total{outcome=~"error|refused"}[{{ $r.webhookErrors.window }}]))
          / sum by (namespace, job, webhook) (rate(proxyguard_admission_requests_total[{{ $r.webhookErrors.window }}]))
          > {{ $r.webhookErrors.ratio }}
      for: {{ $r.webhookErrors.for }}
      labels:
        severity: critical
        {{- with $extra }}{{ toYaml . | nindent 8 }}{{- end }}
      annotations:
        summary: ProxyGuard's {{`{{ $labels.webhook }}`}} webhook fails or refuses reviews.
        description: >-
          {{`{{ $value | humanizePercentage }}`}} of the answers of the {{`{{ $labels.webhook }}`}} webhook in
          {{`{{ $labels.namespace }}`}} were internal errors (500) or refusals (429) over {{ $r.webhookErrors.window }}; the API
          server then applies the webhook's failurePolicy. Read the logs for the errors and check CPU and --max-concurrent-reviews for refusals.
        runbook_url: {{ $r.runbookUrl }}#proxyguardwebhookerrors
    - alert: ProxyGuardWebhookSlow
      expr: |-
        histogram_quantile(0.99, sum by (namespace, job, webhook, le) (rate(proxyguard_admission_duration_seconds_bucket[{{ $r.webhookLatency.window }}])))
          > {{ .Values.webhooks.timeoutSeconds }} * {{ $r.webhookLatency.fractionOfTimeout }}
      for: {{ $r.webhookLatency.for }}
      labels:
        severity: warning
        {{- with $extra }}{{ toYaml . | nindent 8 }}{{- end }}
      annotations:
        summary: ProxyGuard's {{`{{ $labels.webhook }}`}} webhook answers close to the API server's timeout.
        description: >-
          The p99 review time of the {{`{{ $labels.webhook }}`}} webhook in {{`{{ $labels.namespace }}`}} is
          {{`{{ $value | humanizeDuration }}`}}, more than {{ $r.webhookLatency.fractionOfTimeout }} of the {{ .Values.webhooks.timeoutSeconds }}s the API
          server waits. Check CPU throttling and the size of the cluster view.
        runbook_url: {{ $r.runbookUrl }}#proxyguardwebhookslow
    - alert: ProxyGuardUnavailable
      expr: kube_deployment_status_replicas_available{namespace="{{ $ns }}", deployment="{{ $deployment }}"} == 0
      for: {{ $r.replicas.noneFor }}
      labels:
        severity: critical
        {{- with $extra }}{{ toYaml . | nindent 8 }}{{- end }}
      annotations:
        summary: No ProxyGuard replica is available.
        description: >-
          Deployment {{ $ns }}/{{ $deployment }} has no available replica: ServiceEntry writes are refused
          (failurePolicy Fail) and workloads go in unchecked. Follow the emergency runbook.
        runbook_url: {{ $r.runbookUrl }}#proxyguardunavailable
    - alert: ProxyGuardReplicasUnavailable
      {{- /* The webhook's Deployment and, when it runs apart, the audit's: an audit pod that never starts is otherwise silent. */}}
      {{- $deployments := $deployment }}
      {{- if include "proxyguard.auditDedicated" . }}{{ $deployments = printf "%s|%s-audit" $deployment $deployment }}{{ end }}
      expr: |-
        kube_deployment_status_replicas_available{namespace="{{ $ns }}", deployment=~"{{ $deployments }}"}
          < kube_deployment_spec_replicas{namespace="{{ $ns }}", deployment=~"{{ $deployments }}"}
      for: {{ $r.replicas.for }}
      labels:
        severity: warning
        {{- with $extra }}{{ toYaml . | nindent 8 }}{{- end }}
      annotations:
        summary: Fewer ProxyGuard replicas are available than desired.
        description: >-
          Deployment {{ $ns }}/{{`{{ $labels.deployment }}`}} has {{`{{ $value }}`}} available replicas, fewer than desired,
          for {{ $r.replicas.for }}. Look at the pods' events and readiness (/readyz says what is missing).
        runbook_url: {{ $r.runbookUrl }}#proxyguardreplicasunavailable
    {{- if eq .Values.certificates.mode "self-managed" }}
    - alert: ProxyGuardCertificateLeaderMissing
      expr: max by (namespace, job) (proxyguard_leader{role="certificates"}) < 1
      for: {{ $r.certificateLeader.for }}
      labels:
        severity: warning
        {{- with $extra }}{{ toYaml . | nindent 8 }}{{- end }}
      annotations:
        summary: No ProxyGuard replica leads the certificates.
        description: >-
          No replica in {{`{{ $labels.namespace }}`}} holds the Lease {{ $deployment }}-leader, so nobody renews the
          serving certificate or patches caBundle. Check the replicas' logs and their RBAC on Leases.
        runbook_url: {{ $r.runbookUrl }}#proxyguardcertificateleadermissing
    {{- end }}
    - alert: ProxyGuardConfigReloadFailing
      expr: proxyguard_config_last_reload_successful == 0
      for: {{ $r.configReload.for }}
      labels:
        severity: warning
        {{- with $extra }}{{ toYaml . | nindent 8 }}{{- end }}
      annotations:
        summary: ProxyGuard refuses its current configuration.
        description: >-
          {{`{{ $labels.pod }}`}} in {{`{{ $labels.namespace }}`}} could not load the configuration file as it is now and
          keeps judging with the previous one. Its log names the key at fault; fix the ConfigMap.
        runbook_url: {{ $r.runbookUrl }}#proxyguardconfigreloadfailing
    - alert: ProxyGuardClusterViewDegraded
      expr: min by (namespace, job, pod) (proxyguard_cluster_view_synced) == 0
      for: {{ $r.clusterViewDegraded.for }}
      labels:
        severity: warning
        {{- with $extra }}{{ toYaml . | nindent 8 }}{{- end }}
      annotations:
        summary: ProxyGuard judges with the stateless rules only.
        description: >-
          {{`{{ $labels.pod }}`}} in {{`{{ $labels.namespace }}`}} has not finished listing the cluster view
          (proxyguard_cluster_view_synced names the resources), so the checks that read other objects are silent there.
          Its /readyz detail and log say what is still listing; check its RBAC, the API server and its memory.
        runbook_url: {{ $r.runbookUrl }}#proxyguardclusterviewdegraded
    - alert: ProxyGuardProxyDown
      expr: proxyguard_proxy_up == 0
      for: {{ $r.proxyDown.for }}
      labels:
        severity: warning
        {{- with $extra }}{{ toYaml . | nindent 8 }}{{- end }}
      annotations:
        summary: The proxy {{`{{ $labels.proxy }}`}} fails ProxyGuard's probes.
        description: >-
          Probes from {{`{{ $labels.pod }}`}} through the proxy {{`{{ $labels.proxy }}`}} have failed for {{ $r.proxyDown.for }}:
          workloads that use it probably cannot reach the outside either. proxyguard_proxy_probe_failures_total says why
          (diagnosis label); `proxyguard probe` tells the same step by step.
        runbook_url: {{ $r.runbookUrl }}#proxyguardproxydown
- name: proxyguard-audit
  rules:
    - alert: ProxyGuardFindingsAtRest
      expr: |-
        sum by (namespace, job, rule) (max by (namespace, job, rule, severity) (proxyguard_audit_findings{severity=~"{{ $r.findingsAtRest.severities }}"})) > 0
      for: {{ $r.findingsAtRest.for }}
      labels:
        severity: warning
        {{- with $extra }}{{ toYaml . | nindent 8 }}{{- end }}
      annotations:
        summary: Objects in the cluster break ProxyGuard rule {{`{{ $labels.rule }}`}}.
        description: >-
          The background audit finds {{`{{ $value }}`}} objects that break {{`{{ $labels.rule }}`}}: they were written
          before the webhook, while it was out of the path, or have been broken by a change elsewhere. List them with
          `proxyguard audit` and fix them (docs/rules.md explains each rule).
        runbook_url: {{ $r.runbookUrl }}#proxyguardfindingsatrest
    - alert: ProxyGuardAuditStale
      expr: time() - max by (namespace, job) (proxyguard_audit_last_run_timestamp_seconds) > {{ $r.auditStale.maxAgeSeconds }}
      labels:
        severity: warning
        {{- with $extra }}{{ toYaml . | nindent 8 }}{{- end }}
      annotations:
        summary: ProxyGuard's background audit has not completed a run lately.
        description: >-
          The last audit run in {{`{{ $labels.namespace }}`}} ended {{`{{ $value | humanizeDuration }}`}} ago, so
          ProxyGuardFindingsAtRest no longer reflects the cluster. Check proxyguard_audit_errors_total and the leader's log.
        runbook_url: {{ $r.runbookUrl }}#proxyguardauditstale
{{- end }}

