#!/usr/bin/env bash
# bench/store-bench.sh — what durable state costs (issue 4):
#   1. QoS 1 throughput to a persistent subscriber, per store durability level (memory, group_commit, sync);
#   2. restart time of a broker whose store holds N queued messages (default 1,000,000).
# Uses server/target/bastion.jar (build: ./mvnw -q -pl server -am package -DskipTests). Results on stdout.
#
# Environment: DURATION (default 20s), WARMUP (5s), PUBS (4), QUEUED (1000000), LEVELS ("memory group_commit sync";
# "none" skips the throughput runs), GC_INTERVAL (store.group_commit_interval, default 1ms), INFLIGHT_DELAY
# (store.inflight_write_delay, default 2ms), BENCH_ARGS (more `bastion bench pubsub` options, e.g. "--inflight 1")
set -euo pipefail

source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/lib.sh"
DURATION="${DURATION:-20s}"
WARMUP="${WARMUP:-5s}"
PUBS="${PUBS:-4}"
QUEUED="${QUEUED:-1000000}"
LEVELS="${LEVELS:-memory group_commit sync}"

# start_broker DURABILITY STORE_DIR -> sets $pid and $port, $started_ms (start to "listening")
start_broker() {
  cat > "$work/bastion.yaml" <<YAML
listeners: [{name: tcp, bind: 127.0.0.1, port: 0}]
limits: {max_queued_messages: $((QUEUED + 100000)), max_inflight: 1000, session_expiry_max: 1d}
store: {path: $2, durability: $1, group_commit_interval: ${GC_INTERVAL:-1ms}, inflight_write_delay: ${INFLIGHT_DELAY:-2ms}}
YAML
  local t0
  t0=$(date +%s%N)
  java -XX:+ExitOnOutOfMemoryError -jar "$jar" serve -c "$work/bastion.yaml" 2> "$work/broker.log" &
  pid=$!
  port=$(listening_port "$work/broker.log")
  started_ms=$(( ($(date +%s%N) - t0) / 1000000 ))
  recovered_ms=$(grep -oP 'store ready in \K[0-9]+' "$work/broker.log" || echo "-")
}

stop_broker() {
  kill -TERM "$pid"
  wait "$pid" || true
}

bench() {
  java -jar "$jar" bench "$@"
}

echo "# load average at start: $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) cores"
echo "## QoS 1 to one persistent subscriber, $PUBS publishers, 64 B, $DURATION (+$WARMUP warm-up)"
for level in $LEVELS; do
  [[ "$level" == none ]] && continue
  start_broker "$level" "$work/tp-$level"
  bench pubsub -p "$port" --pubs "$PUBS" --subs 1 --qos 1 --persistent --session-expiry 3600 --client-id-prefix "tp-$level-" \
    -s 64 -d "$DURATION" -w "$WARMUP" -q --broker-pid "$pid" ${BENCH_ARGS:-} --result-file "$work/tp-$level.txt" > "$work/tp-$level.out"
  stop_broker
  echo "durability $level:"
  grep -E '^ +(sent|received|whole run|latency|broker) ' "$work/tp-$level.out"
done

echo "## restart with $QUEUED queued messages (group_commit)"
store="$work/restart"
start_broker group_commit "$store"
bench sub -p "$port" -c 1 --qos 1 --persistent --session-expiry 86400 --client-id-prefix rs- --sub-filter 'bench/#' -d 1s -q \
  > /dev/null
bench pub -p "$port" -c 8 --qos 1 --client-id-prefix rp- -s 64 -n $((QUEUED / 8)) -d 30m -q \
  > "$work/fill.out"
grep -E '^ +sent ' "$work/fill.out"
stop_broker
java -jar "$jar" store stats -p "$store" | grep -E 'queued|on disk'
start_broker group_commit "$store"
echo "graceful stop, then start to listening: ${started_ms} ms (store recovery ${recovered_ms} ms)"
grep -oE '(store opened|resumed) .*' "$work/broker.log" | sed 's/^/  /'
kill -KILL "$pid"; wait "$pid" || true
start_broker group_commit "$store"
echo "kill -9, then start to listening: ${started_ms} ms (store recovery ${recovered_ms} ms)"
grep -oE '(store opened|resumed) .*' "$work/broker.log" | sed 's/^/  /'
stop_broker
start_broker memory "$work/empty"
echo "baseline, empty in-memory broker, start to listening: ${started_ms} ms"
stop_broker
