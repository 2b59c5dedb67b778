# shellcheck shell=bash
# mitreden: bench. Sourced by ./mitreden (the one entry point), not run on its own.

# --- bench ------------------------------------------------------------------------------------------
# ./mitreden bench [--quick] [driver options]: the load driver (loadtests/) against the `up` stack: the no-op
# baseline, then the vote burst. Identity must allow test voters and the gateway's per-client limits must be far
# above the offered load: Identity and the gateway run with those settings during the run and are restarted as
# `up` starts them afterwards (also when the run fails or is interrupted), so no staff account can mint test voters
# and no limit stays lifted. Last line: votes_per_s=N p99_ms=N lag_p99_ms=N lost=N duplicated=N ratio_vs_noop=F
BENCH_COMPONENTS=(identity gateway)   # the components the bench settings apply to
bench_settings() { # exported, so every component started afterwards inherits them
  export Identity__AllowTestVoters=true Identity__AllowTestClients=true
  export Gateway__RateLimits__PerClientPerSecond=1000000 Gateway__RateLimits__PerClientBurst=1000000
  export Gateway__RateLimits__AnonymousPerSecond=1000000 Gateway__RateLimits__AnonymousBurst=1000000
  export Gateway__RateLimits__CredentialsPerMinute=1000000   # the test voters' tokens come from the token endpoint
  local limit; for limit in VotesPerUser VotesPerAddress CommentsPerUser CommentsPerAddress; do
    export "Gateway__RateLimits__${limit}PerMinute=60000000" "Gateway__RateLimits__${limit}Burst=1000000"
  done
}
bench_restore() { # identity and gateway again with up's settings (test voters off, rate limits on)
  local name v
  unset Identity__AllowTestVoters Identity__AllowTestClients
  for v in "${!Gateway__RateLimits__@}"; do unset "$v"; done
  OTLP_EXPORT=0; pid_alive "$(pid_read dashboard)" Aspire.Dashboard && OTLP_EXPORT=1   # as `up` left them
  for name in "${BENCH_COMPONENTS[@]}"; do
    comp_running "$name" && stop_pid "$name" "$(basename "$(comp_dll "$name")")" 20
  done
  if components_up >/dev/null 2>&1; then
    step bench "restored ${BENCH_COMPONENTS[*]} as up starts them (test voters off, rate limits on)"
  else
    warn "restarting ${BENCH_COMPONENTS[*]} after the bench failed; run './mitreden up'"
  fi
}
bench_exit() { local rc=$?; trap - EXIT INT TERM; set +e; echo; bench_restore; exit "$rc"; }
cmd_bench() {
  local args=() rc=0 name want restarted=() out log dll t0 last
  t0=$(now_us)
  while (($#)); do args+=("$1"); shift; done
  ensure_packages
  ensure_dotnet
  set_mode up; make_dirs; ensure_secrets
  DEV=0
  bench_settings
  servers_up
  build
  trap bench_exit EXIT
  trap 'exit 130' INT TERM
  for name in "${BENCH_COMPONENTS[@]}"; do   # already running without the bench settings: restart with them
    want=Identity__AllowTestVoters=true; [[ $name == gateway ]] && want=Gateway__RateLimits__VotesPerAddressBurst=1000000
    if comp_running "$name" && ! tr '\0' '\n' <"/proc/$(pid_read "$name")/environ" 2>/dev/null | grep -qxF -- "$want"; then
      stop_pid "$name" "$(basename "$(comp_dll "$name")")" 20; restarted+=("$name")
    fi
  done
  components_up
  ((${#restarted[@]})) && step bench "restarted ${restarted[*]} with bench settings (test voters on, high rate limits)"

  log=$LOGS/bench-build.log
  dotnet build "$ROOT/loadtests/Mitreden.LoadTests/Mitreden.LoadTests.csproj" -c Release -nologo -v q \
    --artifacts-path "$ARTIFACTS" >"$log" 2>&1 || { show_tail "$log" 30; die "building the load driver failed"; }
  dll=$ARTIFACTS/bin/Mitreden.LoadTests/release/Mitreden.LoadTests.dll
  out=$ROOT/loadtests/out/$(date '+%Y%m%d-%H%M%S')
  log=$LOGS/bench.log
  step bench "driver ready ($(since "$t0")); report in ${out#"$ROOT"/}/"
  echo
  set +e
  MITREDEN_BENCH_RABBIT_MGMT="http://mitreden:$(rabbit_pw)@127.0.0.1:$MGMT_PORT" \
    dotnet "$dll" --base-url "http://127.0.0.1:$GATEWAY_PORT" --scenarios noop,vote-burst --out "$out" "${args[@]}" 2>&1 | tee "$log"
  rc=${PIPESTATUS[0]}
  set -e
  last=$(tail -n 1 "$log")
  if [[ $last != votes_per_s=* ]]; then   # the driver failed before its summary: still end with the line
    last="votes_per_s=0 p99_ms=0 lag_p99_ms=0 lost=-1 duplicated=-1 ratio_vs_noop=0.00"
    ((rc != 0)) || rc=1
  fi
  trap - EXIT INT TERM
  echo; bench_restore
  echo "$last"   # the summary stays the last line
  return "$rc"
}
