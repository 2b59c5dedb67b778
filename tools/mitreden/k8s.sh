# shellcheck shell=bash
# mitreden: k8s-check and k8s-smoke. Sourced by ./mitreden (the one entry point), not run on its own.

# offline checks of the Helm chart and the kustomize manifests (k8s/check does the work)
cmd_k8s_check() {
  [[ -x $ROOT/k8s/check ]] || die "k8s/check is missing"
  "$ROOT/k8s/check" "$@"
}

# --- k8s-smoke ----------------------------------------------------------------------------------------------------
# The chart run for real on this machine (k8s/README.md "What ran"): a base image made with mmdebstrap plus this
# SDK's ASP.NET Core runtime, every component's image from `dotnet publish /t:PublishContainer` into a local registry
# (Debian's docker-registry), `helm template` turned into what `podman kube play` runs (k8s/podman-play.py), the
# migrations Jobs as pods, then the Deployments; PostgreSQL, Redis and RabbitMQ are this script's host processes.
# Podman keeps its images, containers and secrets in a store of its own under .state/k8s/cache (nothing global).
K8S_PACKAGES=(podman runc catatonit mmdebstrap docker-registry python3-yaml)
# the base image: Debian bookworm from Debian's packages; the ASP.NET Core runtime is copied in from the SDK's folder
K8S_BASE_PACKAGES=ca-certificates,fonts-dejavu-core,libgssapi-krb5-2,libicu72,libssl3,tzdata,zlib1g,libstdc++6  # fonts: the monitoring report PDF

k8s_env() { # Podman's configuration: runc (crun refuses this kernel's hybrid cgroups), limits we may set, own store
  local cache=$STATE/cache nofile nproc
  nofile=$(ulimit -Hn); nproc=$(ulimit -Hu)   # without CAP_SYS_RESOURCE no container may get more than we have
  [[ $nofile == unlimited ]] && nofile=1048576; [[ $nproc == unlimited ]] && nproc=65536
  ((nofile > 65536)) && nofile=65536; ((nproc > 16384)) && nproc=16384
  mkdir -p "$cache/podman" "$STATE/run"
  cat >"$STATE/containers.conf" <<CONF
[containers]
default_ulimits = ["nofile=$nofile:$nofile", "nproc=$nproc:$nproc"]
[engine]
runtime = "runc"
tmp_dir = "$STATE/run/libpod"
CONF
  cat >"$STATE/storage.conf" <<CONF
[storage]
driver = "overlay"
graphroot = "$cache/podman"
runroot = "$STATE/run/storage"
CONF
  export CONTAINERS_CONF=$STATE/containers.conf CONTAINERS_STORAGE_CONF=$STATE/storage.conf
  REGISTRY=127.0.0.1:$REGISTRY_PORT
  export SDK_CONTAINER_INSECURE_REGISTRIES=$REGISTRY DOTNET_CONTAINER_INSECURE_REGISTRIES=$REGISTRY   # plain HTTP on loopback
}

registry_start() {
  if pid_alive "$(pid_read registry)" docker-registry && port_open "$REGISTRY_PORT"; then return 0; fi
  port_open "$REGISTRY_PORT" && die "port $REGISTRY_PORT (image registry) is in use by another process"
  mkdir -p "$STATE/cache/registry"
  cat >"$STATE/registry.yml" <<CONF
version: 0.1
log: { level: warn }
storage:
  filesystem: { rootdirectory: "$STATE/cache/registry" }
  delete: { enabled: true }
http: { addr: "$REGISTRY" }
CONF
  launch registry "$LOGS/registry.log" docker-registry serve "$STATE/registry.yml"
  local i; for ((i = 0; i < 100; i++)); do [[ $(http_code "http://$REGISTRY/v2/") == 200 ]] && break; sleep 0.1; done
  [[ $(http_code "http://$REGISTRY/v2/") == 200 ]] || { show_tail "$LOGS/registry.log"; die "the image registry did not start"; }
  step registry "started (pid $(pid_read registry), $REGISTRY)"
}

# The base image, named after what is in it (runtime version, package list); built only when the registry lacks it.
k8s_base_image() {
  local dotnet_root rt key t0 log=$LOGS/base-image.log root
  dotnet_root=$(dirname "$(readlink -f "$(command -v dotnet)")")
  rt=$(ls "$dotnet_root/shared/Microsoft.AspNetCore.App" | grep '^10\.' | sort -V | tail -n1)
  [[ -n $rt && -d $dotnet_root/shared/Microsoft.NETCore.App/$rt && -d $dotnet_root/host/fxr/$rt ]] \
    || die "no ASP.NET Core 10 runtime with its host in $dotnet_root"
  key=$(printf '%s %s' "$K8S_BASE_PACKAGES" "$(sed -n '/^k8s_base_image()/,/^}/p' "$TOOLS_DIR/k8s.sh")" | sha256sum | cut -c1-8)
  BASE_IMAGE=$REGISTRY/mitreden/base:$rt-bookworm-$key
  if [[ $(curl -s -o /dev/null -w '%{http_code}' -H 'Accept: application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.v2+json' \
        "http://$REGISTRY/v2/mitreden/base/manifests/$rt-bookworm-$key") == 200 ]]; then
    step base "cached: ${BASE_IMAGE#*/}"; return 0
  fi
  t0=$(now_us); root=$STATE/run/base-root
  rm -rf "$root"
  local sources=() f   # the machine's own apt sources (mmdebstrap copies a .list/.sources file given as mirror)
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources; do
    [[ -s $f ]] && grep -q '^[^#]' "$f" && sources+=("$f")
  done
  ((${#sources[@]})) || die "no apt sources found for mmdebstrap"
  mmdebstrap --mode=root --variant=essential --include="$K8S_BASE_PACKAGES" \
    --dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-exclude=/usr/share/man/*' \
    --dpkgopt='path-exclude=/usr/share/locale/*' bookworm "$root" "${sources[@]}" </dev/null >"$log" 2>&1 \
    || { show_tail "$log"; die "mmdebstrap failed"; }
  mkdir -p "$root/usr/share/dotnet/shared" "$root/usr/share/dotnet/host/fxr" "$root/app"
  cp -a "$dotnet_root/dotnet" "$dotnet_root/LICENSE.txt" "$dotnet_root/ThirdPartyNotices.txt" "$root/usr/share/dotnet/"
  cp -a "$dotnet_root/host/fxr/$rt" "$root/usr/share/dotnet/host/fxr/"
  local fw; for fw in Microsoft.NETCore.App Microsoft.AspNetCore.App; do
    mkdir -p "$root/usr/share/dotnet/shared/$fw"; cp -a "$dotnet_root/shared/$fw/$rt" "$root/usr/share/dotnet/shared/$fw/"
  done
  ln -sf /usr/share/dotnet/dotnet "$root/usr/bin/dotnet"
  echo 'app:x:1654:1654:app:/app:/usr/sbin/nologin' >>"$root/etc/passwd"; echo 'app:x:1654:' >>"$root/etc/group"
  tar -C "$root" -c . | podman import -q \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'ENV DOTNET_ROOT=/usr/share/dotnet' --change 'ENV APP_UID=1654' \
    --change 'USER 1654' --change 'WORKDIR /app' - "localhost/mitreden/base:build" >>"$log" 2>&1 \
    || { show_tail "$log"; die "podman import failed"; }
  podman push -q --tls-verify=false localhost/mitreden/base:build "docker://$BASE_IMAGE" >>"$log" 2>&1 \
    || { show_tail "$log"; die "pushing the base image failed"; }
  podman rmi -f localhost/mitreden/base:build >/dev/null 2>&1 || true
  step base "built ${BASE_IMAGE#*/} ($(du -sh "$root" | cut -f1), $(since "$t0"))"
  rm -rf "$root"
}

# The chart's values for this machine: registry, servers on loopback, ports apart from other stacks, loopback binds.
k8s_values() {
  local f=$STATE/values-smoke.yaml name port svc
  {
    echo "image: { registry: \"$REGISTRY\", pullPolicy: Always }"
    echo "publicUrl: http://127.0.0.1:$GATEWAY_PORT"
    echo "rabbitmq: { host: 127.0.0.1, port: $AMQP_PORT, vhost: $STACK_VHOST }"
    echo "redis: { endpoints: [\"127.0.0.1:$REDIS_PORT\"] }"
    echo "databases:"
    for svc in "${SERVICES[@]}"; do echo "  $svc: { connectionStringSecret: mitreden-$svc-db-connection }"; done
    echo "components:"
    for name in gateway web identity proposals comments voting voting-consumer moderation; do
      port=$(comp_port "${name/voting-consumer/voting-2}")   # the consumer is a pod of its own: it needs a port of its own
      printf '  %s: { port: %s, env: { ASPNETCORE_URLS: "http://127.0.0.1:%s"' "$name" "$port" "$port"
      case $name in identity | proposals | comments | voting) printf ', Demo__Seed: "true"' ;; esac
      # The smoke signs in without a browser, through the test client with the password grant, which only these smoke
      # values register (the chart's defaults never do; a city's browsers sign in with the web's code flow).
      [[ $name == identity ]] && printf ', Identity__AllowTestClients: "true"'
      echo ' } }'
    done
  } >"$f"
}

# The Secrets a platform team would create (k8s/README.md), as JSON for podman-play.py and as Podman secrets.
k8s_secrets() {
  local f=$STATE/secrets.json svc pg
  pg="Port=$PG_PORT;Username=mitreden;Password=${SECRET[MITREDEN_PG_PASSWORD]}"
  (umask 077; {
    echo "{\"mitreden-rabbitmq-default-user\": {\"username\": \"mitreden\", \"password\": \"$(rabbit_pw)\"},"
    echo " \"mitreden-redis\": {\"password\": \"${SECRET[MITREDEN_REDIS_PASSWORD]}\"},"
    echo " \"mitreden-identity-keys\": {\"key-encryption-key\": \"${SECRET[Identity__KeyEncryptionKey]}\","
    echo "   \"signing-key-0\": $(/usr/bin/python3 -c 'import json, sys; print(json.dumps(open(sys.argv[1]).read()))' "$SIGNING_KEY_DIR/signing-0.pem")},"
    echo " \"mitreden-voting-keys\": {\"voter-key-secret\": \"${SECRET[Voting__VoterKeySecret]}\"},"
    echo " \"mitreden-web-client\": {\"client-secret\": \"${SECRET[MITREDEN_WEB_CLIENT_SECRET]}\"},"
    for svc in "${SERVICES[@]}"; do
      echo " \"mitreden-$svc-db-connection\": {\"connection-string\": \"Host=127.0.0.1;$pg;Database=mitreden_$svc\"},"
    done
    echo ' "": {}}'
  } >"$f")
  # kube play 4.3 reads a secretKeyRef from a Podman secret holding JSON with base64 values
  /usr/bin/python3 "$TOOLS_DIR/k8s-secrets.py" "$f" | while IFS=$'\t' read -r name value; do
    podman secret rm "$name" >/dev/null 2>&1 || true
    printf '%s' "$value" | podman secret create "$name" - >/dev/null || die "podman secret create $name failed"
  done
}

k8s_images() { # every image the rendered chart names: dotnet publish /t:PublishContainer into the registry
  local image repo tag comp t0 n=0 log args=(); t0=$(now_us)
  [[ -n ${MITREDEN_ARTIFACTS:-} ]] && args+=(--artifacts-path "$ARTIFACTS")
  for image in $(/usr/bin/python3 -c 'import json,sys; print(*json.load(open(sys.argv[1]))["images"])' "$STATE/play/plan.json"); do
    repo=${image#"$REGISTRY"/}; tag=${repo##*:}; repo=${repo%:*}; comp=${repo#mitreden/}
    log=$LOGS/publish-$comp.log
    dotnet publish "$ROOT/$(comp_project "$comp")" -c Release --no-build -nologo -v q "${args[@]}" /t:PublishContainer \
      -p:ContainerBaseImage="$BASE_IMAGE" -p:ContainerRegistry="$REGISTRY" -p:ContainerRepository="$repo" \
      -p:ContainerImageTag="$tag" -p:ContainerUser="$K8S_UID" >"$log" 2>&1 || { show_tail "$log"; die "publishing image $repo failed"; }
    n=$((n + 1))
  done
  K8S_IMAGES=$n
  step images "$n pushed to $REGISTRY ($(since "$t0"))"
}

k8s_logs() { # every container's output into $LOGS/pod-<container>.log
  local c; for c in $(podman ps -a --format '{{.Names}}' 2>/dev/null); do
    [[ $c == *-infra ]] && continue
    podman logs "$c" >"$LOGS/pod-$c.log" 2>&1 || true
  done
}

k8s_down() { # pods, secrets, servers, registry: each by what we recorded or own (our own Podman store)
  set_mode k8s
  [[ -d $STATE ]] || return 0
  if [[ -f $STATE/containers.conf ]] && command -v podman >/dev/null; then
    k8s_env
    k8s_logs
    local f; for f in apps jobs; do
      [[ -f $STATE/play/$f.yaml ]] && podman kube down "$STATE/play/$f.yaml" >/dev/null 2>&1 || true
    done
    local left; left=$(podman pod ps -q 2>/dev/null)
    [[ -n $left ]] && podman pod rm -f -t 10 $left >/dev/null 2>&1 || true
    podman secret rm --all >/dev/null 2>&1 || true
    podman image prune -f >/dev/null 2>&1 || true   # the images each run replaced: the cache stays one run's size
  fi
  servers_down
  stop_pid registry docker-registry 10
  [[ -f $STATE/registry.yml ]] && docker-registry garbage-collect --delete-untagged "$STATE/registry.yml" >/dev/null 2>&1 || true
  rm -f "$STATE/secrets.json" "$STATE/secrets.env" "$STATE/token.json" "$STATE/play/"*.yaml
}

k8s_job_run() { # the migrations Jobs' pods, side by side; a failed one starts again up to its backoffLimit (at most 3)
  local t0 rows name ctr limit tries rc i pending=() deadline; t0=$(now_us)
  podman kube play --network host --tls-verify=false --quiet "$STATE/play/jobs.yaml" >"$LOGS/kube-play-jobs.log" 2>&1 \
    || { show_tail "$LOGS/kube-play-jobs.log"; die "podman kube play (jobs) failed"; }
  mapfile -t rows < <(/usr/bin/python3 -c 'import json,sys
for j in json.load(open(sys.argv[1]))["jobs"]: print(j["name"], j["container"], j["backoffLimit"])' "$STATE/play/plan.json")
  declare -A tries=()
  pending=("${rows[@]}"); deadline=$((SECONDS + MIGRATE_TIMEOUT * 2))
  while ((${#pending[@]})); do
    local still=()
    for i in "${pending[@]}"; do
      read -r name ctr limit <<<"$i"
      case $(podman inspect -f '{{.State.Status}}' "$ctr" 2>/dev/null) in
        exited | stopped)
          rc=$(podman inspect -f '{{.State.ExitCode}}' "$ctr")
          if ((rc == 0)); then step job "$name completed ($(since "$t0"))"; continue; fi
          tries[$name]=$(( ${tries[$name]:-0} + 1 ))
          if ((tries[$name] > limit || tries[$name] > 3)); then
            podman logs "$ctr" 2>&1 | tail -n 30; die "job $name failed (exit $rc, ${tries[$name]} attempts)"
          fi
          warn "job $name exited $rc, starting it again"; podman start "$ctr" >/dev/null ;;
      esac
      still+=("$i")
    done
    pending=("${still[@]+"${still[@]}"}")
    ((${#pending[@]})) || break
    ((SECONDS < deadline)) || die "jobs not completed after $((MIGRATE_TIMEOUT * 2)) s: ${pending[*]%% *}"
    sleep 0.5
  done
}

k8s_pods_ready() { # every Deployment's pod: its readinessProbe answered 200, the check the kubelet does
  local t0 rows name ctr path port uid ro got i pending deadline; t0=$(now_us)
  podman kube play --network host --tls-verify=false --quiet "$STATE/play/apps.yaml" >"$LOGS/kube-play-apps.log" 2>&1 \
    || { show_tail "$LOGS/kube-play-apps.log"; die "podman kube play failed"; }
  mapfile -t rows < <(/usr/bin/python3 -c 'import json,sys
for d in json.load(open(sys.argv[1]))["deployments"]:
    print(d["name"], d["container"], d["readyPath"], d["readyPort"], d["runAsUser"], str(d["readOnlyRootFilesystem"]).lower())' "$STATE/play/plan.json")
  K8S_PODS=${#rows[@]}; K8S_READY=0; pending=("${rows[@]}"); deadline=$((SECONDS + READY_TIMEOUT))
  while ((${#pending[@]})); do
    local still=()
    for i in "${pending[@]}"; do
      read -r name ctr path port uid ro <<<"$i"
      if [[ $(http_code "http://127.0.0.1:$port$path" 2) == 200 ]]; then
        # what the securityContext asks for is what runs: the user, and the root file system read-only
        got=$(podman inspect -f '{{.Config.User}} {{.HostConfig.ReadonlyRootfs}}' "$ctr")
        [[ ${got%% *} == "$uid" || ${got%% *} == "$uid":* ]] && [[ ${got##* } == "$ro" ]] \
          || die "pod $name runs as '${got%% *}' with read-only root ${got##* }; the chart says $uid and $ro"
        K8S_READY=$((K8S_READY + 1)); step pod "$name ready, user ${got%% *}, read-only root $ro ($(since "$t0"))"; continue
      fi
      if [[ $(podman inspect -f '{{.State.Status}}' "$ctr" 2>/dev/null) != running ]]; then
        podman logs "$ctr" 2>&1 | tail -n 30; die "pod $name: container $ctr is not running"
      fi
      still+=("$i")
    done
    pending=("${still[@]+"${still[@]}"}")
    ((${#pending[@]})) || break
    if ((SECONDS >= deadline)); then
      for i in "${pending[@]}"; do read -r name ctr _ <<<"$i"; echo "--- $ctr"; podman logs "$ctr" 2>&1 | tail -n 20; done
      die "not ready after $READY_TIMEOUT s: ${pending[*]%% *}"
    fi
    sleep 0.5
  done
}

# Through the gateway only: the demo citizen votes on the demo approval ballot, staff closes it, the result counts it.
k8s_vote() {
  local gw="http://127.0.0.1:$GATEWAY_PORT" ballot=55555555-0000-0000-0000-000000000001 body option citizen staff i code status
  json() { /usr/bin/python3 -c 'import json,sys; d=json.load(sys.stdin)
for k in sys.argv[1].split("."): d=d[int(k)] if k.isdigit() else d[k]
print(d)' "$1"; }
  token() { # the password grant, as StackClient.PasswordGrantAsync does it
    curl -s -m 20 -o "$STATE/token.json" -X POST "$gw/api/identity/connect/token" --data-urlencode grant_type=password \
      --data-urlencode client_id=mitreden-test --data-urlencode "username=$1" --data-urlencode "password=Demo-Passwort-2026!"
    json access_token <"$STATE/token.json" 2>/dev/null || { head -c 400 "$STATE/token.json" >&2; echo >&2; return 1; }
  }
  citizen=$(token buerger@demo.mitreden.de) || die "the citizen's sign-in through the gateway failed"
  staff=$(token stadt@demo.mitreden.de) || die "staff's sign-in through the gateway failed"
  step sign-in "citizen and staff signed in through the gateway"
  option=$(curl -s -m 20 "$gw/api/voting/ballots/$ballot" | json options.0.optionId) || die "ballot $ballot not readable"
  code=$(curl -s -m 20 -o "$STATE/vote.json" -w '%{http_code}' -H "Authorization: Bearer $citizen" -H 'content-type: application/json' \
    -d "{\"selected\":[\"$option\"]}" "$gw/api/voting/ballots/$ballot/votes")
  [[ $code == 202 || $code == 200 || $code == 201 ]] || { cat "$STATE/vote.json"; echo; die "casting the vote answered $code"; }
  for ((i = 0; i < 60; i++)); do   # counted by the voting-consumer pod from the queue
    status=$(curl -s -m 10 -H "Authorization: Bearer $citizen" "$gw/api/voting/ballots/$ballot/votes/me" | json status 2>/dev/null) || true
    [[ $status == counted ]] && break; sleep 0.5
  done
  step vote "cast (HTTP $code), status: ${status:-unknown}"
  code=$(curl -s -m 60 -o "$STATE/close.json" -w '%{http_code}' -X POST -H "Authorization: Bearer $staff" "$gw/api/voting/ballots/$ballot/close")
  [[ $code == 200 || $code == 202 ]] || { cat "$STATE/close.json"; echo; die "closing the ballot answered $code"; }
  step close "ballot closed by staff (HTTP $code)"
  curl -s -m 20 "$gw/api/voting/ballots/$ballot/results" >"$STATE/results.json"
  local verdict summary
  IFS=$'\t' read -r verdict summary < <(/usr/bin/python3 "$TOOLS_DIR/k8s-vote-result.py" "$STATE/results.json" "$option") || true
  K8S_COUNTED=${verdict:-no}
  step result "${summary:-no result}"
}

cmd_k8s_smoke() {
  K8S_T0=$(now_us) K8S_IMAGES=0 K8S_READY=0 K8S_COUNTED=no
  ensure_packages "${K8S_PACKAGES[@]}"
  ensure_dotnet
  k8s_down >/dev/null 2>&1 || true
  set_mode k8s
  if [[ -L $STATE/postgres && $PG_DIR == "$PG_HOME"/* ]]; then rm -rf "${PG_DIR:?}"; fi   # every run starts with empty databases
  find "$STATE" -mindepth 1 -maxdepth 1 ! -name cache -exec rm -rf {} + 2>/dev/null || true   # fresh data, cached images
  make_dirs; ensure_secrets; k8s_env
  trap 'rc=$?; trap - EXIT; k8s_down >"$LOGS/down.log" 2>&1 || true; echo "k8s-smoke: $K8S_IMAGES images, $K8S_READY pods ready, vote counted=$K8S_COUNTED ($(since "$K8S_T0"))"; [[ $K8S_COUNTED == yes ]] || exit 1; exit $rc' EXIT
  "$SELF" k8s-check >"$LOGS/k8s-check.log" 2>&1 || { tail -n 20 "$LOGS/k8s-check.log"; die "k8s-check failed"; }
  step k8s-check "$(tail -n1 "$LOGS/k8s-check.log")"
  HELM=${MITREDEN_TOOLS:-$ROOT/.state/tools}/helm/helm
  export HELM_CACHE_HOME=$STATE/helm HELM_CONFIG_HOME=$STATE/helm HELM_DATA_HOME=$STATE/helm
  registry_start
  k8s_base_image
  rabbit_launch; pg_start; pg_setup; redis_start
  k8s_values; k8s_secrets
  "$HELM" template mitreden "$ROOT/helm/mitreden" --namespace mitreden -f "$STATE/values-smoke.yaml" >"$STATE/chart.yaml" \
    || die "helm template failed"
  /usr/bin/python3 "$ROOT/k8s/podman-play.py" "$STATE/chart.yaml" "$STATE/secrets.json" "$STATE/play" || die "k8s/podman-play.py failed"
  K8S_UID=$(sed -n 's/^ *runAsUser: \([0-9]*\)$/\1/p' "$STATE/chart.yaml" | sort -u)
  [[ $K8S_UID =~ ^[0-9]+$ ]] || die "the chart's pods do not agree on one runAsUser: $K8S_UID"
  step render "$(grep -c '^kind:' "$STATE/chart.yaml") objects; for Podman: $(/usr/bin/python3 -c 'import json,sys; p=json.load(open(sys.argv[1])); print(len(p["deployments"]), "Deployments,", len(p["jobs"]), "Jobs as pods; not run:", ", ".join(f"{k} {v}" for k, v in sorted(p["leftOut"].items())))' "$STATE/play/plan.json")"
  build
  k8s_images
  rabbit_ready
  k8s_job_run
  k8s_pods_ready
  k8s_vote
}
