{{- define "proxy-chart.labels" -}}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}
