#!/usr/bin/env bash
# Runs README.md's shell examples as written (`npm run readme:check`), so the README cannot drift.
#
# Every fenced ```sh block runs in order, in one `bash -euo pipefail` session, and the first failing
# command fails the check. A block right after an HTML comment `<!-- not-run: reason -->` is skipped
# (installing, starting the service in the foreground, docker, kubectl): this script does what such
# a block does itself, the same way:
#   - the built service (dist/; built first when missing) on a free loopback port with a fresh SQLite
#     file, ADMIN_CLIENT_ID=ops and ADMIN_CLIENT_SECRET=$SECRET, a fresh `openssl rand -hex 32`
#     that the examples see as $SECRET, as the README's start block exports it;
#   - `npm run dev:inbox` (scripts/dev-otp-inbox.ts) on free ports as SMTP_URL and SMS_WEBHOOK_URL,
#     so the examples read one-time codes from it as the README shows.
# Nothing in the README is rewritten: curl reads a config file of this run ($CURL_HOME/.curlrc)
# that connects localhost:3000 and localhost:2580 to those ports, and adds --fail-with-body so an
# HTTP error fails its command (and the check) while still printing the error body.
# (So README examples use `curl -s`, never `-f`: curl refuses -f together with --fail-with-body.)
set -euo pipefail
cd "$(dirname "$0")/.."

readme=${1:-README.md} # another file only to test this script
service_port_in_readme=3000
inbox_port_in_readme=2580

echo "== tools"
missing=()
for tool in jq curl openssl; do command -v "$tool" >/dev/null 2>&1 || missing+=("$tool"); done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y "${missing[@]}"
  else
    echo "missing ${missing[*]}: install them (apt-get install -y ${missing[*]})" >&2
    exit 1
  fi
fi
curl --version | head -n 1

if [ ! -f dist/src/main.js ]; then
  echo "== build"
  npm run -s build
fi

work=$(mktemp -d)
service_pid=""
inbox_pid=""
cleanup() {
  status=$?
  if [ -n "$service_pid" ]; then kill "$service_pid" 2>/dev/null || true; fi
  if [ -n "$inbox_pid" ]; then kill "$inbox_pid" 2>/dev/null || true; fi
  wait 2>/dev/null || true
  if [ "$status" != 0 ]; then
    echo "== README examples FAILED (exit $status): see the last command above"
    echo "== service log (last 40 lines)"
    tail -n 40 "$work/service.log" 2>/dev/null || true
    echo "== inbox log"
    cat "$work/inbox.log" 2>/dev/null || true
  fi
  rm -rf "$work"
  exit "$status"
}
trap cleanup EXIT

free_port() {
  node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"
}
wait_for() { # url pid what
  for _ in $(seq 1 120); do
    if curl -q -fsS -o /dev/null "$1" 2>/dev/null; then return 0; fi
    kill -0 "$2" 2>/dev/null || { echo "$3 exited" >&2; return 1; }
    sleep 0.5
  done
  echo "$3 did not answer $1" >&2
  return 1
}

echo "== blocks"
# awk: each ```sh block becomes a file; one preceded by <!-- not-run: … --> is recorded as skipped.
mkdir "$work/blocks"
awk -v dir="$work/blocks" '
  /^<!-- not-run:/ { skip_next = 1; next }
  /^```sh[[:space:]]*$/ && !inside { inside = 1; n++; file = sprintf("%s/%03d%s.sh", dir, n, skip_next ? ".skip" : ""); skip_next = 0; printf "" > file; start[n] = NR; next }
  /^```/ && inside { inside = 0; close(file); next }
  inside { print >> file; next }
  /[^[:space:]]/ { skip_next = 0 }
' "$readme"
ls "$work/blocks" | sed 's/^/  /'

echo "== service and inbox"
service_port=$(free_port)
smtp_port=$(free_port)
inbox_port=$(free_port)
SECRET=$(openssl rand -hex 32)
export SECRET

INBOX_SMTP_PORT=$smtp_port INBOX_HTTP_PORT=$inbox_port \
  node -r ts-node/register/transpile-only scripts/dev-otp-inbox.ts >"$work/inbox.log" 2>&1 &
inbox_pid=$!

PORT=$service_port HOST=127.0.0.1 DATABASE_URL="sqlite:$work/tessera.db" NODE_ENV=development \
  ISSUER="http://localhost:$service_port_in_readme" LOG_LEVEL=warn BCRYPT_COST=4 \
  ADMIN_CLIENT_ID=ops ADMIN_CLIENT_SECRET="$SECRET" \
  SMTP_URL="smtp://127.0.0.1:$smtp_port" SMS_WEBHOOK_URL="http://127.0.0.1:$inbox_port/sms" \
  node dist/src/main.js >"$work/service.log" 2>&1 &
service_pid=$!

wait_for "http://127.0.0.1:$service_port/health/ready" "$service_pid" "the service"
wait_for "http://127.0.0.1:$inbox_port/health" "$inbox_pid" "the inbox"
echo "service on 127.0.0.1:$service_port, inbox on 127.0.0.1:$smtp_port (SMTP) and :$inbox_port (HTTP)"

export CURL_HOME="$work"
cat >"$CURL_HOME/.curlrc" <<EOF
connect-to = localhost:$service_port_in_readme:127.0.0.1:$service_port
connect-to = localhost:$inbox_port_in_readme:127.0.0.1:$inbox_port
fail-with-body
EOF

# One session: variables one block sets are there for the next. Each block is echoed as it runs.
session="$work/session.sh"
{
  echo 'set -euo pipefail'
  for block in "$work"/blocks/*.sh; do
    name=$(basename "$block")
    case "$name" in
      *.skip.sh)
        echo "echo '-- block ${name%%.*}: not run (marked not-run)'"
        ;;
      *)
        echo "echo '-- block ${name%%.*}'"
        echo "set -x"
        cat "$block"
        echo
        echo "{ set +x; } 2>/dev/null"
        echo 'echo'
        ;;
    esac
  done
} >"$session"

cd "$work" # examples that write files write them here
bash -euo pipefail "$session"
echo "== README examples passed"
