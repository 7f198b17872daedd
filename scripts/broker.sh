#!/usr/bin/env bash
# A private RabbitMQ node for tests, benchmarks and the Tour: its own data folder, ports, Erlang cookie and port
# mapper, bound to one address (loopback unless told), with a user and password of its own.
#
#   scripts/broker.sh start DIR [ADDRESS] [PORT]   installs rabbitmq-server when missing, starts the node, waits
#                                                  until it serves, and prints its URI (also kept in DIR/uri)
#   scripts/broker.sh stop DIR                     stops the node started in DIR and its port mapper
#   scripts/broker.sh restart DIR                  starts it again over the same data, port and user
#   scripts/broker.sh installed                    exits 0 when rabbitmq-server is installed
set -euo pipefail

readonly server_bin=/usr/lib/rabbitmq/bin
readonly user=paralleldsl

die() { echo "broker.sh: $*" >&2; exit 1; }

installed() { [ -x "$server_bin/rabbitmq-server" ]; }

install_server() {
  installed && return 0
  [ "$(id -u)" = 0 ] || die "rabbitmq-server is not installed and installing it needs root (apt-get install rabbitmq-server)"
  echo "broker.sh: installing rabbitmq-server" >&2
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq rabbitmq-server >&2
}

# The node's environment, derived from DIR's settings file; every rabbitmq command of this node runs with it.
node_env() {
  local dir=$1
  # shellcheck source=/dev/null
  . "$dir/settings"
  export HOME="$dir" RABBITMQ_NODENAME="pdsl$PORT@localhost" RABBITMQ_NODE_IP_ADDRESS="$ADDRESS" \
    RABBITMQ_NODE_PORT="$PORT" RABBITMQ_DIST_PORT=$((PORT + 10000)) ERL_EPMD_PORT=$((PORT + 20000)) \
    ERL_EPMD_ADDRESS="127.0.0.1${ADDRESS:+,$ADDRESS}" RABBITMQ_MNESIA_BASE="$dir/mnesia" RABBITMQ_LOG_BASE="$dir/log" \
    RABBITMQ_PID_FILE="$dir/pid" RABBITMQ_ENABLED_PLUGINS_FILE="$dir/enabled_plugins" \
    RABBITMQ_CONFIG_FILE="$dir/rabbitmq" RABBITMQ_ADVANCED_CONFIG_FILE="$dir/advanced.config" \
    RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}" \
    RABBITMQ_CTL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}"
  [ "$ADDRESS" = 127.0.0.1 ] && export ERL_EPMD_ADDRESS=127.0.0.1
  return 0
}

as_rabbitmq() { runuser -u rabbitmq -m -- "$@"; }

start() {
  local dir=${1:?usage: broker.sh start DIR [ADDRESS] [PORT]} address=${2:-127.0.0.1} port=${3:-}
  install_server
  mkdir -p "$dir"
  dir=$(cd "$dir" && pwd)
  [ -f "$dir/pid" ] && kill -0 "$(cat "$dir/pid")" 2> /dev/null && die "a node already runs in $dir (pid $(cat "$dir/pid"))"
  if [ -z "$port" ]; then
    # A free port in 30000-39999; the node also takes port+10000 (distribution) and port+20000 (its port mapper).
    port=$((RANDOM % 10000 + 30000))
    while (exec 3<> "/dev/tcp/$address/$port") 2> /dev/null; do port=$((RANDOM % 10000 + 30000)); done
  fi
  local password
  password=$(head -c 18 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')
  printf 'ADDRESS=%s\nPORT=%s\nPASSWORD=%s\n' "$address" "$port" "$password" > "$dir/settings"
  printf '[].\n' > "$dir/enabled_plugins"
  printf 'loopback_users = none\ndefault_user = %s\ndefault_pass = %s\n' "$user" "$password" > "$dir/rabbitmq.conf"
  printf '[].\n' > "$dir/advanced.config"
  mkdir -p "$dir/mnesia" "$dir/log"
  chown -R rabbitmq:rabbitmq "$dir"
  boot "$dir"
}

# Starts the node described by DIR's settings (a first start, or a restart over the same data) and waits for it.
boot() {
  local dir=$1
  node_env "$dir"
  local address=$ADDRESS port=$PORT password=$PASSWORD
  as_rabbitmq "$server_bin/rabbitmq-server" -detached > "$dir/log/detached.out" 2>&1
  # The listener opens as the node finishes booting; each rabbitmqctl call costs a second of its own.
  local tries=0
  until (exec 3<> "/dev/tcp/$address/$port") 2> /dev/null; do
    tries=$((tries + 1))
    [ "$tries" -ge 300 ] && break
    sleep 0.1
  done
  tries=0
  until as_rabbitmq "$server_bin/rabbitmqctl" -q await_startup --timeout 5 > /dev/null 2>&1; do
    tries=$((tries + 1))
    if [ "$tries" -ge 30 ]; then
      tail -n 20 "$dir"/log/*.log >&2 || true
      die "the node in $dir did not start"
    fi
    sleep 1
  done
  echo "amqp://$user:$password@$address:$port/" | tee "$dir/uri"
}

stop() {
  local dir=${1:?usage: broker.sh stop DIR}
  [ -f "$dir/settings" ] || return 0
  dir=$(cd "$dir" && pwd)
  node_env "$dir"
  if [ -f "$dir/pid" ]; then
    as_rabbitmq "$server_bin/rabbitmqctl" -q stop "$dir/pid" > /dev/null 2>&1 || kill -9 "$(cat "$dir/pid")" 2>/dev/null || true
  fi
  epmd -port "$ERL_EPMD_PORT" -kill > /dev/null 2>&1 || true
}

case ${1:-} in
  start) shift; start "$@" ;;
  stop) shift; stop "$@" ;;
  restart) shift; [ -f "${1:?usage: broker.sh restart DIR}/settings" ] || die "no node was started in $1"; boot "$(cd "$1" && pwd)" ;;
  installed) installed ;;
  *) die "usage: broker.sh start DIR [ADDRESS] [PORT] | stop DIR | restart DIR | installed" ;;
esac
