#!/usr/bin/env bash
# A private RabbitMQ node for tests, benchmarks and the Tour: its own data folder, ports, Erlang cookie and port
# mapper, bound to one address (loopback unless told), with a user and password of its own.
#
#   scripts/broker.sh start DIR [ADDRESS] [PORT] [--tls]
#                                                  installs rabbitmq-server when missing, starts the node, waits
#                                                  until it serves, and prints its URI (also kept in DIR/uri)
#   scripts/broker.sh stop DIR                     stops the node started in DIR and its port mapper
#   scripts/broker.sh restart DIR                  starts it again over the same data, port and user
#   scripts/broker.sh installed                    exits 0 when rabbitmq-server is installed
#
# With --tls the node also serves amqps:// on PORT+1. A throwaway CA and a server certificate for localhost, 127.0.0.1
# and ADDRESS are made with openssl in DIR (the CA's key is deleted once it has signed); the node asks clients for a
# certificate but accepts those without one. A second line prints the amqps URI (also kept in DIR/uri_tls); clients
# trust DIR/ca.pem.
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

# Makes a CA and a server certificate it signs for the node's names, and the TLS part of the node's configuration.
make_tls() {
  local dir=$1 address=$2 tls_port=$3
  command -v openssl > /dev/null || die "--tls needs openssl (apt-get install openssl)"
  local names="DNS:localhost,IP:127.0.0.1"
  [ "$address" = 127.0.0.1 ] || names="$names,IP:$address"
  local ec=(-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes)
  openssl req -x509 "${ec[@]}" -days 7 -keyout "$dir/ca.key" -out "$dir/ca.pem" -subj "/CN=ParallelDsl private broker CA $tls_port" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" 2> /dev/null
  openssl req "${ec[@]}" -keyout "$dir/server.key" -out "$dir/server.csr" -subj "/CN=localhost" 2> /dev/null
  printf 'subjectAltName=%s\nbasicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\n' "$names" > "$dir/server.ext"
  openssl x509 -req -in "$dir/server.csr" -CA "$dir/ca.pem" -CAkey "$dir/ca.key" -CAcreateserial -days 7 \
    -extfile "$dir/server.ext" -out "$dir/server.pem" 2> /dev/null
  rm -f "$dir/ca.key" "$dir/ca.srl" "$dir/server.csr" "$dir/server.ext"
  chmod 600 "$dir/server.key"
  printf 'listeners.ssl.default = %s:%s\nssl_options.cacertfile = %s\nssl_options.certfile = %s\nssl_options.keyfile = %s\nssl_options.verify = verify_peer\nssl_options.fail_if_no_peer_cert = false\n' \
    "$address" "$tls_port" "$dir/ca.pem" "$dir/server.pem" "$dir/server.key" >> "$dir/rabbitmq.conf"
}

# Whether something listens on ADDRESS:PORT.
serving() { (exec 3<> "/dev/tcp/$1/$2") 2> /dev/null; }

start() {
  local tls=0 positional=()
  for argument in "$@"; do
    if [ "$argument" = --tls ]; then tls=1; else positional+=("$argument"); fi
  done
  set -- "${positional[@]}"
  local dir=${1:?usage: broker.sh start DIR [ADDRESS] [PORT] [--tls]} address=${2:-127.0.0.1} port=${3:-}
  install_server
  mkdir -p "$dir"
  dir=$(cd "$dir" && pwd)
  [ -f "$dir/pid" ] && kill -0 "$(cat "$dir/pid")" 2> /dev/null && die "a node already runs in $dir (pid $(cat "$dir/pid"))"
  if [ -z "$port" ]; then
    # A free port in 30000-39999; the node also takes port+10000 (distribution) and port+20000 (its port mapper).
    port=$((RANDOM % 10000 + 30000))
    while serving "$address" "$port" || { [ "$tls" = 1 ] && serving "$address" $((port + 1)); }; do port=$((RANDOM % 10000 + 30000)); done
  fi
  local tls_port=
  [ "$tls" = 1 ] && tls_port=$((port + 1))
  local password
  password=$(head -c 18 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')
  printf 'ADDRESS=%s\nPORT=%s\nPASSWORD=%s\nTLS_PORT=%s\n' "$address" "$port" "$password" "$tls_port" > "$dir/settings"
  printf '[].\n' > "$dir/enabled_plugins"
  printf 'loopback_users = none\ndefault_user = %s\ndefault_pass = %s\n' "$user" "$password" > "$dir/rabbitmq.conf"
  printf '[].\n' > "$dir/advanced.config"
  [ "$tls" = 1 ] && make_tls "$dir" "$address" "$tls_port"
  mkdir -p "$dir/mnesia" "$dir/log"
  chown -R rabbitmq:rabbitmq "$dir"
  boot "$dir"
}

# Starts the node described by DIR's settings (a first start, or a restart over the same data) and waits for it.
boot() {
  local dir=$1
  node_env "$dir"
  local address=$ADDRESS port=$PORT password=$PASSWORD tls_port=${TLS_PORT:-}
  as_rabbitmq "$server_bin/rabbitmq-server" -detached > "$dir/log/detached.out" 2>&1
  # The listener opens as the node finishes booting; each rabbitmqctl call costs a second of its own.
  local tries=0
  until serving "$address" "$port"; do
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
  if [ -n "$tls_port" ]; then
    serving "$address" "$tls_port" || { tail -n 20 "$dir"/log/*.log >&2 || true; die "the node in $dir serves no TLS on port $tls_port"; }
    echo "amqps://$user:$password@$address:$tls_port/" | tee "$dir/uri_tls"
  fi
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
  *) die "usage: broker.sh start DIR [ADDRESS] [PORT] [--tls] | stop DIR | restart DIR | installed" ;;
esac
