# shellcheck shell=bash
# mitreden: the build, the components (environment, start, migrations, stop) and the Aspire dashboard. Sourced by ./mitreden (the one entry point), not run on its own.

# ---------------------------------------------------------------------------------------------------
# build and components
# ---------------------------------------------------------------------------------------------------
build() {
  if [[ ${MITREDEN_SKIP_BUILD:-} == 1 ]]; then step build "skipped (MITREDEN_SKIP_BUILD=1)"; return 0; fi
  if [[ ! -f $ROOT/Mitreden.slnx && ${MITREDEN_INFRA_ONLY:-} == 1 ]]; then
    step build "skipped (Mitreden.slnx missing, MITREDEN_INFRA_ONLY=1)"; return 0
  fi
  local t0 log=$LOGS/build.log args=(); t0=$(now_us)
  [[ -n ${MITREDEN_ARTIFACTS:-} ]] && args+=(--artifacts-path "$ARTIFACTS")
  if ! dotnet build "$ROOT/Mitreden.slnx" -c Release -nologo -v q "${args[@]}" >"$log" 2>&1; then
    grep -E ': (error|warning) [A-Z]+[0-9]+' "$log" | sed 's/^ *//' | sort -u | head -n 60 || true
    show_tail "$log" 15
    die "dotnet build failed (full log: ${log#"$ROOT"/})"
  fi
  step build "ok ($(since "$t0"))"
}

comp_project() {
  case $1 in
    gateway) echo gateway/Mitreden.Gateway ;;
    web) echo services/Web/Mitreden.Web ;;
    identity) echo services/Identity/Mitreden.Identity.Api ;;
    proposals) echo services/Proposals/Mitreden.Proposals.Api ;;
    comments) echo services/Comments/Mitreden.Comments.Api ;;
    voting | voting-2) echo services/Voting/Mitreden.Voting.Api ;;
    moderation) echo services/Moderation/Mitreden.Moderation.Api ;;
    *) return 1 ;;
  esac
}
comp_port() { # name -> its port in this stack: tools/mitreden/ports plus the mode's offset (the gateway's own in `up`)
  case $1 in
    gateway) echo "$GATEWAY_PORT" ;;
    *) [[ -n ${PORTS[$1]:-} ]] || return 1; echo $((PORTS[$1] + OFF)) ;;
  esac
}
comp_dll() { local p; p=$(basename "$(comp_project "$1")"); echo "$ARTIFACTS/bin/$p/release/$p.dll"; }
comp_url() { echo "http://127.0.0.1:$(comp_port "$1")"; }

comp_env() { # name -> CENV array (environment of that component)
  local name=$1 svc=${1%-2} s
  local env_name=Production
  [[ ${DEV:-0} == 1 ]] && env_name=Development
  CENV=(
    ASPNETCORE_URLS="$(comp_url "$name")" ASPNETCORE_ENVIRONMENT="$env_name"
    ConnectionStrings__redis="127.0.0.1:$REDIS_PORT"
    ConnectionStrings__rabbitmq="amqp://mitreden:$(rabbit_pw)@127.0.0.1:$AMQP_PORT/$(urlenc "$STACK_VHOST")"
    Auth__Issuer="http://127.0.0.1:$GATEWAY_PORT/api/identity"
    Auth__Audience="mitreden-$svc"
    Auth__MetadataAddress="$(comp_url identity)/.well-known/openid-configuration"
    Database__MigrateOnStart=true Demo__Seed="$SEED_DEMO"
    Identity__KeyEncryptionKey="${SECRET[Identity__KeyEncryptionKey]}"
    Voting__VoterKeySecret="${SECRET[Voting__VoterKeySecret]}"
    Mail__PickupDirectory="$STATE/mail"
    Logging__Console__FormatterName=json
    MITREDEN_INSTANCE="$name"
  )
  if ((TEST_SETTINGS)); then
    # The suite signs in as a bootstrap admin (created by Identity at start) and prepares voters through
    # Identity's test-voter endpoint; neither exists outside test and bench runs.
    # The test client (password grant for test drivers) exists only here and in bench/faults runs, never in the chart.
    CENV+=(Identity__AllowTestVoters=true Identity__AllowTestClients=true
      Identity__BootstrapAdmin__Email="$TEST_ADMIN_EMAIL" Identity__BootstrapAdmin__Password="$TEST_ADMIN_PASSWORD"
      Proposals__PhaseClockInterval=00:00:01
      Docs__Enabled=true) # the suite reads the OpenAPI documents and API reference pages through the gateway
  fi
  if [[ $svc == identity ]]; then   # the signing keys: signing-0.pem, or what the key-rollover fault configured
    local keys=()
    [[ -s $STATE/identity-keys/keys.env ]] && mapfile -t keys <"$STATE/identity-keys/keys.env"
    ((${#keys[@]})) || keys=(Identity__SigningKeys__0__Path="$STATE/identity-keys/signing-0.pem")
    CENV+=("${keys[@]}")
  fi
  # The web, a confidential client of the code flow: its secret, and where Identity may send the browser back.
  [[ $svc == identity ]] && CENV+=("Identity__WebClient__Secret=${SECRET[MITREDEN_WEB_CLIENT_SECRET]}"
    "Identity__WebClient__RedirectUris__0=http://127.0.0.1:$GATEWAY_PORT/signin-oidc"
    "Identity__WebClient__PostLogoutRedirectUris__0=http://127.0.0.1:$GATEWAY_PORT/signout-callback-oidc")
  [[ $svc == web ]] && CENV+=(Web__ClientSecret="${SECRET[MITREDEN_WEB_CLIENT_SECRET]}")
  # Test stacks never ask a tile server on the internet: every map tile is the web's own grey 1x1 picture.
  [[ $svc == web && $MODE == test ]] && CENV+=("Web__Map__TileUrl=http://127.0.0.1:$GATEWAY_PORT/img/map-test-tile.png?z={z}&x={x}&y={y}"
    "Web__Map__Attribution=Testkacheln")
  # Identity's mails go to this stack's smtp4dev when it runs (plain SMTP on loopback; production keeps TLS), else
  # into Mail__PickupDirectory
  [[ $svc == identity ]] && smtp4dev_running && CENV+=(Mail__Smtp__Host=127.0.0.1
    "Mail__Smtp__Port=$(comp_port smtp4dev-smtp)" Mail__Smtp__EnableSsl=false)
  case $svc in web | gateway) ;; *)
    CENV+=(ConnectionStrings__postgres="Host=127.0.0.1;Port=$PG_PORT;Database=mitreden_$svc;Username=mitreden;Password=${SECRET[MITREDEN_PG_PASSWORD]};Maximum Pool Size=${PG_BUDGET[$svc]}") ;;
  esac
  for s in identity proposals comments moderation web gateway; do CENV+=("Services__$s=$(comp_url "$s")"); done
  if [[ $name == gateway ]]; then CENV+=("Services__voting=$(comp_url voting);$(comp_url voting-2)")
  else CENV+=("Services__voting=$(comp_url voting)"); fi
  if [[ ${OTLP_EXPORT:-0} == 1 ]]; then   # with nothing listening there, exports fail quietly in the background
    CENV+=(OTEL_EXPORTER_OTLP_ENDPOINT="http://127.0.0.1:$(comp_port otlp)"
      OTEL_BSP_SCHEDULE_DELAY=2000 OTEL_BLRP_SCHEDULE_DELAY=2000 OTEL_METRIC_EXPORT_INTERVAL=10000)
  fi
}

comp_running() { pid_alive "$(pid_read "$1")" "$(basename "$(comp_dll "$1")")"; }

comp_start() { # name -> 0 started/running, 2 skipped (INFRA_ONLY and not built)
  local name=$1 dll port; dll=$(comp_dll "$name"); port=$(comp_port "$name")
  if comp_running "$name"; then step "$name" "already running (pid $(pid_read "$name"), :$port)"; return 0; fi
  if [[ ! -f $dll ]]; then
    if [[ ${MITREDEN_INFRA_ONLY:-} == 1 ]]; then step "$name" "component $name not built, skipping"; return 2; fi
    die "component $name not built: ${dll#"$ROOT"/} missing"
  fi
  port_open "$port" && die "port $port ($name) is in use by another process"
  comp_env "$name"
  launch "$name" "$LOGS/$name.log" env -C "$(dirname "$dll")" "${CENV[@]}" dotnet "$dll"
  step "$name" "starting (pid $(pid_read "$name"), :$port)"
}

# Each service's migrations job (--migrate-only, as the chart runs it), side by side: databases migrated and every
# consumer's queue and binding declared before any component starts, so nothing published at start (the demo seed,
# a service that comes up before its consumers) is dropped by an exchange no queue is bound to yet.
components_migrate() {
  local svc dll i rc t0 attempt pids names todo=() failed; t0=$(now_us)
  for svc in "${SERVICES[@]}"; do
    comp_running "$svc" && continue
    [[ -f $(comp_dll "$svc") ]] && todo+=("$svc")   # comp_start reports a missing one
  done
  ((${#todo[@]})) || return 0
  local all=("${todo[@]}")
  # Each job is bounded: MassTransit's topology deployment can hang for ever on a start/stop race, which the job
  # itself cuts off after 60 s (exit 75); `timeout` is the backstop. A job cut off either way runs again.
  for attempt in 1 2 3; do
    pids=() names=() failed=()
    for svc in "${todo[@]}"; do
      dll=$(comp_dll "$svc"); comp_env "$svc"
      printf '==== %s start %s --migrate-only (attempt %d)\n' "$(date '+%F %T')" "$svc" "$attempt" >>"$LOGS/$svc.log"
      timeout -k 10 "$MIGRATE_TIMEOUT" env -C "$(dirname "$dll")" "${CENV[@]}" dotnet "$dll" --migrate-only \
        </dev/null >>"$LOGS/$svc.log" 2>&1 &
      pids+=($!); names+=("$svc")
    done
    for i in "${!pids[@]}"; do
      rc=0; wait "${pids[i]}" || rc=$?
      case $rc in
        0) ;;
        75 | 124 | 137) warn "${names[i]} --migrate-only did not finish (exit $rc, attempt $attempt of 3)"; failed+=("${names[i]}") ;;
        *) show_tail "$LOGS/${names[i]}.log"; die "${names[i]} --migrate-only failed (exit $rc)" ;;
      esac
    done
    ((${#failed[@]})) || break
    todo=("${failed[@]}")
  done
  if ((${#failed[@]})); then
    for svc in "${failed[@]}"; do show_tail "$LOGS/$svc.log"; done
    die "--migrate-only did not finish in 3 attempts: ${failed[*]}"
  fi
  step migrate "${all[*]}: databases migrated, queues declared ($(since "$t0"))"
}

components_up() { # starts in order; voting-2 only after voting is ready; waits for /health/ready
  local t0 name rc deadline pending=() waiting_v2=0
  components_migrate
  t0=$(now_us); deadline=$((SECONDS + READY_TIMEOUT))
  for name in "${COMPONENTS[@]}"; do
    if [[ $name == voting-2 ]] && ((waiting_v2 == 1)); then continue; fi
    rc=0; comp_start "$name" || rc=$?
    ((rc == 0)) && pending+=("$name")
    [[ $name == voting && $rc == 0 ]] && waiting_v2=1   # voting-2 starts once voting is ready
  done
  while ((${#pending[@]})); do
    local still=()
    for name in "${pending[@]}"; do
      if [[ $(http_code "$(comp_url "$name")/health/ready" 2) == 200 ]]; then
        step "$name" "ready ($(since "$t0"))"
        if [[ $name == voting && $waiting_v2 == 1 ]]; then
          waiting_v2=0; rc=0; comp_start voting-2 || rc=$?; ((rc == 0)) && still+=(voting-2)
        fi
      elif ! comp_running "$name"; then
        show_tail "$LOGS/$name.log"; die "$name exited during startup"
      else
        still+=("$name")
      fi
    done
    pending=("${still[@]+"${still[@]}"}")
    ((${#pending[@]})) || break
    if ((SECONDS >= deadline)); then
      for name in "${pending[@]}"; do show_tail "$LOGS/$name.log"; done
      die "not ready after ${READY_TIMEOUT} s: ${pending[*]}"
    fi
    sleep 0.5
  done
}

components_down() {
  local i name
  stop_pid dashboard Aspire.Dashboard 10
  for ((i = ${#COMPONENTS[@]} - 1; i >= 0; i--)); do
    name=${COMPONENTS[i]}
    stop_pid "$name" "$(basename "$(comp_dll "$name")")" 20
  done
}

# ---------------------------------------------------------------------------------------------------
# the .NET Aspire dashboard: the standalone binary inside a NuGet package (no Docker), restored by a project that
# exists only for that (.config/dashboard); it listens on 127.0.0.1 only
# ---------------------------------------------------------------------------------------------------
DASHBOARD_PROJECT=$ROOT/.config/dashboard/Mitreden.Dashboard.csproj
dashboard_bin() { # the binary's path in the NuGet cache (version from the project, the one place it is named)
  local v; v=$(sed -n 's/.*"Aspire.Dashboard.Sdk.linux-x64" Version="\[\([^]]*\)\]".*/\1/p' "$DASHBOARD_PROJECT")
  echo "${NUGET_PACKAGES:-$HOME/.nuget/packages}/aspire.dashboard.sdk.linux-x64/$v/tools/Aspire.Dashboard"
}
dashboard_ensure() {
  [[ -x $(dashboard_bin) ]] && return 0
  local t0 log=$LOGS/dashboard-restore.log args=(); t0=$(now_us)
  [[ -n ${MITREDEN_ARTIFACTS:-} ]] && args+=(--artifacts-path "$ARTIFACTS")
  dotnet restore "$DASHBOARD_PROJECT" -nologo -v q "${args[@]}" >"$log" 2>&1 || { show_tail "$log" 15; die "restoring the dashboard failed"; }
  [[ -x $(dashboard_bin) ]] || die "the dashboard binary is missing after the restore: $(dashboard_bin)"
  step dashboard "restored ($(since "$t0"))"
}
dashboard_url() { # with the sign-in token: the page asks for it once, then keeps a cookie
  echo "http://127.0.0.1:$(comp_port dashboard)/login?t=$(cat "$STATE/dashboard.token" 2>/dev/null)"
}
dashboard_ready() { [[ $(http_code "http://127.0.0.1:$(comp_port dashboard)/health" 2) == 200 ]]; }
dashboard_start() {
  local port otlp i; port=$(comp_port dashboard); otlp=$(comp_port otlp)
  if pid_alive "$(pid_read dashboard)" Aspire.Dashboard; then
    step dashboard "already running (pid $(pid_read dashboard), :$port)"; return 0
  fi
  port_open "$port" && die "port $port (dashboard) is in use by another process"
  port_open "$otlp" && die "port $otlp (dashboard OTLP) is in use by another process"
  dashboard_ensure
  [[ -s $STATE/dashboard.token ]] || (umask 077; rand_hex 16 >"$STATE/dashboard.token")
  launch dashboard "$LOGS/dashboard.log" env -C "$STATE" ASPNETCORE_URLS="http://127.0.0.1:$port" \
    DOTNET_DASHBOARD_OTLP_ENDPOINT_URL="http://127.0.0.1:$otlp" ASPIRE_ALLOW_UNSECURED_TRANSPORT=true \
    Dashboard__Frontend__AuthMode=BrowserToken Dashboard__Frontend__BrowserToken="$(cat "$STATE/dashboard.token")" \
    Dashboard__Otlp__AuthMode=Unsecured "$(dashboard_bin)"
  for ((i = 0; i < 300; i++)); do dashboard_ready && break; sleep 0.1; done
  dashboard_ready || { show_tail "$LOGS/dashboard.log"; die "the dashboard did not start"; }
  step dashboard "ready (pid $(pid_read dashboard), :$port, OTLP :$otlp)"
}
