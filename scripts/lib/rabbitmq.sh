#!/usr/bin/env bash
# A private RabbitMQ node for tests: its own node name, ports, erlang cookie,
# epmd, data and log directories, all under one directory, listening on
# loopback only. Nothing of the system's RabbitMQ (service, /etc/rabbitmq,
# /var/lib/rabbitmq) is read or touched, so several test runs, and several
# engineers, can each have their own broker on one machine.
#
# Sourced:   source scripts/lib/rabbitmq.sh
#            rabbitmq_start DIR     boots a node, writes DIR/broker.env
#            rabbitmq_ctl DIR ARGS  runs rabbitmqctl against that node
#            rabbitmq_stop DIR      stops it and kills whatever is left
# Executed:  scripts/lib/rabbitmq.sh start|stop|ctl DIR [ARGS...]
#            (what CTest fixtures and the C++ test fixture call).
#
# DIR/broker.env holds KEY=value lines (no quoting needed, no spaces):
#   NFVSM_TEST_RABBIT_NODE      node name (for rabbitmqctl -n)
#   NFVSM_TEST_AMQP_PORT        plain AMQP port on 127.0.0.1
#   NFVSM_TEST_AMQPS_PORT       TLS AMQP port (client certificate required)
#   NFVSM_TEST_AMQP_USER        administrator user of the node
#   NFVSM_TEST_AMQP_PASSWORD    its password (random, with URL-reserved
#                               characters so URL decoding is exercised)
#   NFVSM_TEST_TRANSPORT_URL    rabbit://user:pass@127.0.0.1:port/ (encoded)
#   NFVSM_TEST_TLS_CA, NFVSM_TEST_TLS_CLIENT_CERT, NFVSM_TEST_TLS_CLIENT_KEY
#                               PEM files: the test CA, a client certificate
#   NFVSM_TEST_BROKER_DIR       DIR itself
#
# Environment: NFVSM_RABBITMQ_BOOT_TIMEOUT (seconds per attempt, default 150),
# NFVSM_RABBITMQ_TLS=0 to skip the TLS listener (and openssl).

NFVSM_RABBITMQ_BIN=${NFVSM_RABBITMQ_BIN:-/usr/lib/rabbitmq/bin}

# True when the rabbitmq-server package (or a compatible tree) is installed.
rabbitmq_available() {
  [ -x "$NFVSM_RABBITMQ_BIN/rabbitmq-server" ] && [ -x "$NFVSM_RABBITMQ_BIN/rabbitmqctl" ]
}

_rabbitmq_log() { printf 'rabbitmq.sh: %s\n' "$*" >&2; }

# A TCP port on 127.0.0.1 that nothing listens on, below the kernel's
# ephemeral range so a client socket cannot take it before the broker does.
_rabbitmq_free_port() {
  local port i
  for i in $(seq 1 200); do
    port=$((20000 + RANDOM % 12000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "$port"
      return 0
    fi
  done
  return 1
}

# Percent-encodes every byte outside RFC 3986's unreserved set.
_rabbitmq_urlencode() {
  local s=$1 out="" c i
  for ((i = 0; i < ${#s}; i++)); do
    c=${s:i:1}
    case "$c" in
    [a-zA-Z0-9.~_-]) out+=$c ;;
    *) out+=$(printf '%%%02X' "'$c") ;;
    esac
  done
  printf '%s' "$out"
}

# Environment every rabbitmq script needs to find the node and its files.
# node.env defines NODE, AMQP_PORT, AMQPS_PORT, DIST_PORT, EPMD_PORT.
# shellcheck disable=SC2153
_rabbitmq_env() {
  local dir=$1
  # shellcheck disable=SC1091
  source "$dir/node.env"
  export HOME="$dir/home"
  export RABBITMQ_CONF_ENV_FILE="$dir/rabbitmq-env.conf"
  export RABBITMQ_CONFIG_FILE="$dir/rabbitmq.conf"
  export RABBITMQ_ADVANCED_CONFIG_FILE="$dir/advanced.config"
  export RABBITMQ_ENABLED_PLUGINS_FILE="$dir/enabled_plugins"
  export RABBITMQ_MNESIA_BASE="$dir/mnesia"
  export RABBITMQ_LOG_BASE="$dir/log"
  export RABBITMQ_PID_FILE="$dir/rabbit.pid"
  export RABBITMQ_NODENAME="$NODE"
  export RABBITMQ_NODE_IP_ADDRESS=127.0.0.1
  export RABBITMQ_NODE_PORT="$AMQP_PORT"
  export RABBITMQ_DIST_PORT="$DIST_PORT"
  export ERL_EPMD_PORT="$EPMD_PORT"
  export ERL_EPMD_ADDRESS=127.0.0.1
  # Names from /etc/hosts only: a slow or absent DNS server must not stall
  # the node's boot (it resolves its own host name).
  export ERL_INETRC="$dir/erl_inetrc"
  # One scheduler, no busy-waiting and small process/atom tables: test
  # brokers share small machines, and boot time is mostly CPU.
  export RABBITMQ_MAX_NUMBER_OF_PROCESSES=65536
  export RABBITMQ_SCHEDULER_BUSY_WAIT_THRESHOLD=none
  export RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="+S 1:1 +A 4"
  export RABBITMQ_CTL_ERL_ARGS="+S 1:1 +sbwt none"
}

# Runs rabbitmqctl against the node of DIR: rabbitmq_ctl DIR list_queues.
rabbitmq_ctl() {
  local dir=$1
  shift
  (
    _rabbitmq_env "$dir"
    "$NFVSM_RABBITMQ_BIN/rabbitmqctl" -q -n "$NODE" "$@"
  )
}

# Test CA, server certificate for "localhost" (no IP address in it, so a
# client that connects to 127.0.0.1 and checks the name must refuse it) and
# a client certificate. EC P-256 keeps generation fast.
_rabbitmq_make_certs() {
  local d=$1/tls
  mkdir -p "$d"
  (
    cd "$d" || exit 1
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
      -keyout ca.key -out ca.pem -days 2 -subj "/CN=nfvsm test CA" 2>/dev/null &&
      openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
        -keyout server.key -out server.csr -subj "/CN=localhost" 2>/dev/null &&
      printf 'subjectAltName=DNS:localhost\nextendedKeyUsage=serverAuth\n' >server.ext &&
      openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial \
        -out server.pem -days 2 -extfile server.ext 2>/dev/null &&
      openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
        -keyout client.key -out client.csr -subj "/CN=nfvsm-test-client" 2>/dev/null &&
      printf 'extendedKeyUsage=clientAuth\n' >client.ext &&
      openssl x509 -req -in client.csr -CA ca.pem -CAkey ca.key -CAcreateserial \
        -out client.pem -days 2 -extfile client.ext 2>/dev/null
  )
}

# Writes the node's files and picks its ports. Idempotent per attempt.
_rabbitmq_prepare() {
  local dir=$1 tls=$2
  local amqp_port amqps_port dist_port epmd_port
  amqp_port=$(_rabbitmq_free_port) || return 1
  amqps_port=$(_rabbitmq_free_port) || return 1
  dist_port=$(_rabbitmq_free_port) || return 1
  epmd_port=$(_rabbitmq_free_port) || return 1
  rm -rf "$dir/mnesia" "$dir/log"
  mkdir -p "$dir/home" "$dir/mnesia" "$dir/log"
  chmod 700 "$dir/home"
  local node="nfvsm-test-$$-$RANDOM@localhost"
  cat >"$dir/node.env" <<EOF
NODE=$node
AMQP_PORT=$amqp_port
AMQPS_PORT=$amqps_port
DIST_PORT=$dist_port
EPMD_PORT=$epmd_port
EOF
  # A private cookie: nothing else can talk to this node.
  od -An -N16 -tx1 /dev/urandom | tr -d ' \n' >"$dir/home/.erlang.cookie"
  chmod 400 "$dir/home/.erlang.cookie"
  : >"$dir/rabbitmq-env.conf"
  printf '{file, hosts, "/etc/hosts"}.\n{lookup, [file]}.\n' >"$dir/erl_inetrc"
  echo '[].' >"$dir/enabled_plugins"

  local user=nfvsm-test
  local pass
  # Characters that need URL encoding, to exercise it. Not '/': oslo.messaging
  # 14 re-quotes the password with quote(safe='/') before kombu parses it,
  # so a '/' in a RabbitMQ password breaks every OpenStack service.
  pass="$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')@:%+"
  {
    echo "listeners.tcp.default = 127.0.0.1:$amqp_port"
    echo "default_user = $user"
    echo "default_pass = $pass"
    echo "default_vhost = /"
    echo "log.file.level = info"
    echo "log.console = false"
    # Free disk on a busy CI machine must not block publishers.
    echo "disk_free_limit.absolute = 1MB"
    if [ "$tls" = 1 ]; then
      echo "listeners.ssl.default = 127.0.0.1:$amqps_port"
      echo "ssl_options.cacertfile = $dir/tls/ca.pem"
      echo "ssl_options.certfile = $dir/tls/server.pem"
      echo "ssl_options.keyfile = $dir/tls/server.key"
      echo "ssl_options.verify = verify_peer"
      echo "ssl_options.fail_if_no_peer_cert = true"
    fi
  } >"$dir/rabbitmq.conf"
  chmod 600 "$dir/rabbitmq.conf"

  {
    echo "NFVSM_TEST_BROKER_DIR=$dir"
    echo "NFVSM_TEST_RABBIT_NODE=$node"
    echo "NFVSM_TEST_AMQP_PORT=$amqp_port"
    [ "$tls" = 1 ] && echo "NFVSM_TEST_AMQPS_PORT=$amqps_port"
    echo "NFVSM_TEST_AMQP_USER=$user"
    echo "NFVSM_TEST_AMQP_PASSWORD=$pass"
    echo "NFVSM_TEST_TRANSPORT_URL=rabbit://$user:$(_rabbitmq_urlencode "$pass")@127.0.0.1:$amqp_port/"
    if [ "$tls" = 1 ]; then
      echo "NFVSM_TEST_TLS_CA=$dir/tls/ca.pem"
      echo "NFVSM_TEST_TLS_CLIENT_CERT=$dir/tls/client.pem"
      echo "NFVSM_TEST_TLS_CLIENT_KEY=$dir/tls/client.key"
    fi
  } >"$dir/broker.env.tmp"
}

# Boots the node of DIR and waits until it accepts AMQP connections.
# Returns non-zero (after cleaning up) if it does not come up in time.
rabbitmq_start() {
  local dir=${1:?usage: rabbitmq_start DIR}
  rabbitmq_available || {
    _rabbitmq_log "rabbitmq-server is not installed ($NFVSM_RABBITMQ_BIN)"
    return 2
  }
  mkdir -p "$dir" && dir=$(cd "$dir" && pwd) || return 1
  rm -f "$dir/broker.env"
  local tls=${NFVSM_RABBITMQ_TLS:-1}
  if [ "$tls" = 1 ] && ! _rabbitmq_make_certs "$dir"; then
    _rabbitmq_log "could not create test certificates (openssl)"
    return 1
  fi
  local timeout=${NFVSM_RABBITMQ_BOOT_TIMEOUT:-150}
  local attempt
  # A port taken between picking it and binding it makes the boot fail;
  # new ports on the next attempt.
  for attempt in 1 2 3; do
    _rabbitmq_prepare "$dir" "$tls" || return 1
    # The node's own epmd, started here so that its pid is known.
    (
      _rabbitmq_env "$dir"
      exec setsid epmd -port "$EPMD_PORT" -address 127.0.0.1 \
        >"$dir/log/epmd.log" 2>&1 </dev/null
    ) &
    echo $! >"$dir/epmd.pid"
    (
      _rabbitmq_env "$dir"
      cd "$dir" || exit 1
      exec setsid "$NFVSM_RABBITMQ_BIN/rabbitmq-server" \
        >"$dir/log/startup.log" 2>&1 </dev/null
    ) &
    echo $! >"$dir/server.pid"
    local pid deadline
    pid=$(cat "$dir/server.pid")
    deadline=$((SECONDS + timeout))
    local short_name
    short_name=$(sed -n 's/^NODE=\(.*\)@.*/\1/p' "$dir/node.env")
    while [ $SECONDS -lt $deadline ]; do
      kill -0 "$pid" 2>/dev/null || break
      # rabbitmqctl takes seconds to start and fails at once while the node
      # is not yet registered, so wait for the registration (epmd is cheap
      # to ask), then let await_startup wait for the boot to finish.
      if ERL_EPMD_PORT=$(sed -n 's/^EPMD_PORT=//p' "$dir/node.env") \
        epmd -names 2>/dev/null | grep -q "^name $short_name "; then
        if rabbitmq_ctl "$dir" await_startup --timeout $((deadline - SECONDS + 1)) \
          >/dev/null 2>&1; then
          mv "$dir/broker.env.tmp" "$dir/broker.env"
          _rabbitmq_start_watchdog "$dir"
          return 0
        fi
      fi
      sleep 0.5
    done
    _rabbitmq_log "attempt $attempt: node did not start; last log lines:"
    tail -n 15 "$dir/log/startup.log" >&2 2>/dev/null
    _rabbitmq_kill "$dir"
  done
  return 1
}

# With NFVSM_RABBITMQ_OWNER_PID set, a detached watchdog stops the node
# when that process is gone, so a crashed or killed test run does not leave
# a broker behind. It exits by itself once the node is stopped.
_rabbitmq_start_watchdog() {
  local dir=$1 owner=${NFVSM_RABBITMQ_OWNER_PID:-}
  [ -n "$owner" ] || return 0
  # shellcheck disable=SC2016 # expanded by the inner shell
  setsid bash -c '
    source "$1"
    while kill -0 "$2" 2>/dev/null && [ -f "$3/broker.env" ]; do sleep 2; done
    [ -f "$3/broker.env" ] && rabbitmq_stop "$3"
  ' rabbitmq-watchdog "${BASH_SOURCE[0]}" "$owner" "$dir" >/dev/null 2>&1 </dev/null &
  echo $! >"$dir/watchdog.pid"
}

# Kills what is left of the node, by process id only: the server's process
# group (setsid made the wrapper script its leader), the beam process whose
# id the node wrote to its pid file, and the node's private epmd.
_rabbitmq_kill() {
  local dir=$1 pid f
  for f in server.pid rabbit.pid epmd.pid watchdog.pid; do
    [ -f "$dir/$f" ] || continue
    pid=$(cat "$dir/$f")
    # The watchdog itself may be the one stopping the node.
    if [ "$pid" = "$BASHPID" ]; then
      rm -f "$dir/$f"
      continue
    fi
    if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
      kill -TERM -- "-$pid" 2>/dev/null
      kill -TERM "$pid" 2>/dev/null
      local i
      for i in $(seq 1 50); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
      done
      kill -KILL -- "-$pid" 2>/dev/null
      kill -KILL "$pid" 2>/dev/null
    fi
    rm -f "$dir/$f"
  done
  return 0
}

# Stops the node of DIR cleanly (rabbitmqctl stop), then kills leftovers.
# Safe to call twice, or on a node that never started.
rabbitmq_stop() {
  local dir=${1:?usage: rabbitmq_stop DIR}
  [ -d "$dir" ] || return 0
  dir=$(cd "$dir" && pwd)
  if [ -f "$dir/server.pid" ] && kill -0 "$(cat "$dir/server.pid")" 2>/dev/null; then
    timeout 30 bash -c "source '${BASH_SOURCE[0]}'; rabbitmq_ctl '$dir' stop" >/dev/null 2>&1
  fi
  _rabbitmq_kill "$dir"
  rm -f "$dir/broker.env"
  return 0
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  cmd=${1:-}
  shift || true
  case "$cmd" in
  start) rabbitmq_start "$@" ;;
  stop) rabbitmq_stop "$@" ;;
  ctl) rabbitmq_ctl "$@" ;;
  available) rabbitmq_available ;;
  *)
    echo "usage: $0 start|stop|ctl|available DIR [ARGS...]" >&2
    exit 64
    ;;
  esac
fi
