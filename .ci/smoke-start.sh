#!/usr/bin/env bash
# `npm start` on the embedded default must boot, answer a query and stop without leftovers.
set -euo pipefail
data_dir=$(mktemp -d)
chmod 755 "$data_dir"
log=$(mktemp)
port=4555
# In its own process group, so a signal reaches npm, its shell and the server alike, as Ctrl-C
# in a terminal does (npm does not pass SIGTERM on through the shell it runs scripts in).
EMBEDDED_POSTGRES_DIR="$data_dir/pg" PORT=$port setsid npm start >"$log" 2>&1 &
server=$!
trap 'kill -KILL -- -$server 2>/dev/null || true; rm -rf "$data_dir" "$log"' EXIT
for _ in $(seq 1 120); do
  if curl -sf "http://127.0.0.1:$port/health" >/dev/null; then break; fi
  if ! kill -0 $server 2>/dev/null; then cat "$log"; echo "npm start exited early"; exit 1; fi
  sleep 0.5
done
answer=$(curl -sf "http://127.0.0.1:$port/graphql" -H 'content-type: application/json' \
  -d '{"query":"{ books(first: 1) { edges { node { id } } } }"}')
echo "smoke answer: $answer"
[[ "$answer" == '{"data":{"books":{"edges":[]}}}' ]] || { cat "$log"; exit 1; }
kill -TERM -- -$server
for _ in $(seq 1 100); do
  kill -0 -- -$server 2>/dev/null || break
  sleep 0.1
done
if kill -0 -- -$server 2>/dev/null || ! grep -q '"server stopped"' "$log"; then
  cat "$log"; echo "npm start did not shut down cleanly on SIGTERM"; exit 1
fi
if pgrep -f "postgres -D $data_dir" >/dev/null; then echo "embedded Postgres left running"; exit 1; fi
echo "smoke: npm start answered and stopped cleanly"
