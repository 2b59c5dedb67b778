# shellcheck shell=bash
# mitreden: PostgreSQL, Redis and RabbitMQ as plain processes. Sourced by ./mitreden (the one entry point), not run on its own.

# ---------------------------------------------------------------------------------------------------
# PostgreSQL 15
# ---------------------------------------------------------------------------------------------------
pg_pid() { [[ -f $PG_DATA/postmaster.pid ]] && head -n1 "$PG_DATA/postmaster.pid" 2>/dev/null || true; }
pg_running() { pid_alive "$(pg_pid)" postgres && port_open "$PG_PORT"; }
psql_admin() { # psql as superuser over TCP
  PGPASSWORD=${SECRET[MITREDEN_PG_PASSWORD]:-} PGCONNECT_TIMEOUT=5 \
    "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres "$@"
}

# As root, PG_DIR (outside the checkout, see set_mode) belongs to this checkout only while .state links to it: a
# folder without the link was left by a removed checkout or a removed .state at the same path (other secrets), so
# its server is stopped and the folder replaced. Without it a fresh clone would meet a stranger's data.
pg_claim() {
  [[ $PG_DIR == "$STATE/postgres" ]] && return 0
  if [[ $(readlink "$STATE/postgres" 2>/dev/null) != "$PG_DIR" ]]; then
    if [[ -e $PG_DIR ]]; then
      local p; p=$(pg_pid)
      if pid_alive "$p" postgres; then
        as_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" -m immediate -w -t 30 stop >/dev/null 2>&1 || { kill -KILL "$p" 2>/dev/null || true; sleep 0.5; }
      fi
      rm -rf "${PG_DIR:?}"
      step postgres "removed $PG_DIR (stale: no .state links to it)"
    fi
    mkdir -p "$STATE"; rm -f "$STATE/postgres"; ln -s "$PG_DIR" "$STATE/postgres"
  fi
  mkdir -p "$PG_HOME"
}

pg_start() {
  local t0 out opts; t0=$(now_us)
  pg_claim
  if pg_running; then
    pg_pid >"$PIDS/postgres.pid"; step postgres "already running (pid $(pg_pid), 127.0.0.1:$PG_PORT)"; return 0
  fi
  port_open "$PG_PORT" && die "port $PG_PORT is in use by another process (postgres)"
  mkdir -p "$PG_DIR"; chmod 700 "$PG_DIR"
  ((EUID == 0)) && chown postgres: "$PG_DIR"
  [[ $PG_LOG == "$LOGS/postgres.log" ]] || ln -sfn "$PG_LOG" "$LOGS/postgres.log"   # ./mitreden logs postgres
  if [[ ! -s $PG_DATA/PG_VERSION ]]; then
    rm -rf "$PG_DATA"
    local init=("$PG_BIN/initdb" -D "$PG_DATA" -U postgres -E UTF8 --locale=C.UTF-8)
    if ((PG_TRUST)); then
      out=$(as_pg "${init[@]}" --auth=trust --no-sync 2>&1) || { echo "$out"; die "initdb failed"; }
    else
      local pwfile=$PG_DIR/.pwfile
      (umask 077; printf '%s\n' "${SECRET[MITREDEN_PG_PASSWORD]}" >"$pwfile")
      ((EUID == 0)) && chown postgres: "$pwfile"
      out=$(as_pg "${init[@]}" --auth=scram-sha-256 --pwfile="$pwfile" 2>&1) || { rm -f "$pwfile"; echo "$out"; die "initdb failed"; }
      rm -f "$pwfile"
    fi
    cat >>"$PG_DATA/postgresql.conf" <<EOF

# --- mitreden ---
listen_addresses = '127.0.0.1'
port = $PG_PORT
unix_socket_directories = '$PG_DIR'
EOF
  fi
  touch "$PG_LOG"; ((EUID == 0)) && chown postgres: "$PG_LOG"
  pg_budget_check
  # pg_ctl hands opts to a shell
  opts="-c listen_addresses=127.0.0.1 -p $PG_PORT -k '$PG_DIR' -c max_connections=${PG_BUDGET[max_connections]}"
  opts+=" -c superuser_reserved_connections=${PG_BUDGET[superuser_reserved]}"
  ((DURABLE)) || opts+=" -c fsync=off -c synchronous_commit=off"
  out=$(as_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" -l "$PG_LOG" -o "$opts" -w -t 60 start 2>&1) \
    || { echo "$out"; show_tail "$PG_LOG"; die "postgres did not start"; }
  pg_pid >"$PIDS/postgres.pid"
  step postgres "started (pid $(pg_pid), 127.0.0.1:$PG_PORT, $(since "$t0"))"
}

# The budget of tools/mitreden/postgres-connections fits the server: every service process of the largest stack
# (`faults`: voting three times) at its full pool, plus migrations, tests and the superuser's reserve.
pg_budget_check() {
  local s sum=0 v
  for s in "${SERVICES[@]}"; do
    [[ ${PG_BUDGET[$s]:-} =~ ^[0-9]+$ ]] || die "tools/mitreden/postgres-connections: no pool for $s"
    v=1; [[ $s == voting ]] && v=3
    sum=$((sum + v * PG_BUDGET[$s]))
  done
  sum=$((sum + PG_BUDGET[migrations] + PG_BUDGET[tests] + PG_BUDGET[superuser_reserved]))
  ((sum <= PG_BUDGET[max_connections])) ||
    die "tools/mitreden/postgres-connections: the budget needs $sum connections, max_connections is ${PG_BUDGET[max_connections]}"
}

pg_setup() { # role mitreden + one database per service, idempotent
  local dbs="" s
  for s in "${SERVICES[@]}"; do dbs+="${dbs:+,}mitreden_$s"; done
  psql_admin -v pw="${SECRET[MITREDEN_PG_PASSWORD]}" -v dbs="$dbs" <"$TOOLS_DIR/create-databases.sql" >/dev/null \
    || die "postgres: creating role/databases failed"
}

pg_stop() {
  local p; p=$(pg_pid)
  if [[ -s $PG_DATA/PG_VERSION ]] && pid_alive "$p" postgres; then
    as_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" -m fast -w -t 60 stop >/dev/null 2>&1 || {
      warn "pg_ctl stop failed, sending SIGQUIT to $p"; kill -QUIT "$p" 2>/dev/null || true; sleep 1; }
    step postgres "stopped (pid $p)"; STOPPED=$((STOPPED + 1))
  fi
  rm -f "$PIDS/postgres.pid"
}

# ---------------------------------------------------------------------------------------------------
# Redis
# ---------------------------------------------------------------------------------------------------
redis_running() { pid_alive "$(pid_read redis)" redis-server && port_open "$REDIS_PORT"; }

redis_start() {
  local t0 i; t0=$(now_us)
  if redis_running; then step redis "already running (pid $(pid_read redis), 127.0.0.1:$REDIS_PORT)"; return 0; fi
  port_open "$REDIS_PORT" && die "port $REDIS_PORT is in use by another process (redis)"
  mkdir -p "$REDIS_DIR"; chmod 700 "$REDIS_DIR"
  local args=(--bind 127.0.0.1 --port "$REDIS_PORT" --dir "$REDIS_DIR" --daemonize no --logfile "" --protected-mode yes)
  if ((DURABLE)); then args+=(--appendonly yes); else args+=(--appendonly no --save ""); fi
  local conf=()
  if [[ -n ${SECRET[MITREDEN_REDIS_PASSWORD]:-} ]]; then   # in a file: a password on the command line shows in ps
    conf=("$REDIS_DIR/redis.conf"); (umask 077; echo "requirepass ${SECRET[MITREDEN_REDIS_PASSWORD]}" >"${conf[0]}")
    export REDISCLI_AUTH=${SECRET[MITREDEN_REDIS_PASSWORD]}
  fi
  launch redis "$LOGS/redis.log" redis-server "${conf[@]}" "${args[@]}"
  for ((i = 0; i < 100; i++)); do
    [[ $(redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null) == PONG ]] && break
    pid_alive "$(pid_read redis)" || break
    sleep 0.1
  done
  [[ $(redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null) == PONG ]] || { show_tail "$LOGS/redis.log"; die "redis did not start"; }
  step redis "started (pid $(pid_read redis), 127.0.0.1:$REDIS_PORT, $(since "$t0"))"
}

redis_stop() { stop_pid redis redis-server 30; }

# ---------------------------------------------------------------------------------------------------
# smtp4dev: a local SMTP server with a web inbox and a REST API (dotnet tool), where Identity sends every mail in
# `up` and the test stacks (comp_env); the tests read the mails from its API (tests/TestKit/Mailbox.cs).
# MITREDEN_SMTP4DEV=0: not started, Identity writes .eml files into $STATE/mail instead.
# ---------------------------------------------------------------------------------------------------
SMTP4DEV_VERSION=3.15.0
SMTP4DEV_BIN=$ROOT/.state/tools/smtp4dev   # shared by every mode of this checkout (test folders are wiped)
smtp4dev_url() { echo "http://127.0.0.1:$(comp_port smtp4dev)"; }
smtp4dev_running() { pid_alive "$(pid_read smtp4dev)" smtp4dev; }
smtp4dev_ready() { [[ $(http_code "$(smtp4dev_url)/api/messages" 2) == 200 ]]; }
smtp4dev_ensure() { # installs the tool once; a lock keeps two stacks of this checkout from installing at once
  [[ -x $SMTP4DEV_BIN ]] && return 0
  local t0 log=$LOGS/smtp4dev-install.log tools; t0=$(now_us); tools=$(dirname "$SMTP4DEV_BIN")
  mkdir -p "$tools"
  (flock 9; [[ -x $SMTP4DEV_BIN ]] || dotnet tool install --tool-path "$tools" Rnwood.Smtp4dev --version "$SMTP4DEV_VERSION") \
    9>"$tools/.install.lock" >"$log" 2>&1 || { show_tail "$log" 15; die "installing smtp4dev failed"; }
  step smtp4dev "installed $SMTP4DEV_VERSION ($(since "$t0"))"
}
smtp4dev_start() {
  [[ ${MITREDEN_SMTP4DEV:-1} == 0 ]] && { step smtp4dev "not started (MITREDEN_SMTP4DEV=0): mails go to ${STATE#"$ROOT"/}/mail"; return 0; }
  local t0 web smtp i p; t0=$(now_us); web=$(comp_port smtp4dev); smtp=$(comp_port smtp4dev-smtp)
  if smtp4dev_running && smtp4dev_ready; then
    step smtp4dev "already running (pid $(pid_read smtp4dev), inbox $(smtp4dev_url), smtp :$smtp)"; return 0
  fi
  stop_pid smtp4dev smtp4dev 10 >/dev/null   # a recorded one that does not answer
  for p in "$web" "$smtp"; do port_open "$p" && die "port $p is in use by another process (smtp4dev)"; done
  smtp4dev_ensure
  # in-memory database (--db=): every start has an empty inbox and nothing lands in the checkout; the default keeps
  # only 100 messages, fewer than a test run sends; IMAP and POP3 off; SMTP bound to loopback like the web inbox
  launch smtp4dev "$LOGS/smtp4dev.log" env -C "$STATE" "$SMTP4DEV_BIN" --urls="http://127.0.0.1:$web" \
    --smtpport="$smtp" --bindaddress=127.0.0.1 --imapport= --pop3port= --hostname=127.0.0.1 --db= \
    --messagestokeep=100000 --sessionstokeep=100 --tlsmode=None --nousersettings
  for ((i = 0; i < 600; i++)); do   # up to 60 s; the first start takes a few seconds
    smtp4dev_ready && break
    smtp4dev_running || { show_tail "$LOGS/smtp4dev.log"; die "smtp4dev exited during startup"; }
    sleep 0.1
  done
  smtp4dev_ready || { show_tail "$LOGS/smtp4dev.log"; die "smtp4dev did not answer on $(smtp4dev_url)/api/messages in 60 s"; }
  step smtp4dev "started (pid $(pid_read smtp4dev), inbox $(smtp4dev_url), smtp :$smtp, $(since "$t0"))"
}
smtp4dev_stop() { stop_pid smtp4dev smtp4dev 10; }

# ---------------------------------------------------------------------------------------------------
# RabbitMQ (single node, private epmd). Every CLI call goes through rmq_ctl with HOME/ERL_EPMD_PORT set,
# otherwise the CLI would spawn a stray epmd on the default port 4369.
# ---------------------------------------------------------------------------------------------------
rabbit_env() {
  RENV=(
    HOME="$RABBIT_DIR/home" ERL_EPMD_PORT="$EPMD_PORT"
    RABBITMQ_NODENAME="$RABBIT_NODE" RABBITMQ_NODE_IP_ADDRESS=127.0.0.1 RABBITMQ_NODE_PORT="$AMQP_PORT"
    RABBITMQ_DIST_PORT="$DIST_PORT"
    RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}"
    RABBITMQ_CTL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}"
    RABBITMQ_CONFIG_FILE="$RABBIT_DIR/rabbitmq.conf" RABBITMQ_CONF_ENV_FILE="$RABBIT_DIR/rabbitmq-env.conf"
    RABBITMQ_ADVANCED_CONFIG_FILE="$RABBIT_DIR/advanced.config"
    RABBITMQ_MNESIA_BASE="$RABBIT_DIR/mnesia" RABBITMQ_LOG_BASE="$RABBIT_DIR/log" RABBITMQ_LOGS=-
    RABBITMQ_ENABLED_PLUGINS_FILE="$RABBIT_DIR/enabled_plugins" RABBITMQ_PID_FILE="$RABBIT_DIR/rabbit.pid"
  )
}
rmq_ctl() { rabbit_env; env "${RENV[@]}" "$RABBIT_BIN/rabbitmqctl" -q -n "$RABBIT_NODE" "$@"; }
rabbit_pw() { echo "${SECRET[MITREDEN_RABBIT_PASSWORD]:-}"; }
mgmt() { # method path [json] -> http code
  local args=(-s -o /dev/null -m 10 -w '%{http_code}' -u "mitreden:$(rabbit_pw)" -X "$1")
  [[ -n ${3:-} ]] && args+=(-H 'content-type: application/json' -d "$3")
  curl "${args[@]}" "http://127.0.0.1:$MGMT_PORT/api$2" 2>/dev/null || true
}
urlenc() { python3 -c 'import sys,urllib.parse;print(urllib.parse.quote(sys.argv[1],safe=""))' "$1"; }

epmd_bin() { command -v epmd 2>/dev/null || ls /usr/lib/erlang/erts-*/bin/epmd 2>/dev/null | head -n1; }
epmd_start() {
  if pid_alive "$(pid_read epmd)" epmd && port_open "$EPMD_PORT"; then return 0; fi
  port_open "$EPMD_PORT" && die "port $EPMD_PORT (epmd) is in use by another process"
  local bin i; bin=$(epmd_bin); [[ -n $bin ]] || die "epmd not found"
  launch epmd "$LOGS/epmd.log" env ERL_EPMD_ADDRESS=127.0.0.1 "$bin" -port "$EPMD_PORT"
  for ((i = 0; i < 50; i++)); do port_open "$EPMD_PORT" && return 0; sleep 0.1; done
  show_tail "$LOGS/epmd.log"; die "epmd did not start on $EPMD_PORT"
}
epmd_stop() { stop_pid epmd epmd 10; }

rabbit_running() { pid_alive "$(pid_read rabbitmq)" rabbit && port_open "$AMQP_PORT"; }

rabbit_conf() { # the rabbitmq.conf lines of every node (ours and the faults cluster's)
  # default_* only apply when the node boots with an empty database (replaces guest/guest)
  cat <<EOF
management.tcp.ip = 127.0.0.1
management.tcp.port = $MGMT_PORT
default_user = mitreden
default_pass = $(rabbit_pw)
default_vhost = $DEFAULT_VHOST
default_user_tags.administrator = true
default_permissions.configure = .*
default_permissions.read = .*
default_permissions.write = .*
EOF
}

rabbit_launch() { # starts the node without waiting (rabbit_ready waits), so other work can overlap
  RABBIT_T0=$(now_us); RABBIT_LAUNCHED=0
  if rabbit_running; then return 0; fi
  if pid_alive "$(pid_read rabbitmq)" rabbit; then
    die "rabbitmq (pid $(pid_read rabbitmq)) is running but port $AMQP_PORT does not answer; run './mitreden down'"
  fi
  local p; for p in "$AMQP_PORT" "$MGMT_PORT" "$DIST_PORT"; do
    port_open "$p" && die "port $p is in use by another process (rabbitmq)"
  done
  mkdir -p "$RABBIT_DIR/home" "$RABBIT_DIR/log" "$RABBIT_DIR/mnesia"; chmod 700 "$RABBIT_DIR"
  if [[ ! -s $RABBIT_DIR/home/.erlang.cookie ]]; then
    (umask 077; rand_hex 20 | tr a-f A-F >"$RABBIT_DIR/home/.erlang.cookie")
  fi
  chmod 400 "$RABBIT_DIR/home/.erlang.cookie"
  : >"$RABBIT_DIR/rabbitmq-env.conf"
  echo '[].' >"$RABBIT_DIR/advanced.config"
  echo '[rabbitmq_management].' >"$RABBIT_DIR/enabled_plugins"
  rabbit_conf >"$RABBIT_DIR/rabbitmq.conf"
  chmod 600 "$RABBIT_DIR/rabbitmq.conf"
  epmd_start
  rm -f "$RABBIT_DIR/rabbit.pid"
  rabbit_env
  launch rabbitmq "$LOGS/rabbitmq.log" env "${RENV[@]}" "$RABBIT_BIN/rabbitmq-server"
  RABBIT_LAUNCHED=1
}

rabbit_ready() { # waits for the node launched by rabbit_launch, then creates user/vhost/permissions
  if ((RABBIT_LAUNCHED)); then
    local launcher i beam=""; launcher=$(pid_read rabbitmq)
    for ((i = 0; i < 1200; i++)); do          # up to 120 s; fail fast if the node dies
      pid_alive "$launcher" || { show_tail "$LOGS/rabbitmq.log"; die "rabbitmq exited during startup"; }
      [[ -s $RABBIT_DIR/rabbit.pid ]] && port_open "$AMQP_PORT" && break
      sleep 0.1
    done
    ((i < 1200)) || { show_tail "$LOGS/rabbitmq.log"; die "rabbitmq not ready after 120 s"; }
    rmq_ctl wait "$RABBIT_DIR/rabbit.pid" --timeout 60 >>"$LOGS/rabbitmq.log" 2>&1 \
      || { show_tail "$LOGS/rabbitmq.log"; die "rabbitmqctl wait failed"; }
    read -r beam <"$RABBIT_DIR/rabbit.pid" || true
    echo "$beam" >"$PIDS/rabbitmq.pid"          # down sends SIGTERM to the beam process itself
  fi
  rabbit_setup
  if ((RABBIT_LAUNCHED)); then
    step rabbitmq "started (pid $(pid_read rabbitmq), amqp 127.0.0.1:$AMQP_PORT, mgmt 127.0.0.1:$MGMT_PORT, $(since "$RABBIT_T0"))"
  else
    step rabbitmq "already running (pid $(pid_read rabbitmq), amqp 127.0.0.1:$AMQP_PORT)"
  fi
}

rabbit_setup() { # idempotent: admin user mitreden, vhosts, permissions; no guest user
  local pw i code perms='{"configure":".*","write":".*","read":".*"}' v
  pw=$(rabbit_pw)
  for ((i = 0; i < 300; i++)); do           # management listener comes up with the node
    code=$(mgmt GET /whoami); [[ $code == 200 || $code == 401 ]] && break; sleep 0.1
  done
  if [[ $code == 401 ]]; then                 # database predates this password: fix it through the CLI
    { rmq_ctl add_user mitreden "$pw" || rmq_ctl change_password mitreden "$pw"
      rmq_ctl set_user_tags mitreden administrator; } >>"$LOGS/rabbitmq.log" 2>&1 || die "rabbitmq: creating user failed"
    code=$(mgmt GET /whoami)
  fi
  [[ $code == 200 ]] || { show_tail "$LOGS/rabbitmq.log" 20; die "rabbitmq management API on $MGMT_PORT answered $code"; }
  code=$(mgmt PUT /users/mitreden "{\"password\":\"$pw\",\"tags\":\"administrator\"}")
  [[ $code == 201 || $code == 204 ]] || die "rabbitmq: PUT user answered $code"
  for v in "$DEFAULT_VHOST" "$STACK_VHOST"; do
    code=$(mgmt PUT "/vhosts/$(urlenc "$v")")
    [[ $code == 201 || $code == 204 ]] || die "rabbitmq: PUT vhost $v answered $code"
    code=$(mgmt PUT "/permissions/$(urlenc "$v")/mitreden" "$perms")
    [[ $code == 201 || $code == 204 ]] || die "rabbitmq: PUT permissions $v answered $code"
  done
  mgmt DELETE /users/guest >/dev/null
}

rabbit_stop() {
  local p i; p=$(pid_read rabbitmq)
  if pid_alive "$p" rabbit; then
    kill -TERM "$p" 2>/dev/null || true
    for ((i = 0; i < 600; i++)); do pid_alive "$p" || break; sleep 0.1; done
    if pid_alive "$p"; then warn "rabbitmq ($p) still running after 60 s, killing"; kill -KILL "$p" 2>/dev/null || true; sleep 0.5; fi
    step rabbitmq "stopped (pid $p)"; STOPPED=$((STOPPED + 1))
  fi
  rm -f "$PIDS/rabbitmq.pid"
  epmd_stop
}

# ---------------------------------------------------------------------------------------------------
# servers as a group
# ---------------------------------------------------------------------------------------------------
servers_up() { # rabbit boots in the background while postgres and redis start
  rabbit_launch
  pg_start; pg_setup
  redis_start
  rabbit_ready
}
servers_down() { smtp4dev_stop; rabbit_stop; redis_stop; pg_stop; }
