#!/usr/bin/env bash
# A throwaway three-node MariaDB Galera cluster on loopback, for tests and for trying the gateway
# on Galera. Everything (data, sockets, logs, pid files) lives under <dir>; nothing touches the
# machine's own MariaDB (its port, datadir, socket or /etc/mysql).
#
#   scripts/galera-cluster.sh start <dir> [--owner-pid PID]
#       Bootstraps node 1 (--wsrep-new-cluster), joins nodes 2 and 3 by rsync SST, waits until
#       all three are Synced, and prints one line per node: "node<N> mysql://root@127.0.0.1:<port>/".
#       With --owner-pid, a watcher stops the cluster when that process is gone (a killed test run
#       leaves no server behind). GALERA_BASE_PORT picks the ports (base..base+33), else a free
#       random range below the kernel's ephemeral ports.
#   scripts/galera-cluster.sh stop <dir>
#       Stops every node (SIGTERM, then SIGKILL after 20 s) and the watcher. Leaves <dir> for the
#       caller to remove (its logs are <dir>/node<N>/error.log).
#
# Needs: mariadb-server (mariadbd, mariadb-install-db), galera-4, rsync (the SST), ss or lsof.
set -euo pipefail

NODES=3
# The servers never run as root: as root, the joiner's rsync daemon (the SST) would write as
# `nobody` and fail. Root starts them as mysql (the Debian package's user) and hands it <dir>.
if [ "$(id -u)" = 0 ]; then RUN_AS=mysql; else RUN_AS=$(id -un); fi
PROVIDER=${GALERA_PROVIDER:-/usr/lib/galera/libgalera_smm.so}

die() {
  echo "galera-cluster: $*" >&2
  exit 1
}

# Prints the tail of every node's log, so a failed start says why without keeping the folder.
show_logs() {
  local dir=$1 n
  for n in $(seq 1 $NODES); do
    local log="$dir/node$n/error.log"
    [ -f "$log" ] || continue
    echo "---- $log (last 25 lines)" >&2
    tail -n 25 "$log" >&2
  done
}

port_free() {
  ! ss -Htln "sport = :$1" 2>/dev/null | grep -q .
}

pick_base_port() {
  if [ -n "${GALERA_BASE_PORT:-}" ]; then
    echo "$GALERA_BASE_PORT"
    return
  fi
  for _ in $(seq 1 50); do
    local base=$((20000 + (RANDOM % 120) * 100))
    local ok=1
    for offset in 0 1 2 10 11 12 20 21 22 30 31 32; do
      port_free $((base + offset)) || {
        ok=0
        break
      }
    done
    [ $ok = 1 ] && {
      echo "$base"
      return
    }
  done
  die "no free port range found"
}

write_config() {
  local dir=$1 n=$2 base=$3 cluster=$4
  local node="$dir/node$n"
  local mysql_port=$((base + n - 1)) gcomm_port=$((base + 10 + n - 1))
  local ist_port=$((base + 20 + n - 1)) sst_port=$((base + 30 + n - 1))
  mkdir -p "$node/data" "$node/tmp"
  cat >"$node/my.cnf" <<EOF
[mysqld]
user=$RUN_AS
datadir=$node/data
tmpdir=$node/tmp
socket=$node/mysqld.sock
pid-file=$node/mysqld.pid
log-error=$node/error.log
port=$mysql_port
bind-address=127.0.0.1
skip-name-resolve
character-set-server=utf8mb4
collation-server=utf8mb4_general_ci
performance_schema=OFF
# Small and fast: a test cluster on a shared two-core machine, not a durable one.
innodb_buffer_pool_size=64M
innodb_log_file_size=32M
innodb_flush_log_at_trx_commit=2
sync_binlog=0
max_connections=300
# What Galera requires: it replicates InnoDB rows by primary key, so a table without one is refused.
binlog_format=ROW
default_storage_engine=InnoDB
innodb_autoinc_lock_mode=2
innodb_force_primary_key=ON
wsrep_on=ON
wsrep_provider=$PROVIDER
wsrep_cluster_name=cibg_galera_$base
wsrep_cluster_address=gcomm://$cluster
wsrep_node_name=node$n
wsrep_node_address=127.0.0.1:$gcomm_port
wsrep_node_incoming_address=127.0.0.1:$mysql_port
wsrep_provider_options="gmcast.listen_addr=tcp://127.0.0.1:$gcomm_port;ist.recv_addr=127.0.0.1:$ist_port;gcache.size=32M;gcache.dir=$node/data"
wsrep_sst_method=rsync
wsrep_sst_receive_address=127.0.0.1:$sst_port
wsrep_slave_threads=2
# Causal reads: a SELECT first waits until this node has applied everything the cluster committed
# before it began, so a revocation or lock committed through one node holds on the very next
# request through any other (DESIGN.md R13).
wsrep_sync_wait=1

[client]
socket=$node/mysqld.sock
EOF
}

start_node() {
  local dir=$1 n=$2
  shift 2
  # setsid: the node is not in the caller's process group, so a Ctrl-C there goes to `stop` only.
  setsid mariadbd --defaults-file="$dir/node$n/my.cnf" "$@" </dev/null >>"$dir/node$n/error.log" 2>&1 &
  echo $! >"$dir/node$n/launcher.pid"
}

# Waits until the node answers and reports Synced; fails early if its process has died.
wait_synced() {
  local dir=$1 n=$2 deadline=$((SECONDS + ${GALERA_START_TIMEOUT:-90}))
  while [ $SECONDS -lt $deadline ]; do
    if ! kill -0 "$(cat "$dir/node$n/launcher.pid")" 2>/dev/null; then
      show_logs "$dir"
      die "node$n exited while starting (log: $dir/node$n/error.log)"
    fi
    local state
    state=$(mariadb --defaults-file="$dir/node$n/my.cnf" -uroot -N -B \
      -e "SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS WHERE VARIABLE_NAME='wsrep_local_state_comment'" 2>/dev/null || true)
    [ "$state" = "Synced" ] && return 0
    sleep 0.3
  done
  show_logs "$dir"
  die "node$n was not Synced within ${GALERA_START_TIMEOUT:-90} s (logs: $dir/node*/error.log)"
}

cmd_start() {
  local dir=$1 owner_pid=${2:-}
  command -v mariadbd >/dev/null || die "mariadbd not found: apt-get install mariadb-server"
  [ -f "$PROVIDER" ] || die "$PROVIDER not found: apt-get install galera-4"
  command -v rsync >/dev/null || die "rsync not found (the SST method): apt-get install rsync"
  mkdir -p "$dir"
  dir=$(cd "$dir" && pwd)
  [ -e "$dir/node1" ] && die "$dir already holds a cluster; stop it and use an empty folder"
  # A start that fails half-way leaves no node (or watcher) running.
  trap 'status=$?; [ $status -eq 0 ] || cmd_stop "$dir" >/dev/null 2>&1' EXIT

  local base cluster=""
  base=$(pick_base_port)
  for n in $(seq 1 $NODES); do cluster+="${cluster:+,}127.0.0.1:$((base + 10 + n - 1))"; done
  for n in $(seq 1 $NODES); do write_config "$dir" "$n" "$base" "$cluster"; done

  # Only node 1 gets system tables; the others receive everything from it by SST (rsync copies
  # the whole datadir before InnoDB starts, so theirs may start empty). root may log in over TCP
  # without a password, as on the test server.
  [ "$RUN_AS" = "$(id -un)" ] || chown -R "$RUN_AS" "$dir"
  mariadb-install-db --defaults-file="$dir/node1/my.cnf" --auth-root-authentication-method=normal \
    --skip-test-db >"$dir/node1/install.log" 2>&1 || {
    cat "$dir/node1/install.log" >&2
    die "mariadb-install-db failed"
  }

  if [ -n "$owner_pid" ]; then
    # Stops the cluster once the test process is gone, however it ended.
    (
      while kill -0 "$owner_pid" 2>/dev/null && [ -d "$dir" ]; do sleep 2; done
      [ -d "$dir" ] && "$0" stop "$dir" >/dev/null 2>&1
    ) </dev/null >/dev/null 2>&1 &
    echo $! >"$dir/watcher.pid"
  fi

  start_node "$dir" 1 --wsrep-new-cluster
  wait_synced "$dir" 1
  # Joined one at a time: a donor serves one rsync SST at a time anyway.
  for n in $(seq 2 $NODES); do
    start_node "$dir" "$n"
    wait_synced "$dir" "$n"
  done
  local size
  size=$(mariadb --defaults-file="$dir/node1/my.cnf" -uroot -N -B \
    -e "SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS WHERE VARIABLE_NAME='wsrep_cluster_size'")
  [ "$size" = "$NODES" ] || {
    show_logs "$dir"
    die "cluster size is $size, expected $NODES"
  }
  for n in $(seq 1 $NODES); do echo "node$n mysql://root@127.0.0.1:$((base + n - 1))/"; done
}

# Signals the node's mariadbd (the pid file, or the launcher's pid before it wrote one).
stop_node() {
  local node=$1 pid=""
  [ -f "$node/mysqld.pid" ] && pid=$(cat "$node/mysqld.pid")
  [ -z "$pid" ] && [ -f "$node/launcher.pid" ] && pid=$(cat "$node/launcher.pid")
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 0
  # Only our own server: its command line names this node's config.
  grep -qa -- "$node/my.cnf" "/proc/$pid/cmdline" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null || true
  echo "$pid"
}

cmd_stop() {
  local dir=$1
  [ -d "$dir" ] || return 0
  dir=$(cd "$dir" && pwd)
  if [ -f "$dir/watcher.pid" ]; then
    local watcher
    watcher=$(cat "$dir/watcher.pid")
    [ "$watcher" != "$PPID" ] && kill "$watcher" 2>/dev/null || true
    rm -f "$dir/watcher.pid"
  fi
  local pids=()
  # Joiners first, the bootstrap node last: each leaves a cluster that still has a primary.
  for n in $(seq $NODES -1 1); do
    [ -d "$dir/node$n" ] || continue
    local pid
    pid=$(stop_node "$dir/node$n")
    [ -n "$pid" ] && pids+=("$pid")
  done
  local deadline=$((SECONDS + 20))
  for pid in "${pids[@]}"; do
    while kill -0 "$pid" 2>/dev/null && [ $SECONDS -lt $deadline ]; do sleep 0.2; done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null || true
  done
  # An rsync daemon an interrupted SST left behind.
  for n in $(seq 1 $NODES); do
    local rsync_pid="$dir/node$n/data/rsync_sst.pid"
    [ -f "$rsync_pid" ] && kill "$(cat "$rsync_pid")" 2>/dev/null || true
  done
  return 0
}

case "${1:-}" in
  start)
    [ -n "${2:-}" ] || die "usage: $0 start <dir> [--owner-pid PID]"
    owner=""
    [ "${3:-}" = "--owner-pid" ] && owner=${4:?--owner-pid needs a pid}
    cmd_start "$2" "$owner"
    ;;
  stop)
    [ -n "${2:-}" ] || die "usage: $0 stop <dir>"
    cmd_stop "$2"
    ;;
  *) die "usage: $0 start|stop <dir>" ;;
esac
