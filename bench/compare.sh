#!/usr/bin/env bash
# compare.sh — Bastion, Mosquitto and Moquette side by side on this machine, in one run, with the same
# generator (`bastion bench`, bench/target/bastion-bench.jar) and the same scenarios (issue 3):
#
#   fanin0   50 publishers -> 1 subscriber on bench/#, QoS 0, 64 B, max rate
#   fanin1   the same with QoS 1 on both sides
#   fanout   1 publisher -> 200 subscribers of one topic, QoS 0, max rate
#   topics   1,000 publishers each on its own topic, 1,000 subscribers each on one of them, QoS 0, max rate
#   latency  10 publishers, 10,000 msg/s in total, QoS 1 -> 1 subscriber: p50 / p99 / p99.9
#   conn     idle connections opened in steps up to CONN_MAX: connect rate, broker RSS, live heap (+ direct
#            memory) per connection at each step
#
# Each broker runs on its own port with comparable settings: anonymous, no persistence, default limits
# (Mosquitto's and Bastion's defaults are both 20 in-flight and 1,000 queued messages per client).
# Pinned mode runs the broker on core 0 and the generator on core 1 (taskset), so throughput is per core;
# unpinned mode lets both use both cores.
#
# Usage: bench/compare.sh [options]
#   --brokers "bastion mosquitto moquette"   which brokers (default all three)
#   --scenarios "fanin0 fanin1 fanout topics latency conn"
#   --modes "pinned unpinned"                (default both)
#   --reps N            repetitions per scenario in pinned mode (default 3)
#   --reps-unpinned N   repetitions in unpinned mode (default 1)
#   --duration S        seconds per run, warm-up included (default 15)
#   --warmup S          seconds at the start left out of the numbers (default 5)
#   --conn-max N        idle connections in the conn scenario (default 19000; the per-process open-file
#                       hard limit here is 20,000)
#   --out DIR           where results go (default bench/target/compare-<date>)
#
# Environment (BENCH_*: Bastion reads every BASTION_* variable as a configuration override):
#   BENCH_BASTION_JAR (default server/target/bastion.jar), BENCH_BASTION_JVM_OPTS, BENCH_MOQUETTE_JVM_OPTS (JVM options of the two Java brokers), BENCH_GEN_JVM_OPTS.
# Needs: JDK 17+, taskset, /usr/sbin/mosquitto (Debian package `mosquitto`), Maven Central for Moquette.
# Output: DIR/results.csv (every run), DIR/steps.csv (conn steps), DIR/table.md (medians, spread, ratios),
# DIR/logs/ (every generator and broker output).
set -euo pipefail

here="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)"
root="$(cd "$here/.." && pwd)"

brokers="bastion mosquitto moquette"
scenarios="fanin0 fanin1 fanout topics latency conn"
modes="pinned unpinned"
reps=3
reps_unpinned=1
duration=15
warmup=5
conn_max=19000
out="$root/bench/target/compare-$(date +%Y%m%d-%H%M%S)"

while [[ $# -gt 0 ]]; do
  case "$1" in
    --brokers) brokers="$2"; shift 2 ;;
    --scenarios) scenarios="$2"; shift 2 ;;
    --modes) modes="$2"; shift 2 ;;
    --reps) reps="$2"; shift 2 ;;
    --reps-unpinned) reps_unpinned="$2"; shift 2 ;;
    --duration) duration="$2"; shift 2 ;;
    --warmup) warmup="$2"; shift 2 ;;
    --conn-max) conn_max="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    -h|--help) sed -n '2,35p' "$0"; exit 0 ;;
    *) echo "compare.sh: unknown option $1" >&2; exit 2 ;;
  esac
done

port_bastion=38830
port_mosquitto=38831
port_moquette=38832
# the same heap for both Java brokers; G1 with a short pause goal (see docs/benchmarks.md for the GC choice)
BENCH_BASTION_JVM_OPTS="${BENCH_BASTION_JVM_OPTS:--Xms1g -Xmx1g -XX:+UseG1GC -XX:MaxGCPauseMillis=5 -XX:+AlwaysPreTouch}"
BENCH_MOQUETTE_JVM_OPTS="${BENCH_MOQUETTE_JVM_OPTS:--Xms1g -Xmx1g -XX:+UseG1GC -XX:MaxGCPauseMillis=5 -XX:+AlwaysPreTouch}"
BENCH_GEN_JVM_OPTS="${BENCH_GEN_JVM_OPTS:--Xms512m -Xmx2g -XX:+UseParallelGC}"

mkdir -p "$out/logs"
results="$out/results.csv"
steps_csv="$out/steps.csv"
echo "mode,broker,scenario,rep,recv_rate,sent_rate,p50_ms,p99_ms,p999_ms,max_ms,lost,expected,duplicated,gen_cpu,broker_cpu,broker_us_per_msg,connect_rate,connected,errors" > "$results"
echo "mode,broker,connections,connect_rate,rss_kib,heap_used_kib,direct_kib" > "$steps_csv"

log() { echo "[$(date +%H:%M:%S)] $*" >&2; }

# ---- build what is missing ----------------------------------------------------------------------------
bench_jar="$root/bench/target/bastion-bench.jar"
bastion_jar="${BENCH_BASTION_JAR:-$root/server/target/bastion.jar}"
if [[ ! -f "$bench_jar" ]]; then
  log "building $bench_jar"
  (cd "$root" && ./mvnw -q -B -Dmaven.test.skip=true -Dspotless.check.skip=true -Djacoco.skip=true -pl bench -am install)
fi
if [[ " $brokers " == *" bastion "* && ! -f "$bastion_jar" ]]; then
  log "building $bastion_jar"
  (cd "$root" && ./mvnw -q -B -Dmaven.test.skip=true -Dspotless.check.skip=true -Djacoco.skip=true -pl server -am package)
fi
# private copies: a concurrent `mvn clean` in the work tree must not pull a jar from under a running broker
mkdir -p "$out/jars"
cp "$bench_jar" "$out/jars/bastion-bench.jar"
bench_jar="$out/jars/bastion-bench.jar"
if [[ -f "$bastion_jar" ]]; then
  cp "$bastion_jar" "$out/jars/bastion.jar"
  bastion_jar="$out/jars/bastion.jar"
fi
moquette_cp=""
if [[ " $brokers " == *" moquette "* ]]; then
  cpfile="$here/moquette/target/classpath.txt"
  if [[ ! -s "$cpfile" ]]; then
    log "resolving Moquette from Maven Central"
    "$root/mvnw" -q -B -f "$here/moquette/pom.xml" dependency:build-classpath -Dmdep.outputFile="$cpfile" >&2
  fi
  moquette_cp="$(cat "$cpfile")"
fi

# ---- brokers ------------------------------------------------------------------------------------------
broker_pid=""

port_of() { eval echo "\$port_$1"; }

wait_port() {
  local port=$1
  for _ in $(seq 1 100); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then return 0; fi
    sleep 0.2
  done
  echo "compare.sh: nothing listens on $port" >&2
  return 1
}

start_broker() { # broker mode
  local name=$1 mode=$2 pin=()
  [[ "$mode" == pinned ]] && pin=(taskset -c 0)
  local blog="$out/logs/broker-$name-$mode-$(date +%H%M%S).log"
  case "$name" in
    bastion)
      cat > "$out/bastion.yaml" <<EOF
listeners:
  - port: $port_bastion
    bind: 127.0.0.1
store: {durability: memory}   # like Mosquitto's persistence false and Moquette's persistence_enabled false
EOF
      # shellcheck disable=SC2086
      env -u BENCH_BASTION_JAR BASTION_LOG_LEVEL=warn "${pin[@]}" java $BENCH_BASTION_JVM_OPTS -XX:NativeMemoryTracking=summary \
        -jar "$bastion_jar" serve --config "$out/bastion.yaml" > "$blog" 2>&1 &
      ;;
    mosquitto)
      cat > "$out/mosquitto.conf" <<EOF
listener $port_mosquitto 127.0.0.1
allow_anonymous true
persistence false
max_connections -1
log_type none
EOF
      "${pin[@]}" /usr/sbin/mosquitto -c "$out/mosquitto.conf" > "$blog" 2>&1 &
      ;;
    moquette)
      mkdir -p "$out/moquette/config"
      cat > "$out/moquette/config/moquette.conf" <<EOF
port $port_moquette
host 127.0.0.1
websocket_port disabled
allow_anonymous true
persistence_enabled false
telemetry_enabled false
netty.epoll true
EOF
      # shellcheck disable=SC2086
      (cd "$out/moquette" && exec "${pin[@]}" java $BENCH_MOQUETTE_JVM_OPTS -XX:NativeMemoryTracking=summary \
        -Dmoquette.path="$out/moquette" -cp "$moquette_cp" io.moquette.broker.Server) > "$blog" 2>&1 &
      ;;
  esac
  broker_pid=$!
  wait_port "$(port_of "$name")"
  sleep 1
}

stop_broker() {
  if [[ -n "$broker_pid" ]]; then
    kill "$broker_pid" 2>/dev/null || true
    for _ in $(seq 1 50); do
      kill -0 "$broker_pid" 2>/dev/null || break
      sleep 0.2
    done
    kill -9 "$broker_pid" 2>/dev/null || true # a broker still draining a backlog after 10 s
    wait "$broker_pid" 2>/dev/null || true
    broker_pid=""
  fi
}
trap stop_broker EXIT

# ---- the generator --------------------------------------------------------------------------------------
scenario_args() {
  case "$1" in
    fanin0)  echo "pubsub --pubs 50 --subs 1 --qos 0 -s 64 --pub-topic bench/%i --sub-filter bench/#" ;;
    fanin1)  echo "pubsub --pubs 50 --subs 1 --qos 1 -s 64 --pub-topic bench/%i --sub-filter bench/#" ;;
    fanout)  echo "pubsub --pubs 1 --subs 200 --qos 0 -s 64 --pub-topic bench/fan --sub-filter bench/fan" ;;
    topics)  echo "pubsub --pubs 1000 --subs 1000 --qos 0 -s 64 --pub-topic bench/t/%i --sub-filter bench/t/%i" ;;
    latency) echo "pubsub --pubs 10 --subs 1 --qos 1 -s 64 --rate 10000 --pub-topic bench/lat/%i --sub-filter bench/lat/#" ;;
  esac
}

gen() { # mode args...
  local mode=$1; shift
  local pin=()
  [[ "$mode" == pinned ]] && pin=(taskset -c 1)
  # shellcheck disable=SC2086
  "${pin[@]}" java $BENCH_GEN_JVM_OPTS -jar "$bench_jar" "$@"
}

val() { grep "^$2=" "$1" | cut -d= -f2; }

run_messages() { # mode broker scenario rep
  local mode=$1 name=$2 sc=$3 rep=$4
  local rf="$out/logs/$mode-$name-$sc-$rep.result" lf="$out/logs/$mode-$name-$sc-$rep.log"
  # shellcheck disable=SC2046
  gen "$mode" $(scenario_args "$sc") -p "$(port_of "$name")" -d "${duration}s" -w "${warmup}s" \
    --client-id-prefix "cmp-$sc-$rep-" --broker-pid "$broker_pid" --result-file "$rf" > "$lf" 2>&1 || true
  if [[ ! -s "$rf" ]]; then
    log "  $name $sc #$rep: no result (see $lf)"
    echo "$mode,$name,$sc,$rep,,,,,,,,,,,,,,,failed" >> "$results"
    return
  fi
  echo "$mode,$name,$sc,$rep,$(val "$rf" recv_rate),$(val "$rf" sent_rate),$(val "$rf" p50_ms),$(val "$rf" p99_ms),$(val "$rf" p999_ms),$(val "$rf" max_ms),$(val "$rf" lost),$(val "$rf" expected),$(val "$rf" duplicated),$(val "$rf" gen_cpu),$(val "$rf" broker_cpu),$(val "$rf" broker_us_per_msg),$(val "$rf" connect_rate),$(val "$rf" connected),$(val "$rf" errors)" >> "$results"
  log "  $name $sc #$rep: recv $(val "$rf" recv_rate)/s sent $(val "$rf" sent_rate)/s p99 $(val "$rf" p99_ms) ms lost $(val "$rf" lost) broker cpu $(val "$rf" broker_cpu) gen cpu $(val "$rf" gen_cpu)"
}

# live heap after a full GC and NMT "Other" (Netty's direct memory) of a JVM broker, in KiB
jvm_memory() { # pid -> "heap_kib direct_kib"
  local pid=$1 heap direct
  jcmd "$pid" GC.run > /dev/null 2>&1 || true
  heap=$(jcmd "$pid" GC.heap_info 2>/dev/null | grep -oE 'used [0-9]+K' | head -1 | grep -oE '[0-9]+' || echo "")
  direct=$(jcmd "$pid" VM.native_memory summary 2>/dev/null | grep -E '^-\s+Other' | grep -oE 'committed=[0-9]+KB' | grep -oE '[0-9]+' || echo "")
  echo "${heap:-} ${direct:-}"
}

run_conn() { # mode broker
  local mode=$1 name=$2
  local lf="$out/logs/$mode-$name-conn.log" rf="$out/logs/$mode-$name-conn.result"
  local steps="1000,5000,10000,15000"
  # a baseline before any client connects
  local rss0 mem0
  rss0=$(grep VmRSS "/proc/$broker_pid/status" | grep -oE '[0-9]+')
  mem0="$( [[ "$name" != mosquitto ]] && jvm_memory "$broker_pid" || echo " ")"
  echo "$mode,$name,0,,$rss0,$(echo "$mem0" | cut -d' ' -f1),$(echo "$mem0" | cut -d' ' -f2)" >> "$steps_csv"
  gen "$mode" conn -c "$conn_max" --steps "$steps" --step-pause 6s -d 5s -w "${warmup}s" -p "$(port_of "$name")" \
    --source 127.0.0.1-127.0.0.100 --connect-concurrency 500 --client-id-prefix "cmp-conn-" \
    --broker-pid "$broker_pid" --result-file "$rf" > "$lf" 2>&1 &
  local gpid=$! seen=0
  while kill -0 "$gpid" 2>/dev/null; do
    local lines
    lines=$(grep -cE '^step [0-9]+: .*connects/s' "$lf" 2>/dev/null || true)
    if [[ "${lines:-0}" -gt "$seen" ]]; then
      seen=$lines
      local line n rate rss mem
      line=$(grep -E '^step [0-9]+: .*connects/s' "$lf" | sed -n "${seen}p")
      n=$(echo "$line" | sed -E 's/^step ([0-9]+):.*/\1/')
      rate=$(echo "$line" | sed -E 's/.*this step ([0-9,]+) connects.*/\1/' | tr -d ,)
      sleep 2
      rss=$(grep VmRSS "/proc/$broker_pid/status" | grep -oE '[0-9]+')
      mem="$( [[ "$name" != mosquitto ]] && jvm_memory "$broker_pid" || echo " ")"
      echo "$mode,$name,$n,$rate,$rss,$(echo "$mem" | cut -d' ' -f1),$(echo "$mem" | cut -d' ' -f2)" >> "$steps_csv"
      log "  $name conn step $n: $rate connects/s, RSS ${rss} KiB, heap/direct KiB: $mem"
    fi
    sleep 0.5
  done
  wait "$gpid" || true
  if [[ -s "$rf" ]]; then
    echo "$mode,$name,conn,1,,,,,,,,,,$(val "$rf" gen_cpu),,,$(val "$rf" connect_rate),$(val "$rf" connected),$(val "$rf" errors)" >> "$results"
  fi
}

# ---- the run ----------------------------------------------------------------------------------------------
{
  echo "date: $(date -Is)"
  echo "machine: $(nproc) cores, $(grep MemTotal /proc/meminfo | awk '{printf "%.0f GiB", $2/1048576}'), $(. /etc/os-release && echo "$PRETTY_NAME"), kernel $(uname -r)"
  echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
  echo "java: $(java -version 2>&1 | head -1)"
  echo "mosquitto: $(/usr/sbin/mosquitto -h 2>/dev/null | head -1 || true)"
  echo "moquette: $(basename "$(echo "$moquette_cp" | tr ':' '\n' | grep moquette-broker || echo none)")"
  echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "options: brokers=[$brokers] scenarios=[$scenarios] modes=[$modes] reps=$reps/$reps_unpinned duration=${duration}s warmup=${warmup}s"
  echo "BENCH_BASTION_JVM_OPTS=$BENCH_BASTION_JVM_OPTS"
  echo "BENCH_MOQUETTE_JVM_OPTS=$BENCH_MOQUETTE_JVM_OPTS"
  echo "BENCH_GEN_JVM_OPTS=$BENCH_GEN_JVM_OPTS"
} | tee "$out/environment.txt" >&2

for mode in $modes; do
  n=$reps
  [[ "$mode" == unpinned ]] && n=$reps_unpinned
  for sc in $scenarios; do
    for name in $brokers; do
      log "$mode / $sc / $name (load $(cut -d' ' -f1 /proc/loadavg))"
      if [[ "$sc" == conn ]]; then
        start_broker "$name" "$mode"
        run_conn "$mode" "$name"
        stop_broker
      else
        # a fresh broker for every repetition: no backlog or garbage carried from one run into the next
        for rep in $(seq 1 "$n"); do
          start_broker "$name" "$mode"
          run_messages "$mode" "$name" "$sc" "$rep"
          stop_broker
        done
      fi
      sleep 1
    done
  done
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$out/environment.txt" >&2

"$here/table.sh" "$out" > "$out/table.md"
cat "$out/table.md"
log "results in $out"
