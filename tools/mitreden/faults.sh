# shellcheck shell=bash
# mitreden: faults and faults-inject. Sourced by ./mitreden (the one entry point), not run on its own.

# --- faults -----------------------------------------------------------------------------------------
# ./mitreden faults [--quick] [--only a,b] [--tsv FILE]: each fault under a steady vote load from the load driver
# (one ballot per fault, the same test voters), on a stack of its own (mode `faults`: PostgreSQL, Redis, a 3-node
# RabbitMQ cluster with the quorum queues, the components with API-only Voting instances voting and voting-2,
# and the vote consumer as its own process, voting-consumer). The driver runs the fault's actions (`faults-inject`
# below, which also does what a supervisor would: restart what was killed) one after another into the load and
# checks afterwards that every accepted vote is counted once, the live tally = a recount and the close agrees;
# this script checks that nothing went to the error queue but the poison. Last line:
# faults=N survived=N lost=N duplicated=N (exit 1 if a fault was not survived).
FAULTS_ALL=(api-kill consumer-kill rabbit-leader-kill redis-restart redis-wipe-close postgres-restart poison identity-stop key-rollover)
FAULTS_NO_FAILED_VOTES=(identity-stop key-rollover)   # the vote path does not need Identity: not one vote may fail
FAULTS_QUICK=(api-kill consumer-kill redis-restart redis-wipe-close poison)   # `test` runs these (≈ 5 min with the stack's start)

faults_mode() { # set_mode faults, the cluster's base ports; the rabbit globals point at node 1
  set_mode faults
  FAULT_NODE_BASE=${RABBIT_NODE%-1@localhost}; FAULT_AMQP_BASE=$AMQP_PORT; FAULT_MGMT_BASE=$MGMT_PORT
  fnode 1
}
fnode() { # i: point RABBIT_DIR/RABBIT_NODE/AMQP_PORT/MGMT_PORT/DIST_PORT (rabbit_env, rmq_ctl, mgmt) at node i
  RABBIT_DIR=$STATE/rabbit-$1; RABBIT_NODE=$FAULT_NODE_BASE-$1@localhost
  AMQP_PORT=$((FAULT_AMQP_BASE + $1 - 1)); MGMT_PORT=$((FAULT_MGMT_BASE + $1 - 1)); DIST_PORT=$((AMQP_PORT + 20000))
}
faults_env() { # what every component of this stack inherits (comp_env sets the rest)
  load_secrets
  export Identity__AllowTestVoters=true Identity__AllowTestClients=true
  export Gateway__RateLimits__PerClientPerSecond=1000000 Gateway__RateLimits__PerClientBurst=1000000
  export Gateway__RateLimits__AnonymousPerSecond=1000000 Gateway__RateLimits__AnonymousBurst=1000000
  export Gateway__RateLimits__VotesPerUserPerMinute=1000000 Gateway__RateLimits__VotesPerUserBurst=1000000
  export Gateway__RateLimits__VotesPerAddressPerMinute=1000000 Gateway__RateLimits__VotesPerAddressBurst=1000000
  export Gateway__RateLimits__CredentialsPerMinute=1000000
  export Voting__Consumer__Enabled=false   # API-only instances; voting-consumer turns it on for itself
  # all three nodes, for the vote path (VoteQueue) and MassTransit (ServiceDefaults): reconnect to any live one
  export RabbitMq__Nodes="127.0.0.1:$FAULT_AMQP_BASE,127.0.0.1:$((FAULT_AMQP_BASE + 1)),127.0.0.1:$((FAULT_AMQP_BASE + 2))"
}

# RabbitMQ cluster: three nodes (rabbit-1..3), one cookie, classic_config peer discovery, one private epmd.
fr_launch() { # i: boots node i without waiting
  local i=$1 j p
  fnode "$i"
  if pid_alive "$(pid_read "rabbit-$i")" rabbit; then fnode 1; return 0; fi
  for p in "$AMQP_PORT" "$MGMT_PORT" "$DIST_PORT"; do
    port_open "$p" && die "port $p is in use by another process (rabbit-$i)"
  done
  mkdir -p "$RABBIT_DIR/home" "$RABBIT_DIR/log" "$RABBIT_DIR/mnesia"; chmod 700 "$RABBIT_DIR"
  [[ -s $STATE/rabbit-cookie ]] || (umask 077; rand_hex 20 | tr a-f A-F >"$STATE/rabbit-cookie")
  rm -f "$RABBIT_DIR/home/.erlang.cookie"; install -m 400 "$STATE/rabbit-cookie" "$RABBIT_DIR/home/.erlang.cookie"
  : >"$RABBIT_DIR/rabbitmq-env.conf"
  echo '[].' >"$RABBIT_DIR/advanced.config"
  echo '[rabbitmq_management].' >"$RABBIT_DIR/enabled_plugins"
  {
    rabbit_conf
    echo "cluster_formation.peer_discovery_backend = classic_config"
    for j in 1 2 3; do echo "cluster_formation.classic_config.nodes.$j = $FAULT_NODE_BASE-$j@localhost"; done
  } >"$RABBIT_DIR/rabbitmq.conf"
  chmod 600 "$RABBIT_DIR/rabbitmq.conf"
  epmd_start
  rm -f "$RABBIT_DIR/rabbit.pid"
  rabbit_env
  launch "rabbit-$i" "$LOGS/rabbit-$i.log" env "${RENV[@]}" "$RABBIT_BIN/rabbitmq-server"
  fnode 1
}
fr_ready() { # i: waits for node i (120 s), records its beam pid as rabbit-i
  local i=$1 k launcher beam=""
  fnode "$i"; launcher=$(pid_read "rabbit-$i")
  for ((k = 0; k < 1200; k++)); do
    pid_alive "$launcher" || { show_tail "$LOGS/rabbit-$i.log"; die "rabbit-$i exited during startup"; }
    [[ -s $RABBIT_DIR/rabbit.pid ]] && port_open "$AMQP_PORT" && break
    sleep 0.1
  done
  ((k < 1200)) || { show_tail "$LOGS/rabbit-$i.log"; die "rabbit-$i not ready after 120 s"; }
  rmq_ctl wait "$RABBIT_DIR/rabbit.pid" --timeout 60 >>"$LOGS/rabbit-$i.log" 2>&1 \
    || { show_tail "$LOGS/rabbit-$i.log"; die "rabbitmqctl wait (rabbit-$i) failed"; }
  read -r beam <"$RABBIT_DIR/rabbit.pid" || true
  echo "$beam" >"$PIDS/rabbit-$i.pid"
  fnode 1
}
fr_alive() { pid_alive "$(pid_read "rabbit-$1")" rabbit; }
fr_stop_all() { # SIGTERM to every node at once, then wait (60 s) for each
  local i p k ps=()
  for i in 1 2 3; do p=$(pid_read "rabbit-$i"); pid_alive "$p" rabbit && kill -TERM "$p" 2>/dev/null && ps+=("$i:$p"); done
  for p in "${ps[@]+"${ps[@]}"}"; do
    for ((k = 0; k < 600; k++)); do pid_alive "${p#*:}" || break; sleep 0.1; done
    pid_alive "${p#*:}" && { warn "rabbit-${p%%:*} still running after 60 s, killing"; kill -KILL "${p#*:}" 2>/dev/null || true; }
    step "rabbit-${p%%:*}" "stopped (pid ${p#*:})"; STOPPED=$((STOPPED + 1))
  done
  rm -f "$PIDS"/rabbit-[123].pid
  epmd_stop
}
fr_api() { # method path [json]: the management API of the first node that answers -> body
  local i args=(-sf -m 10 -u "mitreden:$(rabbit_pw)" -X "$1")
  [[ -n ${3:-} ]] && args+=(-H 'content-type: application/json' -d "$3")
  for i in 1 2 3; do
    fr_alive "$i" || continue
    curl "${args[@]}" "http://127.0.0.1:$((FAULT_MGMT_BASE + i - 1))/api$2" 2>/dev/null && return 0
  done
  return 1
}
fr_running_nodes() {
  fr_api GET /nodes | python3 -c 'import sys,json; print(sum(1 for n in json.load(sys.stdin) if n.get("running")))' 2>/dev/null || echo 0
}
fr_leader() { # node name of the votes queue's leader (from the management API)
  fr_api GET "/queues/$(urlenc "$STACK_VHOST")/votes" \
    | python3 -c 'import sys,json; q=json.load(sys.stdin); print(q.get("leader") or q.get("node") or "")' 2>/dev/null || true
}
fr_messages() { # queue -> messages in it, exact (rabbitmqctl on a running node; the management API lags up to 5 s)
  local i n
  for i in 1 2 3; do
    fr_alive "$i" || continue
    fnode "$i"
    n=$(rmq_ctl list_queues -p "$STACK_VHOST" name messages 2>/dev/null | awk -v q="$1" '$1 == q { print $2 }') || true
    fnode 1
    [[ $n =~ ^[0-9]+$ ]] && { echo "$n"; return 0; }
  done
  echo -1
}

# the vote consumer as its own process (Voting with the API off), restarted by faults-inject like a supervisor would
fc_port() { comp_port voting-consumer; }
fc_start() {
  local dll; dll=$(comp_dll voting)
  if pid_alive "$(pid_read voting-consumer)" "$(basename "$dll")"; then return 0; fi
  port_open "$(fc_port)" && die "port $(fc_port) (voting-consumer) is in use by another process"
  comp_env voting
  # as the chart runs it: the migrations job has run (components_migrate), so a restart does not migrate again
  CENV+=(ASPNETCORE_URLS="http://127.0.0.1:$(fc_port)" MITREDEN_INSTANCE=voting-consumer
    Voting__Api__Enabled=false Voting__Consumer__Enabled=true Database__MigrateOnStart=false)
  launch voting-consumer "$LOGS/voting-consumer.log" env -C "$(dirname "$dll")" "${CENV[@]}" dotnet "$dll"
  step voting-consumer "starting (pid $(pid_read voting-consumer), :$(fc_port))"
}
fc_stop() { stop_pid voting-consumer "$(basename "$(comp_dll voting)")" 20; }
wait_ready() { # name url pid-name: /health/ready within READY_TIMEOUT
  local t0 deadline=$((SECONDS + READY_TIMEOUT)); t0=$(now_us)
  until [[ $(http_code "$2/health/ready" 2) == 200 ]]; do
    pid_alive "$(pid_read "$3")" || { show_tail "$LOGS/$3.log"; die "$1 exited during startup"; }
    ((SECONDS < deadline)) || { show_tail "$LOGS/$3.log"; die "$1 not ready after ${READY_TIMEOUT} s"; }
    sleep 0.2
  done
  step "$1" "ready ($(since "$t0"))"
}

faults_stack_down() { fc_stop; components_down; fr_stop_all; redis_stop; pg_stop; smtp4dev_stop; }
faults_stack_up() { # t0: wiped folder, servers, cluster, components, consumer
  local i k
  ensure_packages
  ensure_dotnet
  faults_stack_down >/dev/null 2>&1 || true
  rm -rf "$STATE"; make_dirs; ensure_secrets; faults_env
  for i in 1 2 3; do fr_launch "$i"; done   # boot while postgres, redis and the build run
  pg_start; pg_setup
  redis_start
  smtp4dev_start
  build
  for i in 1 2 3; do fr_ready "$i"; done
  for ((k = 0; k < 60; k++)); do [[ $(fr_running_nodes) == 3 ]] && break; sleep 0.5; done
  [[ $(fr_running_nodes) == 3 ]] || { show_tail "$LOGS/rabbit-2.log" 20; die "the RabbitMQ nodes did not form one cluster of 3"; }
  rabbit_setup
  step rabbitmq "cluster of 3 ready (amqp 127.0.0.1:$FAULT_AMQP_BASE-$((FAULT_AMQP_BASE + 2)), mgmt $FAULT_MGMT_BASE-$((FAULT_MGMT_BASE + 2)), $(since "$1"))"
  components_up
  fc_start; wait_ready voting-consumer "http://127.0.0.1:$(fc_port)" voting-consumer
  step stack "ready on http://127.0.0.1:$GATEWAY_PORT ($(since "$1"))"
}

# fault name quick -> FA (driver options: the fault's actions), FAULT_SECONDS (load), FAULT_RATE (votes/s; empty:
# the run's rate; `voters`: what lets the voters' first votes last the whole load), FAULT_SEAMLESS (1: the vote path
# must not notice it: judged by votes sent after each action returned and accepted, not by a recovery time)
fault_plan() {
  local name=$1 quick=$2 inj="'$SELF' faults-inject" at
  FAULT_SECONDS=40; FAULT_RATE=""; FAULT_SEAMLESS=0; at=10
  ((quick)) && FAULT_SECONDS=12 && at=4
  # the inject at `at` s into the load; what follows it waits on it ("+S=": S s after the step before returned), so a
  # slow step on a busy machine delays the next one instead of being overtaken by it
  case $name in
    api-kill) FA=(--fault-action "$at=$inj kill voting-2" --fault-action "+3=$inj start voting-2") ;;
    consumer-kill) FA=(--fault-action "$at=$inj kill-consumer" --fault-action "+2=$inj start-consumer") ;;
    rabbit-leader-kill)
      ((quick)) || FAULT_SECONDS=50
      FA=(--fault-action "$at=$inj kill-leader" --fault-action "+$((quick ? 4 : 12))=$inj restart-rabbit") ;;
    redis-restart) FA=(--fault-action "$at=$inj restart-redis") ;;
    redis-wipe-close)
      # votes pile up in the queue (consumer down); after the load staff closes the ballot, Redis loses all its data
      # while the close waits, and the consumer only comes back once the close's grace (6 s) is over: the final
      # count must still hold every accepted vote
      FA=(--fault-action "$at=$inj kill-consumer" --fault-action "$((FAULT_SECONDS + 1))=@close-ballot"
        --fault-action "+1=$inj restart-redis" --fault-action "+9=$inj start-consumer") ;;
    postgres-restart) FA=(--fault-action "$at=$inj stop-postgres" --fault-action "+$((quick ? 3 : 5))=$inj start-postgres") ;;
    poison) FA=(--fault-action "$at=$inj poison" --fault-action "+1=$inj poison-check") ;;
    identity-stop)
      # Identity away for 60 s: votes with the tokens voters hold go on (every validator has the keys cached), a
      # sign-in meanwhile gets the gateway's 503 ProblemDetails at once; Identity comes back, nothing else restarts
      local down=$((quick ? 30 : 60))
      FAULT_SECONDS=$((at + down + 20))
      FA=(--fault-action "$at=$inj stop-identity" --fault-action "+2=$inj signin-refused"
        --fault-action "$((at + down))=$inj start identity" --fault-action "+1=$inj signin-works") ;;
    key-rollover)
      # key B added by configuration beside A (SignFrom now): published at once, signing only after
      # Identity:ValidatorRefreshInterval (6 min: validators re-read the keys every 5 min at the shortest, JwtBearer
      # allows no less); the voters (and staff) take new tokens once B signs; then A is removed. Every vote carries a
      # valid token throughout, so not one may be answered 401 or fail, and votes must be accepted after B signs and
      # after A is gone. Long by nature, --quick too: Identity's restart (≤ 1 min on a busy machine) + 6 min lead + the
      # renewal (1-2 min) + the second restart ≈ 9-10 min, so 12 min of load (A goes while votes still come); at a
      # rate the voters last for, so sampled first votes (and a recovery time, reported only) come after every step.
      FAULT_SECONDS=720; FAULT_RATE=voters; FAULT_SEAMLESS=1
      FA=(--fault-action "$at=$inj add-key" --fault-action "+0=$inj await-new-key" --fault-action "+0=@renew-tokens"
        --fault-action "+1=$inj remove-old-key") ;;
    *) die "unknown fault $name (known: ${FAULTS_ALL[*]})" ;;
  esac
}

faults_cleanup() { # EXIT trap of `faults`
  local rc=$?
  trap - EXIT INT TERM
  set +e
  if [[ ${FAULTS_KEEP:-0} == 1 ]]; then step stack "kept running (./mitreden faults-inject down stops it)"
  else echo; step cleanup "stopping the faults stack"; faults_stack_down >/dev/null 2>&1; fi
  [[ -n ${FAULTS_LAST:-} ]] && echo "$FAULTS_LAST"
  exit "$rc"
}

cmd_faults() {
  local quick=0 reuse=0 only="" tsv="" t0 name rate voters dll out log line rc errq0 errq1 want ok detail
  local -a faults rows=()
  t0=$(now_us)
  while (($#)); do
    case $1 in
      --quick) quick=1 ;;
      --only) only=${2:-}; shift ;;
      --tsv) tsv=${2:-}; shift ;;
      --keep) FAULTS_KEEP=1 ;;             # leave the stack running afterwards
      --reuse) reuse=1 ;;                  # run against a stack left running by --keep
      *) echo "usage: ./mitreden faults [--quick] [--only $(IFS=,; echo "${FAULTS_ALL[*]}")] [--tsv FILE] [--keep] [--reuse]" >&2; exit 2 ;;
    esac
    shift
  done
  if [[ -n $only ]]; then IFS=, read -r -a faults <<<"$only"; elif ((quick)); then faults=("${FAULTS_QUICK[@]}"); else faults=("${FAULTS_ALL[@]}"); fi
  for name in "${faults[@]}"; do fault_plan "$name" "$quick"; done   # unknown names fail before anything starts
  faults_mode
  FAULTS_LAST="faults=${#faults[@]} survived=0 lost=-1 duplicated=-1"
  trap faults_cleanup EXIT
  trap 'exit 130' INT TERM
  if ((reuse)); then
    load_secrets; faults_env
    [[ $(http_code "http://127.0.0.1:$GATEWAY_PORT/health/ready" 3) == 200 ]] || die "no faults stack to reuse (start one with --keep)"
  else
    faults_stack_up "$t0"
    disown -a 2>/dev/null || true   # the components are not this shell's jobs: no "Killed" notices when a fault kills one
  fi

  dll=$ARTIFACTS/bin/Mitreden.LoadTests/release/Mitreden.LoadTests.dll
  if [[ ${MITREDEN_SKIP_BUILD:-} != 1 || ! -f $dll ]]; then
    log=$LOGS/driver-build.log
    dotnet build "$ROOT/loadtests/Mitreden.LoadTests/Mitreden.LoadTests.csproj" -c Release -nologo -v q \
      --artifacts-path "$ARTIFACTS" >"$log" 2>&1 || { show_tail "$log" 30; die "building the load driver failed"; }
  fi
  out=$ROOT/loadtests/out/faults-$(date '+%Y%m%d-%H%M%S'); mkdir -p "$out"
  rate=200; voters=10000               # moderate: correctness, not speed, on a shared 2-core machine
  ((quick)) && rate=150 voters=2000
  step faults "${faults[*]} (${rate} votes/s; reports in ${out#"$ROOT"/}/)"

  local survived=0 lost=0 duplicated=0 a c l d e r p frate
  local -a fopts notes=()
  for name in "${faults[@]}"; do
    fault_plan "$name" "$quick"
    frate=${FAULT_RATE:-$rate}; fopts=()
    # first votes are 9 of 10 requests: at most voters / 0.9 requests over the load
    [[ $frate == voters ]] && frate=$((voters * 10 / 9 / FAULT_SECONDS)) && ((frate < 1)) && frate=1
    ((FAULT_SEAMLESS)) && fopts+=(--fault-seamless)
    [[ $frate != "$rate" ]] && notes+=("$name: ${frate} votes/s for ${FAULT_SECONDS} s (the ${voters} voters' first votes last the whole load)")
    echo; echo "=== fault $name (${FAULT_SECONDS} s of load at ${frate}/s)"
    log=$out/$name.log
    errq0=$(fr_messages votes-error)
    set +e
    MITREDEN_BENCH_RABBIT_MGMT="http://mitreden:$(rabbit_pw)@127.0.0.1:$FAULT_MGMT_BASE" \
      dotnet "$dll" --base-url "http://127.0.0.1:$GATEWAY_PORT" --scenarios vote-burst \
      --plan "vote-burst=${frate}x$FAULT_SECONDS" --warmup 0 --closed-users 0 --lag-sample 0.02 \
      --voters "$voters" --voters-file "$STATE/voters.json" --drain-timeout 120 \
      --fault "$name" "${fopts[@]}" "${FA[@]}" --out "$out/$name" 2>&1 | tee "$log" \
      | grep --line-buffered -E '^  (ballot|voters|fault|drain|vote-burst) '
    rc=${PIPESTATUS[0]}
    set -e
    errq1=$(fr_messages votes-error)
    line=$(grep -E '^fault=' "$log" | tail -n1 || true)
    [[ -n $line ]] || line="fault=$name accepted=-1 counted=-1 lost=-1 duplicated=-1 errors=-1 recovery_s=-1 passed=0"
    a=$(sed -E 's/.* accepted=(-?[0-9]+).*/\1/' <<<"$line"); c=$(sed -E 's/.* counted=(-?[0-9]+).*/\1/' <<<"$line")
    l=$(sed -E 's/.* lost=(-?[0-9]+).*/\1/' <<<"$line"); d=$(sed -E 's/.* duplicated=(-?[0-9]+).*/\1/' <<<"$line")
    e=$(sed -E 's/.* errors=(-?[0-9]+).*/\1/' <<<"$line"); r=$(sed -E 's/.* recovery_s=(-?[0-9.]+).*/\1/' <<<"$line")
    p=$(sed -E 's/.* passed=([01]).*/\1/' <<<"$line")
    want=0; [[ $name == poison ]] && want=2
    ok=1; detail=""
    ((rc == 0 && p == 1)) || { ok=0; detail="driver checks failed (exit $rc; see ${log#"$ROOT"/})"; }
    if [[ " ${FAULTS_NO_FAILED_VOTES[*]} " == *" $name "* ]] && [[ $e != 0 ]]; then
      ok=0; detail+="${detail:+; }$e vote requests failed (none may: votes do not need Identity)"
    fi
    if ((errq0 < 0 || errq1 < 0)); then ok=0; detail+="${detail:+; }error queue unreadable"
    elif ((errq1 - errq0 != want)); then ok=0; detail+="${detail:+; }error queue +$((errq1 - errq0)), expected +$want"; fi
    ((ok)) && survived=$((survived + 1))
    ((l > 0)) && lost=$((lost + l)); ((d > 0)) && duplicated=$((duplicated + d))
    [[ $r == -1.0 || $r == -1 ]] && r="not recovered"
    ((FAULT_SEAMLESS)) && r+=" (not required)"
    rows+=("$name|$a|$c|$l|$d|$e|$r|+$((errq1 - errq0))|$( ((ok)) && echo survived || echo FAILED)|$detail")
    step "$name" "$( ((ok)) && echo survived || echo "FAILED: $detail") ($line)"
    [[ -n $tsv ]] && printf '%s\t%s\t%s\n' "$name" "$( ((ok)) && echo pass || echo fail)" "${detail:-$line}" >>"$tsv"
  done

  FAULTS_NOTES=("${notes[@]}")
  faults_report "$out" "$quick" "$rate" "${rows[@]}"
  FAULTS_LAST="faults=${#faults[@]} survived=$survived lost=$lost duplicated=$duplicated"
  step faults "done in $(since "$t0"); report ${out#"$ROOT"/}/faults.md"
  # exit here, not return: bash would go on reading this file where it left off, and during a long run someone may
  # have edited it. faults_cleanup (EXIT trap) stops the stack and prints the last line.
  exit $((survived == ${#faults[@]} ? 0 : 1))
}

faults_report() { # out quick rate rows...: the table on the console and as Markdown
  local out=$1 quick=$2 rate=$3 row f; shift 3
  local header="| fault | accepted | counted | lost | duplicated | failed requests | recovery s | error queue | result |"
  {
    echo "# Fault injection under vote load ($(date -u '+%F %H:%M UTC'))"
    echo
    echo "\`./mitreden faults$( ((quick)) && echo ' --quick')\`: ${rate} votes/s (open model, approval ballot, every 10th"
    echo "request changes an accepted vote) through the gateway to two API-only Voting instances; the vote consumer"
    echo "runs as its own process; RabbitMQ is a 3-node cluster (quorum queues); one ballot per fault."
    echo
    echo "$header"
    echo "|---|--:|--:|--:|--:|--:|--:|--:|---|"
    for row in "$@"; do
      IFS='|' read -r -a f <<<"$row"
      echo "| ${f[0]} | ${f[1]} | ${f[2]} | ${f[3]} | ${f[4]} | ${f[5]} | ${f[6]} | ${f[7]} | ${f[8]}${f[9]:+: ${f[9]}} |"
    done
    echo
    echo "- **accepted**: distinct voters with a 202; **counted**: voters in the staff results after the pipeline drained."
    echo "  A voter whose only request got no clear answer (timeout, 5xx, connection error) may be counted or not."
    echo "- **failed requests**: vote requests without a 202 (connection errors, 5xx): those votes were not accepted."
    echo "- **recovery s**: from the fault until a vote accepted after the injecting action returned and after the"
    echo "  last failed request was counted (sampled receipts, 2 % of first votes, polled every 20 ms). Not required for"
    echo "  the faults the vote path must not notice (key-rollover): they pass when no vote request failed, none was"
    echo "  answered 401, and votes sent after each of their actions returned were accepted (driver report)."
    echo "- **error queue**: messages added to votes-error during the fault (only the poison may put any there)."
    echo "- Each fault's driver report (checks: per-option tally, live tally = recount, final count at close) is in its folder."
    for f in "${FAULTS_NOTES[@]}"; do echo "- $f"; done
  } >"$out/faults.md"
  echo
  printf '%-20s %9s %9s %5s %10s %7s %10s %7s  %s\n' FAULT ACCEPTED COUNTED LOST DUPLICATED FAILED RECOVERY_S ERRQ RESULT
  for row in "$@"; do
    IFS='|' read -r -a f <<<"$row"
    printf '%-20s %9s %9s %5s %10s %7s %10s %7s  %s\n' "${f[0]}" "${f[1]}" "${f[2]}" "${f[3]}" "${f[4]}" "${f[5]}" "${f[6]}" "${f[7]}" "${f[8]}"
  done
}

# the faults stack's demo admin, signing in as the load driver does: the test client (the web client has no password grant)
FAULTS_ADMIN_EMAIL=admin@demo.mitreden.de FAULTS_ADMIN_PASSWORD=Demo-Passwort-2026!
faults_signin() { # -> the token response of a password grant through the gateway (empty on failure)
  curl -s -m 10 -X POST "http://127.0.0.1:$GATEWAY_PORT/api/identity/connect/token" -d grant_type=password -d client_id=mitreden-test \
    --data-urlencode "username=$FAULTS_ADMIN_EMAIL" --data-urlencode "password=$FAULTS_ADMIN_PASSWORD" 2>/dev/null || true
}
faults_signin_code() {
  curl -s -o /dev/null -w '%{http_code}' -m 10 -X POST "http://127.0.0.1:$GATEWAY_PORT/api/identity/connect/token" \
    -d grant_type=password -d client_id=mitreden-test --data-urlencode "username=$FAULTS_ADMIN_EMAIL" \
    --data-urlencode "password=$FAULTS_ADMIN_PASSWORD" 2>/dev/null || true
}
faults_kid_now() { # the kid of a freshly issued access token
  faults_signin | python3 "$TOOLS_DIR/token-kid.py" 2>/dev/null
}
faults_jwks_kids() { # the kids Identity publishes (through the gateway), sorted, space-separated
  curl -s -m 5 "http://127.0.0.1:$GATEWAY_PORT/api/identity/.well-known/jwks.json" \
    | python3 -c 'import json, sys; print(" ".join(sorted(k["kid"] for k in json.load(sys.stdin)["keys"] if k.get("use", "sig") == "sig")))' 2>/dev/null
}

# hidden: the actions of the faults (run by the load driver at their offsets) and `down`
cmd_faults_inject() {
  faults_mode; faults_env
  local what=${1:-} p t0 k leader new i open vhost
  t0=$(now_us)
  case $what in
    kill) # component: kill -9
      p=$(pid_read "$2"); comp_running "$2" || die "$2 is not running"
      kill -KILL "$p"; echo "killed $2 (pid $p) with SIGKILL" ;;
    start) # component: start it again and wait until it is ready (the supervisor's part)
      comp_start "$2"; wait_ready "$2" "$(comp_url "$2")" "$2" ;;
    kill-consumer) # SIGKILL while a batch transaction is open (the batch is collected, not acknowledged)
      p=$(pid_read voting-consumer); pid_alive "$p" "$(basename "$(comp_dll voting)")" || die "voting-consumer is not running"
      open=$(psql_admin -f "$TOOLS_DIR/open-vote-batch.sql" 2>&1 | sed -nE 's/.*open=([0-9]+).*/\1/p') || true
      kill -KILL "$p"
      if [[ ${open:-0} -gt 0 ]]; then echo "killed voting-consumer (pid $p) with SIGKILL while a vote batch transaction was open"
      else echo "killed voting-consumer (pid $p) with SIGKILL (no open batch transaction seen within 5 s)"; fi ;;
    start-consumer) fc_start; wait_ready voting-consumer "http://127.0.0.1:$(fc_port)" voting-consumer ;;
    kill-leader) # SIGKILL to the node leading the votes queue; waits for a new leader
      leader=$(fr_leader); [[ $leader == "$FAULT_NODE_BASE"-[123]@localhost ]] || die "leader of the votes queue unknown ('$leader')"
      i=${leader%@localhost}; i=${i##*-}; p=$(pid_read "rabbit-$i")
      fr_alive "$i" || die "rabbit-$i (leader) is not running"
      kill -KILL "$p"; echo "killed rabbit-$i ($leader, beam pid $p), the leader of the votes queue, with SIGKILL"
      for ((k = 0; k < 300; k++)); do
        new=$(fr_leader); [[ -n $new && $new != "$leader" ]] && break; sleep 0.1
      done
      [[ -n $new && $new != "$leader" ]] || die "no new leader of the votes queue within 30 s"
      echo "new leader $new ($(since "$t0") after the kill, as the management API shows it)" ;;
    restart-rabbit) # every node that is down: start, wait until it runs and the cluster has 3 nodes again
      for i in 1 2 3; do fr_alive "$i" || { fr_launch "$i"; fr_ready "$i"; echo "rabbit-$i restarted ($(since "$t0"))"; }; done
      for ((k = 0; k < 120; k++)); do [[ $(fr_running_nodes) == 3 ]] && break; sleep 0.5; done
      [[ $(fr_running_nodes) == 3 ]] || die "cluster not back to 3 running nodes"
      echo "cluster has 3 running nodes again ($(since "$t0")); votes leader $(fr_leader)" ;;
    restart-redis) # SIGKILL, data removed (worst case: Redis comes back empty), start again
      p=$(pid_read redis); redis_running || die "redis is not running"
      kill -KILL "$p"; for ((k = 0; k < 50; k++)); do pid_alive "$p" || break; sleep 0.1; done
      rm -rf "${REDIS_DIR:?}"/appendonlydir "$REDIS_DIR"/appendonly.aof "$REDIS_DIR"/dump.rdb
      echo "killed redis (pid $p) with SIGKILL and removed its data"
      sleep 1; redis_start ;;
    stop-postgres) # immediate shutdown: like a crash, connections cut, crash recovery at the next start
      as_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" -m immediate -w -t 60 stop >/dev/null 2>&1 || die "pg_ctl stop failed"
      rm -f "$PIDS/postgres.pid"; echo "postgres stopped (immediate)" ;;
    start-postgres) pg_start ;;
    poison) # an unparsable body and a vote for an unknown ballot, straight into the votes queue
      vhost=$(urlenc "$STACK_VHOST")
      local marker vote ballot body1 body2 got
      marker=$(rand_hex 8); vote=$(python3 -c 'import uuid;print(uuid.uuid4())'); ballot=$(python3 -c 'import uuid;print(uuid.uuid4())')
      body1="{\"faultsProbe\":\"$marker\"}"
      body2="{\"voteId\":\"$vote\",\"ballotId\":\"$ballot\",\"voterKey\":\"$(rand_hex 32)\",\"sequence\":$(now_us),\"choices\":\"a\",\"district\":null}"
      for got in "$body1" "$body2"; do
        fr_api POST "/exchanges/$vhost/amq.default/publish" "$(python3 -c 'import json,sys; print(json.dumps({"properties":{"delivery_mode":2,"content_type":"application/json"},"routing_key":"votes","payload":sys.argv[1],"payload_encoding":"string"}))' "$got")" \
          | grep -q '"routed":true' || die "publishing a poison message failed"
      done
      echo "$marker $vote" >"$STATE/poison-probe"
      echo "published 2 poison messages to votes: unparsable ($marker), unknown ballot (vote $vote)" ;;
    poison-check) # both poison messages in votes-error, each with its reason header (waits up to 60 s)
      vhost=$(urlenc "$STACK_VHOST")
      local marker vote got
      read -r marker vote <"$STATE/poison-probe" || die "no poison published ($STATE/poison-probe)"
      for ((k = 0; k < 120; k++)); do
        got=$(fr_api POST "/queues/$vhost/votes-error/get" '{"count":1000,"ackmode":"ack_requeue_true","encoding":"auto"}' \
          | python3 "$TOOLS_DIR/poison-found.py" "$marker" "$vote" 2>/dev/null) || true
        [[ $got == *"unknown-ballot:"*" "*"unparsable:"* ]] && break
        sleep 0.5
      done
      echo "in votes-error: ${got:-nothing} (kind:x-mitreden-reason; checked for $(since "$t0"))"
      [[ $got == "unknown-ballot:unknown-ballot unparsable:unparsable" ]] || die "the poison messages are not in votes-error with their reasons" ;;
    stop-identity) # SIGTERM (as an orchestrator stops it); notes the other components' pids: none may restart
      for k in gateway voting voting-2 proposals comments moderation web; do echo "$k $(pid_read "$k")"; done >"$STATE/identity-stop-pids"
      echo "voting-consumer $(pid_read voting-consumer)" >>"$STATE/identity-stop-pids"
      stop_pid identity "$(basename "$(comp_dll identity)")" 20
      port_open "$(comp_port identity)" && die "identity still listens on :$(comp_port identity)"
      echo "identity stopped" ;;
    signin-refused) # while Identity is down: a sign-in through the gateway gets 503 ProblemDetails, at once (3 tries)
      local code body ctype secs
      for k in 1 2 3; do
        body=$(mktemp)
        read -r code ctype secs < <(curl -s -o "$body" -m 10 -w '%{http_code} %{content_type} %{time_total}\n' \
          -X POST "http://127.0.0.1:$GATEWAY_PORT/api/identity/connect/token" -d grant_type=password -d client_id=mitreden-test \
          --data-urlencode "username=$FAULTS_ADMIN_EMAIL" --data-urlencode "password=$FAULTS_ADMIN_PASSWORD" || true)
        echo "sign-in $k: HTTP ${code:-none} ${ctype:-} in ${secs:-?} s: $(head -c 300 "$body")"
        [[ $code == 503 && $ctype == application/problem+json* ]] && grep -q '"service-unavailable"' "$body" \
          || { rm -f "$body"; die "sign-in while Identity is down: expected 503 application/problem+json (code service-unavailable)"; }
        rm -f "$body"
        awk -v s="$secs" 'BEGIN { exit !(s < 5) }' || die "the 503 took ${secs} s (a hang, not a clear refusal)"
        sleep 1
      done ;;
    signin-works) # after Identity's restart: sign-in works again, and no other component was restarted meanwhile
      for ((k = 0; k < 60; k++)); do
        [[ $(faults_signin_code) == 200 ]] && break; sleep 0.5
      done
      [[ $(faults_signin_code) == 200 ]] || die "sign-in through the gateway does not work 30 s after Identity came back"
      echo "sign-in through the gateway works again ($(since "$t0"))"
      local name old
      while read -r name old; do
        [[ $(pid_read "$name") == "$old" ]] || die "$name was restarted during the fault (pid $old -> $(pid_read "$name"))"
      done <"$STATE/identity-stop-pids"
      echo "no other component was restarted (pids as before)" ;;
    add-key) # key B beside A: B published at once, signing from Identity__ValidatorRefreshInterval after Identity's restart
      local dir=$STATE/identity-keys
      (umask 077; openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$dir/signing-1.pem" 2>/dev/null) || die "openssl failed"
      faults_kid_now >"$dir/old-kid" || die "no token to read the current key from"
      printf '%s\n' "Identity__SigningKeys__0__Path=$dir/signing-0.pem" "Identity__SigningKeys__1__Path=$dir/signing-1.pem" \
        "Identity__SigningKeys__1__SignFrom=$(date -u '+%FT%TZ')" >"$dir/keys.env"
      stop_pid identity "$(basename "$(comp_dll identity)")" 20
      comp_start identity; wait_ready identity "$(comp_url identity)" identity
      date +%s >"$dir/b-published"
      echo "identity restarted with keys A (signing, kid $(cat "$dir/old-kid")) and B (SignFrom now); JWKS: $(faults_jwks_kids)" ;;
    await-new-key) # until a fresh token is signed by B (a sign-in every 5 s, for at most 8 min)
      local dir=$STATE/identity-keys old kid kids
      old=$(cat "$dir/old-kid")
      for ((k = 0; k < 96; k++)); do
        kid=$(faults_kid_now || true); [[ -n $kid && $kid != "$old" ]] && break; sleep 5
      done
      [[ -n $kid && $kid != "$old" ]] || die "Identity still signs with kid $old"
      kids=$(faults_jwks_kids)
      echo "B (kid $kid) signs $(($(date +%s) - $(cat "$dir/b-published"))) s after Identity published it; JWKS: $kids"
      [[ $kids == *"$old"* && $kids == *"$kid"* ]] || die "the JWKS should still list A and B"
      echo "$kid" >"$dir/new-kid" ;;
    remove-old-key) # A removed: B alone (its SignFrom passed long ago); the voters hold B's tokens by now
      local dir=$STATE/identity-keys kids
      sed -n 's/^Identity__SigningKeys__1__\(.*\)$/Identity__SigningKeys__0__\1/p' "$dir/keys.env" >"$dir/keys.env.tmp"
      mv "$dir/keys.env.tmp" "$dir/keys.env"
      stop_pid identity "$(basename "$(comp_dll identity)")" 20
      comp_start identity; wait_ready identity "$(comp_url identity)" identity
      kids=$(faults_jwks_kids)
      [[ $kids == "$(cat "$dir/new-kid")" ]] || die "the JWKS lists '$kids', expected only B ($(cat "$dir/new-kid"))"
      echo "identity restarted with B alone; JWKS: $kids" ;;
    down) faults_stack_down; exit 0 ;;
    *) echo "usage: ./mitreden faults-inject kill|start NAME | kill-consumer|start-consumer|kill-leader|restart-rabbit|restart-redis|stop-postgres|start-postgres|poison|poison-check|stop-identity|signin-refused|signin-works|add-key|await-new-key|remove-old-key|down" >&2; exit 2 ;;
  esac
  exit 0   # see the end of cmd_faults
}

# `./mitreden test` calls this after the test projects: `faults --quick` as a child process (own stack, own ports,
# nothing rebuilt), one result per fault in the test summary.
faults_in_test() {
  local tsv=$STATE/results/faults.tsv rc=0 name result detail n=0
  echo; echo "=== faults --quick"
  mkdir -p "$STATE/results"; rm -f "$tsv"
  MITREDEN_SKIP_BUILD=1 bounded "faults --quick" "$SELF" faults --quick --tsv "$tsv" || rc=$?
  if [[ -s $tsv ]]; then
    while IFS=$'\t' read -r name result detail; do
      n=$((n + 1))
      if [[ $result == pass ]]; then TEST_PASSED=$((TEST_PASSED + 1))
      else TEST_FAILED=$((TEST_FAILED + 1)); echo "fault $name: $detail" >>"${TEST_FAILURES:-/dev/null}"; fi
    done <"$tsv"
  fi
  if ((n == 0)); then
    TEST_FAILED=$((TEST_FAILED + 1)); echo "faults --quick: no results (exit $rc)" >>"${TEST_FAILURES:-/dev/null}"
  fi
  local passed; passed=$(grep -c $'\tpass\t' "$tsv" 2>/dev/null) || passed=0
  step faults "$passed of $n survived (exit $rc)"
}
