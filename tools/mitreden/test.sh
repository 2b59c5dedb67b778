# shellcheck shell=bash
# mitreden: test, test-stack, test-servers, newcomer-check. Sourced by ./mitreden (the one entry point), not run on its own.

# --- test -------------------------------------------------------------------------------------------
TEST_PASSED=0 TEST_FAILED=0 TEST_SKIPPED=0
# The time budget of `test`: each part runs under `timeout` with what is left, so a hang anywhere ends as a
# failure with its name in the last lines (CI shows only the tail) instead of a run cut off from outside.
TEST_BUDGET="${MITREDEN_TEST_BUDGET:-4800}"
TEST_STEP="" TEST_STEP_T0=0 BOUNDED_PID=""
bounded_stop() { [[ -n $BOUNDED_PID ]] && kill -TERM -- "-$BOUNDED_PID" 2>/dev/null; BOUNDED_PID=""; }
budget_left() { echo $(( TEST_DEADLINE - SECONDS )); }
test_step() { TEST_STEP=$1; TEST_STEP_T0=$SECONDS; }   # what is running now (for the cleanup's diagnosis)
bounded() { # label cmd... : runs cmd with the budget left; 124 when it was stopped for the budget
  local label=$1 left rc=0; shift
  left=$(budget_left)
  if ((left < 30)); then
    echo "$label: not run, the test budget (${TEST_BUDGET} s) is spent"; return 124
  fi
  test_step "$label"
  # in the background and waited for, so that Ctrl-C or a TERM reaches the trap at once (which stops the part's
  # whole process group: timeout leads one of its own)
  timeout -k 30 "$left" "$@" & BOUNDED_PID=$!
  wait "$BOUNDED_PID" || rc=$?
  BOUNDED_PID=""
  if ((rc == 124 || rc == 137)) && ((SECONDS >= TEST_DEADLINE - 1)); then
    echo "$label: stopped after $((SECONDS - TEST_STEP_T0)) s, the test budget (${TEST_BUDGET} s) is spent"; rc=124
  fi
  TEST_STEP=""
  return "$rc"
}

test_summary() {
  local s="$TEST_PASSED passed, $TEST_FAILED failed"
  ((TEST_SKIPPED > 0)) && s+=", $TEST_SKIPPED skipped"
  echo "$s"
}
test_cleanup() { # EXIT trap of `test`: stop the stack and the servers, then the summary (last line)
  local rc=$?
  trap - EXIT INT TERM
  set +e
  bounded_stop
  echo
  step cleanup "stopping test stack and servers"
  components_down >/dev/null 2>&1
  servers_down >/dev/null 2>&1
  if ((rc != 0 && TEST_FAILED == 0)); then TEST_FAILED=1; fi   # setup failed: count as a failure
  if [[ -n $TEST_STEP ]]; then   # interrupted, or setup failed: where it stood
    echo "interrupted in: $TEST_STEP (after $((SECONDS - TEST_STEP_T0)) s; whole run $SECONDS s, exit $rc)"
  fi
  if [[ -s ${TEST_FAILURES:-} ]]; then   # repeated at the end: CI shows only the tail of the output
    echo "failed tests:"; sed 's/^/  /' "$TEST_FAILURES" | cut -c1-400
  fi
  test_summary
  if ((rc == 0 && (TEST_FAILED > 0 || TEST_PASSED + TEST_FAILED == 0))); then rc=1; fi
  exit "$rc"
}
trx_counts() { # trx [failures-file] -> "passed failed skipped"; appends "name: message" of each failed test
  python3 "$TOOLS_DIR/trx-counts.py" "$1" "${2:-/dev/null}"
}
test_servers_up() { # [mode]: test (default) or faults (PostgreSQL with a password, as `up` has it)
  set_mode "${1:-test}"
  test_servers_down "$MODE" >/dev/null 2>&1 || true
  rm -rf "$STATE"; make_dirs; ensure_secrets
  servers_up
}
test_servers_down() { set_mode "${1:-test}"; components_down; servers_down; }

test_stack_start() { # t0: throwaway servers + full stack on the test ports (folder wiped first)
  ensure_packages
  ensure_dotnet
  # leftovers of an aborted run are stopped before the folder is wiped
  components_down >/dev/null 2>&1 || true; servers_down >/dev/null 2>&1 || true
  rm -rf "$STATE"; make_dirs; ensure_secrets
  OTLP_EXPORT=1; dashboard_ensure   # components export to the dashboard's port; the browser test starts it there
  ((BENCH_SETTINGS)) && bench_settings
  rabbit_launch                  # boots while postgres, redis and the build run
  pg_start; pg_setup
  redis_start
  smtp4dev_start
  build
  rabbit_ready
  components_up
  step stack "ready on http://127.0.0.1:$GATEWAY_PORT ($(since "$1"))"
}
test_env_exports() { # the variables test projects read (also written to $STATE/test-env.sh by test-stack)
  export MITREDEN_TEST_POSTGRES="Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Database=postgres"
  export MITREDEN_TEST_REDIS="127.0.0.1:$REDIS_PORT"
  export MITREDEN_TEST_RABBITMQ="amqp://mitreden:mitreden@127.0.0.1:$AMQP_PORT/"
  export MITREDEN_TEST_RABBITMQ_MGMT="http://mitreden:mitreden@127.0.0.1:$MGMT_PORT"
  export MITREDEN_TEST_STACK_VHOST="$STACK_VHOST"
  export MITREDEN_GATEWAY_URL="http://127.0.0.1:$GATEWAY_PORT"
  export MITREDEN_STATE="$STATE" MITREDEN_STACK_LOGS="$LOGS"   # absolute: test hosts run in their bin folder
  export PLAYWRIGHT_CHROMIUM=/usr/bin/chromium
  export MITREDEN_DASHBOARD_BIN="$(dashboard_bin)" MITREDEN_DASHBOARD_URL="http://127.0.0.1:$(comp_port dashboard)"
  export MITREDEN_OTLP_URL="http://127.0.0.1:$(comp_port otlp)"
  if smtp4dev_running; then export MITREDEN_SMTP4DEV_URL="$(smtp4dev_url)"; else unset MITREDEN_SMTP4DEV_URL; fi   # Mailbox
  export MITREDEN_ADMIN_EMAIL="$TEST_ADMIN_EMAIL" MITREDEN_ADMIN_PASSWORD="$TEST_ADMIN_PASSWORD"
  local svc; for svc in "${SERVICES[@]}"; do export "MITREDEN_SERVICE_URL_${svc^^}=$(comp_url "$svc")"; done
}

# A test stack that stays up (for working on one test project): `test-stack up` prints the file to source,
# then `dotnet test tests/X.Tests`; `test-stack down` stops it. MITREDEN_TEST_SLOT keeps several apart.
cmd_test_stack() {
  set_mode test
  case ${1:-} in
    up)
      test_stack_start "$(now_us)"
      test_env_exports
      export -p | grep -E ' (MITREDEN_|PLAYWRIGHT_)' | grep -v MITREDEN_TEST_SLOT >"$STATE/test-env.sh"
      step env "source $(printf '%q' "$STATE/test-env.sh")" ;;
    down) components_down; servers_down ;;
    *) echo "usage: [MITREDEN_TEST_SLOT=1..4] ./mitreden test-stack up|down" >&2; exit 2 ;;
  esac
}

cmd_test() {
  local filter=${1:-} t0; t0=$(now_us)
  set_mode test
  trap test_cleanup EXIT
  trap 'exit 130' INT TERM
  TEST_DEADLINE=$((SECONDS + TEST_BUDGET))
  test_step "starting the test stack"
  test_stack_start "$t0"
  TEST_STEP=""
  test_env_exports

  local results=$STATE/results projects=() proj name trx rc counts p f s i=0
  mkdir -p "$results"
  TEST_FAILURES=$results/failures.txt; : >"$TEST_FAILURES"
  if [[ -d tests ]]; then mapfile -t projects < <(find tests -name '*.Tests.csproj' | LC_ALL=C sort); fi
  local targs=()
  [[ -n ${MITREDEN_ARTIFACTS:-} ]] && targs+=(--artifacts-path "$ARTIFACTS")
  [[ -n $filter ]] && targs+=(--filter "$filter")
  for proj in "${projects[@]}"; do
    i=$((i + 1)); name=$(basename "$proj" .csproj); trx=$results/$name.trx
    echo; echo "=== [$i/${#projects[@]}] $name"
    rm -f "$trx"; rc=0
    bounded "$name" dotnet test "$proj" -c Release --no-build -nologo -v q "${targs[@]}" \
      --logger "console;verbosity=normal" --logger "trx;LogFileName=$name.trx" --results-directory "$results" \
      --blame-hang-timeout "${MITREDEN_TEST_HANG_TIMEOUT:-15m}" --blame-hang-dump-type none || rc=$?
    if [[ -s $trx ]] && counts=$(trx_counts "$trx" "$TEST_FAILURES" 2>/dev/null); then
      read -r p f s <<<"$counts"
      if ((rc != 0 && f == 0)); then f=1; echo "$name: dotnet test exited with $rc (crash/abort), counted as 1 failed"; fi
    else
      p=0 f=1 s=0; echo "$name: no TRX written (exit $rc), counted as 1 failed"
      if ((rc == 124)); then echo "$name: stopped or not run, the test budget was spent" >>"$TEST_FAILURES"
      else echo "$name: no results (dotnet test exit $rc)" >>"$TEST_FAILURES"; fi
    fi
    TEST_PASSED=$((TEST_PASSED + p)); TEST_FAILED=$((TEST_FAILED + f)); TEST_SKIPPED=$((TEST_SKIPPED + s))
    step "$name" "$p passed, $f failed, $s skipped"
  done
  ((${#projects[@]})) || echo "no test projects found (tests/**/*.Tests.csproj)"
  if [[ -z $filter ]]; then   # ./mitreden faults --quick on a stack of its own: one pass/fail per fault
    components_down >/dev/null 2>&1 || true   # the test stack is done; its logs stay for the privacy check
    faults_in_test
  fi
  if declare -F cmd_k8s_check >/dev/null && [[ -f helm/mitreden/Chart.yaml && -x k8s/check ]]; then
    echo; echo "=== k8s-check"
    if bounded k8s-check "$SELF" k8s-check; then TEST_PASSED=$((TEST_PASSED + 1)); step k8s-check passed
    else TEST_FAILED=$((TEST_FAILED + 1)); step k8s-check FAILED; echo "k8s-check" >>"$TEST_FAILURES"; fi
  fi
  if [[ -z $filter ]]; then
    echo; echo "=== newcomer path"
    if bounded newcomer-check "$SELF" newcomer-check; then TEST_PASSED=$((TEST_PASSED + 1)); step newcomer passed
    else TEST_FAILED=$((TEST_FAILED + 1)); step newcomer FAILED; echo "newcomer path (./mitreden newcomer-check)" >>"$TEST_FAILURES"; fi
  fi
  echo; echo "=== log privacy"
  if logs_privacy_check "$LOGS"; then TEST_PASSED=$((TEST_PASSED + 1)); step log-privacy passed
  else TEST_FAILED=$((TEST_FAILED + 1)); step log-privacy FAILED; echo "log privacy check" >>"$TEST_FAILURES"; fi
  # test_cleanup (EXIT trap) stops everything and prints the summary line
}

# After a full run, the components' logs must hold no email address, bearer token or password. Only the components'
# logs: smtp4dev.log is not checked, a mail server's log names the recipients by design.
logs_privacy_check() { # logs_dir
  local dir=$1 found=0 name file hits
  for name in "${COMPONENTS[@]}"; do
    file=$dir/$name.log; [[ -f $file ]] || continue
    hits=$(grep -Eo '[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}' "$file" | sort -u | head -5 || true)
    if [[ -n $hits ]]; then echo "$name.log contains email addresses: $(echo "$hits" | sed 's/^\(..\).*@/\1…@/' | tr '\n' ' ')"; found=1; fi
    if grep -Eq 'eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}' "$file"; then echo "$name.log contains a JWT"; found=1; fi
    for secret in "$TEST_ADMIN_PASSWORD" "Sicheres-Passwort-2026!" "Demo-Passwort-2026!"; do
      if grep -Fq -- "$secret" "$file"; then echo "$name.log contains a password"; found=1; fi
    done
  done
  return $found
}


# hidden: the throwaway test servers alone (used for checks of this script)
cmd_test_servers() { # up|down|status [test|faults]
  local mode=${2:-test}
  [[ $mode == test || $mode == faults ]] || { echo "usage: ./mitreden test-servers up|down|status [test|faults]" >&2; exit 2; }
  case ${1:-} in
    up) ensure_packages; test_servers_up "$mode" ;;
    down) test_servers_down "$mode" ;;
    status) set_mode "$mode"; status_table ;;
    *) echo "usage: ./mitreden test-servers up|down|status [test|faults]" >&2; exit 2 ;;
  esac
}

# hidden: the newcomer path, run by `test`. A clone in a path with a space inside folders of mode 700 (as /root is,
# which user postgres cannot enter): the servers start there as `up` runs them (PostgreSQL with a password; faults
# ports of this slot) and stop; then the clone is removed without cleaning up and cloned again to the same path,
# and the servers start over the stale PostgreSQL folder with the new clone's secrets. The user's folders keep
# their modes. The clone gets this script and tools/mitreden as they are now, committed or not.
cmd_newcomer_check() {
  local base clone i fail=0 pg="" out
  base=$(mktemp -d "${HOME:-/root}/mitreden-newcomer.XXXXXX")
  clone="$base/with space/mitreden"
  mkdir -m 700 "$base/with space"
  nc_fail() { echo "newcomer: $*"; fail=1; }
  for i in 1 2; do
    rm -rf "$clone"
    git clone -q "$ROOT" "$clone" 2>&1 || { nc_fail "git clone failed"; break; }
    cp "$SELF" "$clone/mitreden"
    mkdir -p "$clone/tools/mitreden" && cp -R "$TOOLS_DIR/." "$clone/tools/mitreden/"
    step newcomer "round $i: ${clone/#"$HOME"/\~}: test-servers up"
    if ! out=$(cd "$clone" && ./mitreden test-servers up faults 2>&1); then
      echo "$out" | tail -n 20; nc_fail "round $i: the servers did not start"
    else
      ((EUID == 0 && i == 2)) && ! grep -q 'stale: no .state links to it' <<<"$out" && nc_fail "round 2: the stale PostgreSQL folder was not replaced"
      out=$(cd "$clone" && ./mitreden test-servers status faults 2>&1)
      echo "$out" | grep -E '^(postgres|redis|rabbitmq) '
      [[ $(grep -cE '^(postgres|redis|rabbitmq) .* running +ready$' <<<"$out") == 3 ]] || nc_fail "round $i: not every server is ready"
      local faults_state=$clone/.state/faults   # as set_mode faults names it: slot 0 has no suffix
      ((${MITREDEN_TEST_SLOT:-0} > 0)) && faults_state=$clone/.state/faults-$MITREDEN_TEST_SLOT
      pg=$(readlink "$faults_state/postgres" || true)
      if ((EUID == 0)); then
        [[ $pg == "$PG_HOME"/* && $(stat -c %U "$pg" 2>/dev/null) == postgres ]] || nc_fail "round $i: PostgreSQL's folder '$pg' is not postgres's own outside the checkout"
      fi
    fi
    (cd "$clone" && ./mitreden test-servers down faults >/dev/null 2>&1) || nc_fail "round $i: test-servers down failed"
    if [[ -n $pg ]] && pgrep -f -- "$pg/data" >/dev/null; then nc_fail "round $i: a postgres of $pg still runs after down"; fi
  done
  for i in "$base" "$base/with space"; do
    [[ $(stat -c %a "$i") == 700 ]] || nc_fail "the mode of $i changed to $(stat -c %a "$i")"
  done
  rm -rf "$base"
  [[ -n $pg && $pg == "$PG_HOME"/* ]] && rm -rf "$pg"
  ((fail == 0)) && step newcomer "passed: up/down from a clone behind mode-700 folders with a space, twice to one path"
  return "$fail"
}
