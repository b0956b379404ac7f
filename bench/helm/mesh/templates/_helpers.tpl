{{/* The namespace of service number . (an int): team-<n>, servicesPerNamespace services each. */}}
{{- define "mesh.namespace" -}}
team-{{ div .index .perNamespace }}
{{- end }}
