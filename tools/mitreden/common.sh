# shellcheck shell=bash
# mitreden: output helpers, the mode (ports and folders of each stack), process helpers, packages, secrets. Sourced by ./mitreden (the one entry point), not run on its own.

# ---------------------------------------------------------------------------------------------------
# output helpers
# ---------------------------------------------------------------------------------------------------
STOPPED=0
step() { printf '%-12s %s\n' "$1" "$2"; }
warn() { printf 'warning: %s\n' "$*" >&2; }
die()  { printf 'error: %s\n' "$*" >&2; exit 1; }
now_us() { local t=${EPOCHREALTIME//[.,]/}; echo "$t"; }
since() { local us=$(( $(now_us) - $1 )); printf '%d.%d s' $((us / 1000000)) $((us % 1000000 / 100000)); }
show_tail() { # file [lines]
  [[ -f $1 ]] || { echo "  (no log at $1)"; return 0; }
  local from; from=$(grep -n '^==== .* start ' "$1" | tail -n1 | cut -d: -f1)   # this run only
  echo "---- last ${2:-40} lines of ${1#"$ROOT"/} ----"
  tail -n "+${from:-1}" "$1" | tail -n "${2:-40}" | sed 's/^/  /'
  echo "----"
}

# ---------------------------------------------------------------------------------------------------
# ports: each component's base port from tools/mitreden/ports (the one table; CONVENTIONS.md "Ports")
# ---------------------------------------------------------------------------------------------------
declare -A PORTS=()
while read -r name port _; do
  [[ -z $name || $name == \#* ]] || PORTS[$name]=$port
done <"$TOOLS_DIR/ports"
unset name port
# PostgreSQL connections: each service's pool per process and the server's limits (tools/mitreden/postgres-connections)
declare -A PG_BUDGET=()
while read -r name count _; do
  [[ -z $name || $name == \#* ]] || PG_BUDGET[$name]=$count
done <"$TOOLS_DIR/postgres-connections"
unset name count

# ---------------------------------------------------------------------------------------------------
# mode: everything that differs between the stacks is set here, and only here. The other files read these
# globals, never $MODE itself:
#   STATE OFF GATEWAY_PORT PG_PORT REDIS_PORT AMQP_PORT MGMT_PORT EPMD_PORT DIST_PORT (REGISTRY_PORT in k8s)
#                    folder and ports of the stack (component ports: tools/mitreden/ports + OFF)
#   RABBIT_NODE STACK_VHOST DEFAULT_VHOST   the broker's node name and virtual hosts
#   DURABLE=1        servers keep data across a crash (PostgreSQL fsync, Redis append-only file); 0: throwaway
#   PG_TRUST=1       PostgreSQL trusts local connections (test stacks only); 0: scram-sha-256 with a password
#   SEED_DEMO=true   services seed the demo content (false: the tests bring their own)
#   BENCH_SETTINGS=1 components start with the bench's settings (bench_settings: test voters, rate limits far above
#                    the load). A test slot for the load driver (MITREDEN_TEST_BENCH=1 ./mitreden test-stack up,
#                    loadtests/mixed-on-slot) gets them and the demo content
#   TEST_SETTINGS=1  services get the suite's settings (bootstrap admin, test voters and clients, fast phase clock, docs)
#   RABBIT_PW_FIXED  the broker password written into new secrets, or empty for a random one
#   REDIS_AUTH=1     Redis requires a password (as the chart's does)
#   GUARD_DATA=1     never generate new secrets beside existing server data (`up`'s data is the city's)
#   LOGS PIDS SECRETS_FILE PG_DIR PG_LOG PG_DATA REDIS_DIR RABBIT_DIR   derived from STATE
# ---------------------------------------------------------------------------------------------------
set_mode() {
  MODE=$1
  DURABLE=0 PG_TRUST=0 SEED_DEMO=true BENCH_SETTINGS=0 TEST_SETTINGS=0 RABBIT_PW_FIXED="" REDIS_AUTH=0 GUARD_DATA=0
  case $MODE in
    up)
      STATE=$ROOT/.state; OFF=0; DURABLE=1; GUARD_DATA=1
      PG_PORT=55432; REDIS_PORT=56379; AMQP_PORT=5682; MGMT_PORT=15682; EPMD_PORT=4399
      GATEWAY_PORT=${MITREDEN_PORT:-${PORTS[gateway]}}
      RABBIT_NODE=mitreden@localhost; STACK_VHOST=mitreden; DEFAULT_VHOST=mitreden ;;
    test)
      # MITREDEN_TEST_SLOT=1..4 runs a second, independent test stack (own folder and ports) beside slot 0
      local n=${MITREDEN_TEST_SLOT:-0}
      [[ $n =~ ^[0-4]$ ]] || die "MITREDEN_TEST_SLOT must be 0..4"
      STATE=$ROOT/.state/test; RABBIT_NODE=mitreden-test@localhost
      PG_TRUST=1; SEED_DEMO=false; TEST_SETTINGS=1; RABBIT_PW_FIXED=mitreden   # the tests' fixed broker admin
      [[ ${MITREDEN_TEST_BENCH:-0} == 1 ]] && SEED_DEMO=true BENCH_SETTINGS=1
      ((n > 0)) && STATE=$ROOT/.state/test-$n && RABBIT_NODE=mitreden-test-$n@localhost
      OFF=$((10000 + n * 1000))
      # below Linux's ephemeral range (32768+), where the local end of any client connection may sit
      PG_PORT=$((25433 + n * 10)); REDIS_PORT=$((26380 + n * 10)); AMQP_PORT=$((5683 + n * 10))
      MGMT_PORT=$((15683 + n * 10)); EPMD_PORT=$((4398 - n * 3))
      GATEWAY_PORT=$((PORTS[gateway] + OFF))
      STACK_VHOST=mitreden-stack; DEFAULT_VHOST=/ ;;
    faults)
      # `faults`: a stack of its own with a 3-node RabbitMQ cluster (see faults_mode); MITREDEN_TEST_SLOT shifts it
      local n=${MITREDEN_TEST_SLOT:-0}
      [[ $n =~ ^[0-4]$ ]] || die "MITREDEN_TEST_SLOT must be 0..4"
      STATE=$ROOT/.state/faults; RABBIT_NODE=mitreden-faults-1@localhost; DURABLE=1
      ((n > 0)) && STATE=$ROOT/.state/faults-$n && RABBIT_NODE=mitreden-faults$n-1@localhost
      OFF=$((15000 + n * 1000))
      # below Linux's ephemeral range (32768+): this stack starts after a whole test run, when any port up there
      # may be the local end of some client connection
      PG_PORT=$((25483 + n * 10)); REDIS_PORT=$((26430 + n * 10)); AMQP_PORT=$((5733 + n * 10))
      MGMT_PORT=$((15733 + n * 10)); EPMD_PORT=$((4380 - n))
      GATEWAY_PORT=$((PORTS[gateway] + OFF))
      STACK_VHOST=mitreden; DEFAULT_VHOST=mitreden ;;
    k8s)
      # `k8s-smoke`: the chart's pods on Podman plus these servers and an image registry, above the faults ports
      STATE=$ROOT/.state/k8s; RABBIT_NODE=mitreden-k8s@localhost; OFF=20000; REDIS_AUTH=1
      PG_PORT=25533; REDIS_PORT=26480; AMQP_PORT=5783; MGMT_PORT=15783; EPMD_PORT=4372; REGISTRY_PORT=25580
      GATEWAY_PORT=$((PORTS[gateway] + OFF))
      STACK_VHOST=mitreden; DEFAULT_VHOST=mitreden ;;
    *) die "unknown mode $MODE" ;;
  esac
  DIST_PORT=$((AMQP_PORT + 20000))
  LOGS=$STATE/logs; PIDS=$STATE/pids; SECRETS_FILE=$STATE/secrets.env
  PG_DIR=$STATE/postgres; PG_LOG=$LOGS/postgres.log
  # As root, PostgreSQL (which runs as user postgres) gets a postgres-owned folder outside the checkout, one per
  # checkout path and mode: user postgres may not reach the checkout (a clone under /root is mode 700), and the
  # user's folders keep their permissions. .state/…/postgres links to it (pg_claim). A real folder there is the
  # layout of older versions of this script and stays in use.
  if ((EUID == 0)) && [[ ! -d $PG_DIR || -L $PG_DIR ]]; then
    local key; key=$(printf '%s' "$ROOT" | sha256sum | cut -c1-16)
    PG_DIR=$PG_HOME/$key-$MODE-${MITREDEN_TEST_SLOT:-0}; PG_LOG=$PG_DIR/postgres.log
    [[ $MODE == up ]] && PG_DIR=$PG_HOME/$key-up && PG_LOG=$PG_DIR/postgres.log
  fi
  PG_DATA=$PG_DIR/data
  REDIS_DIR=$STATE/redis; RABBIT_DIR=$STATE/rabbitmq
}

make_dirs() { mkdir -p "$STATE" "$LOGS" "$PIDS" "$STATE/mail"; }

# ---------------------------------------------------------------------------------------------------
# process helpers (everything is stopped by the PID we recorded, never by name)
# ---------------------------------------------------------------------------------------------------
pid_read() { # name -> pid from $PIDS/name.pid (empty if none)
  local p=""
  [[ -f $PIDS/$1.pid ]] && read -r p <"$PIDS/$1.pid" 2>/dev/null || true
  [[ $p =~ ^[0-9]+$ ]] && echo "$p" || true
}
pid_alive() { # pid [cmdline pattern]: alive, not a zombie, and (if given) cmdline contains pattern
  local p=${1:-} st
  [[ -n $p ]] && kill -0 "$p" 2>/dev/null || return 1
  st=$(sed 's/.*) //' "/proc/$p/stat" 2>/dev/null | cut -d' ' -f1) || return 1
  [[ $st != Z && $st != X ]] || return 1
  [[ -z ${2:-} ]] || tr '\0' ' ' <"/proc/$p/cmdline" 2>/dev/null | grep -qF -- "$2"
}
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
http_code() { curl -s -o /dev/null -m "${2:-3}" -w '%{http_code}' "$1" 2>/dev/null || true; }
launch() { # name logfile cmd... : start detached (own session, stdin closed), record pid
  local name=$1 log=$2; shift 2
  printf '==== %s start %s\n' "$(date '+%F %T')" "$name" >>"$log"
  setsid "$@" </dev/null >>"$log" 2>&1 &
  echo $! >"$PIDS/$name.pid"
}
stop_pid() { # name pattern timeout_s : SIGTERM, wait, SIGKILL as last resort
  local name=$1 pat=$2 t=${3:-20} p i
  p=$(pid_read "$name")
  if pid_alive "$p" "$pat"; then
    kill -TERM "$p" 2>/dev/null || true
    for ((i = 0; i < t * 10; i++)); do pid_alive "$p" || break; sleep 0.1; done
    if pid_alive "$p"; then warn "$name ($p) ignored SIGTERM for ${t}s, killing"; kill -KILL "$p" 2>/dev/null || true; sleep 0.2; fi
    step "$name" "stopped (pid $p)"; STOPPED=$((STOPPED + 1))
  fi
  rm -f "$PIDS/$name.pid"
}
as_pg() { # run a PostgreSQL tool as user postgres when we are root (initdb refuses root)
  if ((EUID == 0)); then (cd / && runuser -u postgres -- "$@"); else "$@"; fi
}

# ---------------------------------------------------------------------------------------------------
# packages and tools
# ---------------------------------------------------------------------------------------------------
ensure_packages() { # [extra packages]
  # fonts-dejavu-core: the font of the monitoring report PDF (Proposals)
  local want=(rabbitmq-server redis-server chromium wrk apache2-utils python3 curl openssl fonts-dejavu-core "$@") missing=() p log
  [[ -x $PG_BIN/postgres ]] || want+=(postgresql)
  for p in "${want[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  ((${#missing[@]})) || return 0
  ((EUID == 0)) || die "missing packages: ${missing[*]} (run as root to install them)"
  if [[ ! -e /usr/sbin/policy-rc.d ]]; then   # keeps apt from starting the packaged services
    printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d && chmod 755 /usr/sbin/policy-rc.d
  fi
  mkdir -p "$ROOT/.state/logs"; log=$ROOT/.state/logs/apt.log
  local t0; t0=$(now_us)
  export DEBIAN_FRONTEND=noninteractive
  local apt_install=(apt-get install -y -qq --no-install-recommends -o Dpkg::Use-Pty=0 "${missing[@]}")
  {
    if ! compgen -G '/var/lib/apt/lists/*_Packages*' >/dev/null; then apt-get update -qq; fi
    "${apt_install[@]}" || { apt-get update -qq && "${apt_install[@]}"; }
  } >"$log" 2>&1 || { show_tail "$log"; die "apt-get install failed"; }
  step apt "installed ${missing[*]} ($(since "$t0"))"
}

ensure_dotnet() {
  command -v dotnet >/dev/null || die "dotnet not found (install the .NET 10 SDK)"
  dotnet --list-sdks 2>/dev/null | grep -q '^10\.' || die "the .NET 10 SDK is missing (dotnet --list-sdks)"
}

rand_hex() { openssl rand -hex "$1" 2>/dev/null || head -c "$1" /dev/urandom | od -An -tx1 | tr -d ' \n'; }
rand_b64() { openssl rand -base64 "$1" 2>/dev/null || head -c "$1" /dev/urandom | base64 -w0; }

ensure_secrets() { # generated once; passwords are hex so they are safe in URIs and connection strings
  if [[ ! -s $SECRETS_FILE ]]; then
    if ((GUARD_DATA)) && [[ -d $STATE/postgres/data || -d $RABBIT_DIR/mnesia ]]; then   # through the link: claimed data only
      die "$SECRETS_FILE is missing but server data exists; run './mitreden down' and remove .state to start fresh"
    fi
    local rabbit_pw=${RABBIT_PW_FIXED:-$(rand_hex 24)}
    (umask 077; {
      echo "MITREDEN_PG_PASSWORD=$(rand_hex 24)"
      echo "MITREDEN_RABBIT_PASSWORD=$rabbit_pw"
      echo "Identity__KeyEncryptionKey=$(rand_b64 32)"
      echo "Voting__VoterKeySecret=$(rand_b64 32)"
      echo "MITREDEN_WEB_CLIENT_SECRET=$(rand_hex 32)"
      if ((REDIS_AUTH)); then echo "MITREDEN_REDIS_PASSWORD=$(rand_hex 24)"; fi
    } >"$SECRETS_FILE.tmp")
    mv "$SECRETS_FILE.tmp" "$SECRETS_FILE"
    step secrets "generated ${SECRETS_FILE#"$ROOT"/}"
  fi
  chmod 600 "$SECRETS_FILE"
  # Added to Mitreden after the file may have been generated: appended once to an older file.
  if ! grep -q '^MITREDEN_WEB_CLIENT_SECRET=' "$SECRETS_FILE"; then
    echo "MITREDEN_WEB_CLIENT_SECRET=$(rand_hex 32)" >>"$SECRETS_FILE"
  fi
  load_secrets
  ensure_signing_key
}

# Identity's token signing key (RSA 2048, PEM), generated once per state folder like the secrets above. To roll it
# over, add a second key with Identity__SigningKeys__1__SignFrom (see README "Signing keys"); Identity publishes it at
# once and signs with it from then on, at the earliest one validator refresh interval after it started.
SIGNING_KEY_DIR=""
ensure_signing_key() {
  SIGNING_KEY_DIR=$STATE/identity-keys
  if [[ ! -s $SIGNING_KEY_DIR/signing-0.pem ]]; then
    (umask 077; mkdir -p "$SIGNING_KEY_DIR"
      openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$SIGNING_KEY_DIR/signing-0.pem.tmp" 2>/dev/null \
        || die "openssl could not generate Identity's signing key"
      mv "$SIGNING_KEY_DIR/signing-0.pem.tmp" "$SIGNING_KEY_DIR/signing-0.pem")
    step secrets "generated ${SIGNING_KEY_DIR#"$ROOT"/}/signing-0.pem"
  fi
}
load_secrets() {
  declare -gA SECRET=()
  local line
  [[ -f $SECRETS_FILE ]] || return 0
  while IFS= read -r line || [[ -n $line ]]; do
    [[ $line == *=* && $line != \#* ]] || continue
    SECRET[${line%%=*}]=${line#*=}
  done <"$SECRETS_FILE"
}
