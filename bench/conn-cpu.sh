#!/usr/bin/env bash
# bench/conn-cpu.sh — broker CPU per connect + disconnect, split into user and system time (issue 3).
# Starts the broker on core 0 (Bastion from server/target/bastion.jar, or Debian's Mosquitto), runs
# `bastion bench conn` on core 1 against it — WARM runs to warm the JIT, then RUNS measured runs of N
# connections each, all against the same broker — and reads the broker's utime/stime from /proc around
# each measured run. Build first: ./mvnw -q -pl server -am package -DskipTests
#
# Usage: bench/conn-cpu.sh bastion|mosquitto
# Environment: N (default 10000), WARM (8), RUNS (4), BENCH_BASTION_JAR (the broker to measure; the generator
# is always this tree's), BASTION_JVM_OPTS (default as in bench/compare.sh:
# -Xms1g -Xmx1g -XX:+UseG1GC -XX:MaxGCPauseMillis=5 -XX:+AlwaysPreTouch), SOURCES (client source
# addresses, default 127.0.0.1-127.0.0.40 so ephemeral ports are not the limit)
set -euo pipefail

source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/lib.sh"
N="${N:-10000}"
broker="${1:?usage: bench/conn-cpu.sh bastion|mosquitto}"
ulimit -n 20000

case "$broker" in
  bastion)
    cat > "$work/bastion.yaml" <<YAML
listeners: [{name: tcp, bind: 127.0.0.1, port: 0}]
security: {anonymous: allow}
store: {durability: memory}
YAML
    read -r -a opts <<< "${BASTION_JVM_OPTS:--Xms1g -Xmx1g -XX:+UseG1GC -XX:MaxGCPauseMillis=5 -XX:+AlwaysPreTouch}"
    taskset -c 0 java "${opts[@]}" -jar "${BENCH_BASTION_JAR:-$jar}" serve -c "$work/bastion.yaml" 2> "$work/broker.log" &
    pid=$!
    port=$(listening_port "$work/broker.log")
    ;;
  mosquitto)
    port=$((20000 + RANDOM % 20000))
    printf 'listener %s 127.0.0.1\nallow_anonymous true\npersistence false\nmax_connections -1\nlog_type none\n' \
      "$port" > "$work/mosquitto.conf"
    taskset -c 0 /usr/sbin/mosquitto -c "$work/mosquitto.conf" 2> "$work/broker.log" &
    pid=$!
    sleep 1
    ;;
  *) echo "usage: bench/conn-cpu.sh bastion|mosquitto" >&2; exit 2 ;;
esac

run() {
  taskset -c 1 java -jar "$jar" bench conn -p "$port" -c "$N" --source "${SOURCES:-127.0.0.1-127.0.0.40}" \
    -d 1s -w 0 --connect-concurrency 500 -q 2>&1 | grep -oE '[0-9,]+ connects/s' | tail -1
}
for _ in $(seq 1 "${WARM:-8}"); do run > /dev/null; done
tick_us=$((1000000 / $(getconf CLK_TCK)))
for i in $(seq 1 "${RUNS:-4}"); do
  read -r u1 s1 < <(awk '{print $14, $15}' "/proc/$pid/stat")
  rate=$(run)
  read -r u2 s2 < <(awk '{print $14, $15}' "/proc/$pid/stat")
  echo "$broker run $i: $rate; per connect + disconnect: user $(( (u2 - u1) * tick_us / N )) us," \
    "system $(( (s2 - s1) * tick_us / N )) us"
done
