{{/* The namespace of service number .index: team-<n>, .perNamespace services to a namespace. */}}
{{- define "mesh.namespace" -}}
team-{{ div .index .perNamespace }}
{{- end }}
