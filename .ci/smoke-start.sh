#!/usr/bin/env bash
# `npm start` on the embedded default must boot, answer a query and stop without leftovers.
set -euo pipefail
data_dir=$(mktemp -d)
chmod 755 "$data_dir"
log=$(mktemp)
port=4555
EMBEDDED_POSTGRES_DIR="$data_dir/pg" PORT=$port npm start >"$log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true; rm -rf "$data_dir" "$log"' EXIT
for _ in $(seq 1 120); do
  if curl -sf "http://127.0.0.1:$port/health" >/dev/null; then break; fi
  if ! kill -0 $server 2>/dev/null; then cat "$log"; echo "npm start exited early"; exit 1; fi
  sleep 0.5
done
answer=$(curl -sf "http://127.0.0.1:$port/graphql" -H 'content-type: application/json' \
  -d '{"query":"{ books(first: 1) { edges { node { id } } } }"}')
echo "smoke answer: $answer"
[[ "$answer" == '{"data":{"books":{"edges":[]}}}' ]] || { cat "$log"; exit 1; }
kill -TERM $server
# npm passes SIGTERM on to the server and reports it as exit status 143; the log tells whether
# the server itself shut down cleanly.
status=0
wait $server || status=$?
if [[ $status -ne 0 && $status -ne 143 ]] || ! grep -q '"server stopped"' "$log"; then
  cat "$log"; echo "npm start did not shut down cleanly (status $status)"; exit 1
fi
if pgrep -f "postgres -D $data_dir" >/dev/null; then echo "embedded Postgres left running"; exit 1; fi
echo "smoke: npm start answered and stopped cleanly"
