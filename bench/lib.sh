# bench/lib.sh — sourced by the bench scripts: the project root, Bastion's jar, a scratch directory removed
# (and background jobs stopped) on exit, and waiting for a started Bastion to listen.
root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
jar="$root/server/target/bastion.jar"
work="$(mktemp -d)"
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT

# listening_port LOG: the port of Bastion's "listening on mqtt://127.0.0.1:PORT" line in LOG, waited for up to
# 30 s; on timeout the log goes to stderr and the script exits
listening_port() {
  local port=""
  for _ in $(seq 1 600); do
    port=$(grep -oP 'listening on mqtt://127\.0\.0\.1:\K[0-9]+' "$1" || true)
    [[ -n "$port" ]] && { echo "$port"; return; }
    sleep 0.05
  done
  cat "$1" >&2
  exit 1
}
