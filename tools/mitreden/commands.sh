# shellcheck shell=bash
# mitreden: up, down, status, logs. Sourced by ./mitreden (the one entry point), not run on its own.

# ---------------------------------------------------------------------------------------------------
# commands
# ---------------------------------------------------------------------------------------------------
cmd_up() {
  DEV=0 OTLP_EXPORT=1
  while (($#)); do case $1 in --dev) DEV=1 ;; --no-dashboard) OTLP_EXPORT=0 ;; *) usage >&2; exit 2 ;; esac; shift; done
  local t0; t0=$(now_us)
  ensure_packages
  ensure_dotnet
  set_mode up; make_dirs; ensure_secrets
  servers_up
  smtp4dev_start
  build
  ((OTLP_EXPORT)) && dashboard_start
  components_up
  echo
  echo "Mitreden is up: http://127.0.0.1:$GATEWAY_PORT   ($(since "$t0"); ./mitreden status | logs | down)"
  ((OTLP_EXPORT)) && echo "Dashboard (traces, metrics, logs): $(dashboard_url)"
  smtp4dev_running && echo "Mails:  $(smtp4dev_url)   (smtp4dev: every mail Identity sends)"
  DEMO_LOGINS
}

cmd_down() {
  set_mode up
  [[ -d $PIDS ]] || { echo "nothing to stop"; return 0; }
  components_down
  servers_down
  ((STOPPED)) || echo "nothing was running"
}

status_table() {
  local name p port state health code
  printf '%-12s %-8s %-6s %-8s %s\n' NAME PID PORT STATE HEALTH
  row() { printf '%-12s %-8s %-6s %-8s %s\n' "$@"; }
  load_secrets
  # postgres
  p=$(pg_pid); state=stopped; health=-
  if pg_running; then state=running
    "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT" && health=ready || health="not ready"; fi
  row postgres "${p:--}" "$PG_PORT" "$state" "$health"
  p=$(pid_read redis); state=stopped; health=-
  if redis_running; then state=running
    [[ $(redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null) == PONG ]] && health=ready || health="not ready"; fi
  row redis "${p:--}" "$REDIS_PORT" "$state" "$health"
  p=$(pid_read rabbitmq); state=stopped; health=-
  if rabbit_running; then state=running
    code=$(mgmt GET /health/checks/alarms); [[ $code == 200 ]] && health=ready || health="not ready"; fi
  row rabbitmq "${p:--}" "$AMQP_PORT" "$state" "$health"
  p=$(pid_read epmd); state=stopped; health=-
  if pid_alive "$p" epmd && port_open "$EPMD_PORT"; then state=running; health=ready; fi
  row epmd "${p:--}" "$EPMD_PORT" "$state" "$health"
  for name in "${COMPONENTS[@]}"; do
    p=$(pid_read "$name"); port=$(comp_port "$name"); state=stopped; health=-
    if comp_running "$name"; then state=running
      [[ $(http_code "http://127.0.0.1:$port/health/ready" 2) == 200 ]] && health=ready || health="not ready"; fi
    row "$name" "${p:--}" "$port" "$state" "$health"
  done
  p=$(pid_read dashboard); state=stopped; health=-
  if pid_alive "$p" Aspire.Dashboard; then state=running; dashboard_ready && health=ready || health="not ready"; fi
  row dashboard "${p:--}" "$(comp_port dashboard)" "$state" "$health"
  p=$(pid_read smtp4dev); state=stopped; health=-
  if smtp4dev_running; then state=running; smtp4dev_ready && health=ready || health="not ready"; fi
  row smtp4dev "${p:--}" "$(comp_port smtp4dev)" "$state" "$health"
}
cmd_status() { set_mode up; status_table; }

cmd_logs() {
  set_mode up
  if (($# == 0)); then
    [[ -d $LOGS ]] || { echo "no logs yet"; return 0; }
    echo "logs in ${LOGS#"$ROOT"/} (./mitreden logs <name>):"
    local f; for f in "$LOGS"/*.log; do [[ -e $f ]] && printf '  %-12s %8s  %s\n' "$(basename "$f" .log)" \
      "$(du -hL "$f" | cut -f1)" "$(date -r "$f" '+%F %T')"; done
    return 0
  fi
  [[ -f $LOGS/$1.log ]] || die "no log '$1' (run ./mitreden logs for the list)"
  exec tail -n 100 -f "$LOGS/$1.log"
}
