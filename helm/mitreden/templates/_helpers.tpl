{{/*
Helpers shared by every template. Each template renders one kind and loops over .Values.components;
a component's settings are .Values.defaults deep-merged with .Values.components.<name> ("mitreden.resolve").
*/}}

{{- define "mitreden.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "mitreden.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 40 | trimSuffix "-" -}}
{{- else if contains (include "mitreden.name" .) .Release.Name -}}
{{- .Release.Name | trunc 40 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name (include "mitreden.name" .) | trunc 40 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{/* Object name of a component: <fullname>-<component>. Args: root, name. */}}
{{- define "mitreden.componentName" -}}
{{- printf "%s-%s" (include "mitreden.fullname" .root) .name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Selector labels. Args: root, name. */}}
{{- define "mitreden.selectorLabels" -}}
app.kubernetes.io/name: {{ include "mitreden.name" .root }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .name }}
{{- end -}}

{{/* Labels of every object. Args: root, name (component, may be empty). */}}
{{- define "mitreden.labels" -}}
{{- if .name -}}
{{ include "mitreden.selectorLabels" . }}
{{- else -}}
app.kubernetes.io/name: {{ include "mitreden.name" .root }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
{{- end }}
app.kubernetes.io/part-of: mitreden
app.kubernetes.io/version: {{ .root.Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .root.Chart.Name .root.Chart.Version | replace "+" "_" }}
{{- end -}}

{{/*
Labels that the platform's NetworkPolicies (k8s/base) and the chart's own select on: which database, broker
and cache a pod may reach. Args: c (resolved component).
*/}}
{{- define "mitreden.accessLabels" -}}
{{- with .c.database }}
mitreden.de/database: {{ . }}
{{- end }}
{{- if .c.rabbitmq }}
mitreden.de/rabbitmq-client: "true"
{{- end }}
{{- if .c.redis }}
mitreden.de/redis-client: "true"
{{- end }}
{{- end -}}

{{/* Deep merge of src into dst (dst is changed). Unlike mergeOverwrite, false, 0 and "" in src do win. */}}
{{- define "mitreden.merge" -}}
{{- $dst := .dst -}}
{{- range $k, $v := .src -}}
{{- if and (hasKey $dst $k) (kindIs "map" $v) (kindIs "map" (get $dst $k)) -}}
{{- include "mitreden.merge" (dict "dst" (get $dst $k) "src" $v) -}}
{{- else -}}
{{- $_ := set $dst $k $v -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/*
Resolves one component: .Values.defaults deep-merged with .Values.components.<name>; the result is put into
the passed dict under "c". Usage: {{- $r := dict "root" $ "name" $name }}{{- include "mitreden.resolve" $r }} then $r.c
*/}}
{{- define "mitreden.resolve" -}}
{{- $component := index .root.Values.components .name -}}
{{- if not $component -}}
{{- fail (printf "components.%s is referenced but not defined" .name) -}}
{{- end -}}
{{- $c := deepCopy .root.Values.defaults -}}
{{- include "mitreden.merge" (dict "dst" $c "src" (deepCopy $component)) -}}
{{- if and $c.database (not (hasKey .root.Values.databases $c.database)) -}}
{{- fail (printf "components.%s.database: %q is not a key of databases" .name $c.database) -}}
{{- end -}}
{{- $_ := set . "c" $c -}}
{{- end -}}

{{/* Image reference. Args: root, c. */}}
{{- define "mitreden.image" -}}
{{- $registry := .root.Values.image.registry -}}
{{- $tag := .c.image.tag | default .root.Values.image.tag | default .root.Chart.AppVersion -}}
{{- if $registry -}}
{{- printf "%s/%s:%s" (trimSuffix "/" $registry) .c.image.repository $tag -}}
{{- else -}}
{{- printf "%s:%s" .c.image.repository $tag -}}
{{- end -}}
{{- end -}}

{{/* In-cluster base URL of a component's Service. Args: root, name. */}}
{{- define "mitreden.url" -}}
{{- $r := dict "root" .root "name" .name -}}
{{- include "mitreden.resolve" $r -}}
{{- printf "http://%s:%v" (include "mitreden.componentName" $r) $r.c.port -}}
{{- end -}}

{{/*
Non-secret configuration of a component as a YAML map (env var name -> string): the ConfigMap's data, and the
migrations Job's env (a pre-install hook runs before the ConfigMaps exist). Args: root, name, c.
*/}}
{{- define "mitreden.config" -}}
{{- $v := .root.Values -}}
{{- $config := dict -}}
{{- $_ := set $config "ASPNETCORE_URLS" (printf "http://+:%v" .c.port) -}}
{{- $_ := set $config "ASPNETCORE_ENVIRONMENT" $v.environment -}}
{{- $_ := set $config "Logging__Console__FormatterName" "json" -}}
{{- $_ := set $config "Auth__Issuer" (printf "%s/api/identity" (trimSuffix "/" $v.publicUrl)) -}}
{{- $_ := set $config "Auth__Audience" (.c.audience | default (printf "mitreden-%s" .name)) -}}
{{- $_ := set $config "Auth__MetadataAddress" (printf "%s/.well-known/openid-configuration" (include "mitreden.url" (dict "root" .root "name" "identity"))) -}}
{{- /* identity's in-cluster Service speaks plain HTTP (like every Service here); the NetworkPolicy limits who reaches it */ -}}
{{- $_ := set $config "Auth__RequireHttpsMetadata" "false" -}}
{{- if .c.database -}}
{{- $_ := set $config "Database__MigrateOnStart" "false" -}}
{{- end -}}
{{- if eq .name "identity" -}}
{{- /* the web signs in with the code flow: where Identity may send the browser back (sign-in, sign-out) */ -}}
{{- $_ := set $config "Identity__WebClient__RedirectUris__0" (printf "%s/signin-oidc" (trimSuffix "/" $v.publicUrl)) -}}
{{- $_ := set $config "Identity__WebClient__PostLogoutRedirectUris__0" (printf "%s/signout-callback-oidc" (trimSuffix "/" $v.publicUrl)) -}}
{{- end -}}
{{- range .c.talksTo -}}
{{- $_ := set $config (printf "Services__%s" .) (include "mitreden.url" (dict "root" $.root "name" .)) -}}
{{- end -}}
{{- with $v.otlpEndpoint -}}
{{- $_ := set $config "OTEL_EXPORTER_OTLP_ENDPOINT" . -}}
{{- end -}}
{{- range $k, $val := .c.env -}}
{{- $_ := set $config $k (toString $val) -}}
{{- end -}}
{{- toYaml $config -}}
{{- end -}}

{{/*
Env entries built from Secrets (never values): database, RabbitMQ and Redis credentials composed into the
ConnectionStrings__* the services read, and the component's secretEnv. Kubernetes expands $(VAR) from entries
defined earlier in the same list. Args: root, name, c, direct (optional: the database's own -rw Service).
*/}}
{{- define "mitreden.secretEnv" -}}
{{- $v := .root.Values -}}
{{- $direct := .direct | default false -}}
{{- with .c.database }}
{{- $db := index $v.databases . }}
{{- if $db.connectionStringSecret }}
- name: ConnectionStrings__postgres
  valueFrom:
    secretKeyRef:
      name: {{ $db.connectionStringSecret }}
      key: connection-string
{{- else }}
- name: POSTGRES_USERNAME
  valueFrom:
    secretKeyRef:
      name: {{ $db.existingSecret | default (printf "%s-app" $db.cluster) }}
      key: username
- name: POSTGRES_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ $db.existingSecret | default (printf "%s-app" $db.cluster) }}
      key: password
- name: ConnectionStrings__postgres
  {{- /* direct: the migrations Job bypasses a pooler (EF Core migrations need a session, not a PgBouncer transaction). */}}
  {{- $host := ternary (printf "%s-rw" $db.cluster) ($db.host | default (printf "%s-rw" $db.cluster)) $direct }}
  {{- $port := ternary 5432 ($db.port | default 5432) $direct }}
  value: {{ printf "Host=%s;Port=%v;Database=%s;Username=$(POSTGRES_USERNAME);Password=$(POSTGRES_PASSWORD)%s" $host $port $db.database (ternary (printf ";%s" $db.options) "" (not (empty $db.options))) | quote }}
{{- end }}
{{- end }}
{{- if .c.rabbitmq }}
- name: RABBITMQ_USERNAME
  valueFrom:
    secretKeyRef:
      name: {{ $v.rabbitmq.existingSecret }}
      key: username
- name: RABBITMQ_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ $v.rabbitmq.existingSecret }}
      key: password
- name: ConnectionStrings__rabbitmq
  value: {{ printf "amqp://$(RABBITMQ_USERNAME):$(RABBITMQ_PASSWORD)@%s:%v/%s" $v.rabbitmq.host $v.rabbitmq.port ($v.rabbitmq.vhost | urlquery) | quote }}
{{- end }}
{{- if .c.redis }}
- name: REDIS_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ $v.redis.existingSecret }}
      key: {{ $v.redis.passwordKey }}
- name: ConnectionStrings__redis
  value: {{ printf "%s,password=$(REDIS_PASSWORD)" (join "," $v.redis.endpoints) | quote }}
{{- end }}
{{- range $name, $ref := .c.secretEnv }}
- name: {{ $name }}
  valueFrom:
    secretKeyRef:
      name: {{ $ref.existingSecret }}
      key: {{ $ref.key }}
{{- end }}
{{- end -}}

{{- define "mitreden.podSecurityContext" -}}
runAsNonRoot: true
runAsUser: 1654
runAsGroup: 1654
fsGroup: 1654
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{- define "mitreden.containerSecurityContext" -}}
runAsNonRoot: true
runAsUser: 1654
allowPrivilegeEscalation: false
readOnlyRootFilesystem: true
privileged: false
capabilities:
  drop: [ALL]
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{/* Names of the enabled components, sorted (range over a map is sorted too). */}}
{{- define "mitreden.enabledComponents" -}}
{{- $names := list -}}
{{- range $name, $_ := .Values.components -}}
{{- $r := dict "root" $ "name" $name -}}
{{- include "mitreden.resolve" $r -}}
{{- if $r.c.enabled -}}{{- $names = append $names $name -}}{{- end -}}
{{- end -}}
{{- toJson $names -}}
{{- end -}}

{{/* NetworkPolicy peers. platformPeer args: labels, namespace (empty: the release namespace). */}}
{{- define "mitreden.platformPeer" -}}
- podSelector:
    matchLabels:
      {{- toYaml .labels | nindent 6 }}
  {{- with .namespace }}
  namespaceSelector:
    matchLabels:
      kubernetes.io/metadata.name: {{ . }}
  {{- end }}
{{- end }}
{{- define "mitreden.dnsEgress" -}}
- to:
    - namespaceSelector:
        matchLabels:
          kubernetes.io/metadata.name: {{ .dnsNamespace }}
      podSelector:
        matchLabels:
          {{- toYaml .dnsPodLabels | nindent 10 }}
  ports:
    - { protocol: UDP, port: 53 }
    - { protocol: TCP, port: 53 }
{{- end }}
{{- define "mitreden.databaseEgress" -}}
{{- $db := index .root.Values.databases .database -}}
- to:
    {{- $labels := ternary (dict "cnpg.io/cluster" $db.cluster) ($db.podLabels | default (dict "cnpg.io/cluster" $db.cluster)) (.direct | default false) }}
    {{- include "mitreden.platformPeer" (dict "labels" $labels "namespace" .root.Values.networkPolicy.platformNamespace) | nindent 4 }}
  ports:
    - { protocol: TCP, port: {{ ternary 5432 ($db.port | default 5432) (.direct | default false) }} }
{{- end }}
