#!/usr/bin/env bash
# Builds the Tessera container image on a machine with no Docker engine and no container registry
# (CI here): podman with runc from Debian's packages, and a base image made locally with
# `debootstrap --variant=minbase bookworm` plus this machine's own Node 20, imported under the name
# the Dockerfile's BASE expects. With a registry, plain `docker build .` does the same job.
#
#   bash scripts/build-image.sh           build the image (localhost/tessera:latest)
#   bash scripts/build-image.sh --smoke   build it, then run it on loopback: /health/ready, a
#                                         client_credentials sign-in, SIGTERM drain (readiness 503,
#                                         a sign-in served meanwhile, exit 0 in the grace period, JSON log)
#
# Runs as root (apt-get, debootstrap, rootful podman). Everything it keeps (the debootstrap tree,
# podman's storage and configuration) lives under TESSERA_IMAGE_CACHE, by default
# ${XDG_CACHE_HOME:-$HOME/.cache}/tessera-image, so a second run reuses the base and the build layers.
# /etc is never edited: podman reads a private CONTAINERS_CONF and CONTAINERS_STORAGE_CONF.
set -euo pipefail

usage() {
  sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'
}

smoke=""
for arg in "$@"; do
  case "$arg" in
    --smoke) smoke=1 ;;
    -h | --help)
      usage
      exit 0
      ;;
    *)
      echo "build-image: unknown argument '$arg' (try --help)" >&2
      exit 2
      ;;
  esac
done

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cache="${TESSERA_IMAGE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/tessera-image}"
image="${TESSERA_IMAGE:-localhost/tessera:latest}"
# The Dockerfile's default BASE is node:20-bookworm-slim; the same name under localhost/ is ours.
base_image="localhost/node:20-bookworm-slim"
suite="bookworm"
mirror="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
# The HTTPS proxy's CA; npm in the build stage gets it as a build secret, never in a layer.
ca_bundle="${NODE_EXTRA_CA_CERTS:-/etc/ssl/certs/ca-certificates.crt}"
grace_seconds=30
started_at=$SECONDS
rootfs_pid=""
smoke_name=""
smoke_volume=""
smoke_body=""

# Whatever this run started, and only that, goes when it ends (success, failure or Ctrl-C).
cleanup() {
  if [ -n "$rootfs_pid" ] && kill -0 "$rootfs_pid" 2>/dev/null; then
    # The background debootstrap (a child of that subshell) first, then the subshell; the next run
    # removes the half-made tree.
    pkill -TERM -P "$rootfs_pid" 2>/dev/null || true
    kill "$rootfs_pid" 2>/dev/null || true
    wait "$rootfs_pid" 2>/dev/null || true
  fi
  if [ -n "$smoke_name" ]; then podman rm --force --time 0 "$smoke_name" >/dev/null 2>&1 || true; fi
  if [ -n "$smoke_volume" ]; then podman volume rm --force "$smoke_volume" >/dev/null 2>&1 || true; fi
  if [ -n "$smoke_body" ]; then rm -f "$smoke_body"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

log() { printf '== [%4ss] %s\n' "$((SECONDS - started_at))" "$*" >&2; }
die() {
  printf 'build-image: error: %s\n' "$*" >&2
  exit 1
}

[ "$(id -u)" = 0 ] || die "run as root: it installs packages, runs debootstrap and rootful podman"
[ -f "$repo/Dockerfile" ] || die "no Dockerfile in $repo"

# --- Node: the base carries this machine's Node 20, its npm and its headers (node-gyp builds
# better-sqlite3 against them when the prebuilt download fails).
node_bin="$(readlink -f "$(command -v node || true)")"
[ -x "$node_bin" ] || die "node is not installed on this machine"
node_version="$("$node_bin" -p 'process.versions.node')"
[ "${node_version%%.*}" = 20 ] || die "Node $node_version found; the image is built on Node 20"
node_prefix="$(dirname "$(dirname "$node_bin")")"
npm_dir="$node_prefix/lib/node_modules/npm"
headers_dir="$node_prefix/include/node"
if [ ! -f "$headers_dir/common.gypi" ]; then
  # npm may be pointed elsewhere (`npm config get nodedir`); use that tree if it holds the headers.
  nodedir="$(npm config get nodedir 2>/dev/null || true)"
  if [ -n "$nodedir" ] && [ -f "$nodedir/include/node/common.gypi" ]; then
    headers_dir="$nodedir/include/node"
  else
    die "Node's headers are not in $node_prefix/include/node nor in npm's nodedir ('$nodedir')"
  fi
fi
[ -f "$npm_dir/bin/npm-cli.js" ] || die "npm is not in $npm_dir"
[ -r "$ca_bundle" ] || die "CA bundle $ca_bundle is not readable (set NODE_EXTRA_CA_CERTS)"

# --- Tools, installed only when missing. debootstrap comes first so the base tree (the slowest
# step of a first run) is made while podman installs.
missing_packages() {
  local pair
  for pair in "$@"; do
    command -v "${pair%%:*}" >/dev/null 2>&1 || echo "${pair#*:}"
  done
}
apt_updated=""
install_packages() {
  [ "$#" -gt 0 ] || return 0
  log "installing $* from Debian's packages"
  if [ -z "$apt_updated" ]; then
    apt-get update -qq || die "apt-get update failed"
    apt_updated=1
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null ||
    die "apt-get install $* failed"
}
# shellcheck disable=SC2046 # one package name a word
install_packages $(missing_packages debootstrap:debootstrap curl:curl flock:util-linux)

mkdir -p "$cache/conf"
exec 9>"$cache/lock"
flock -w 600 9 || die "another build-image run holds $cache/lock"

# --- Base tree: debootstrap once, then reuse. Built aside and renamed, so an interrupted run never
# leaves a half tree behind.
rootfs="$cache/rootfs/$suite-minbase"
make_rootfs() {
  rm -rf "$rootfs.partial"
  mkdir -p "$cache/rootfs"
  debootstrap --variant=minbase "$suite" "$rootfs.partial" "$mirror" >"$cache/debootstrap.log" 2>&1 ||
    return 1
  # Mirrors that serve a dated snapshot need apt's validity check off, as on this machine.
  if apt-config dump 2>/dev/null | grep -q '^Acquire::Check-Valid-Until "false"'; then
    echo 'Acquire::Check-Valid-Until "false";' >"$rootfs.partial/etc/apt/apt.conf.d/99snapshot"
  fi
  rm -rf "$rootfs.partial"/var/cache/apt/archives/*.deb "$rootfs.partial"/var/lib/apt/lists/*
  # Where this machine's Node goes, and npm's commands, as the Node tarball lays them out.
  local rel_prefix="${node_prefix#/}"
  mkdir -p "$rootfs.partial/$rel_prefix/bin" "$rootfs.partial/$rel_prefix/lib/node_modules" \
    "$rootfs.partial/$rel_prefix/include"
  ln -sf ../lib/node_modules/npm/bin/npm-cli.js "$rootfs.partial/$rel_prefix/bin/npm"
  ln -sf ../lib/node_modules/npm/bin/npx-cli.js "$rootfs.partial/$rel_prefix/bin/npx"
  date -u +%Y-%m-%dT%H:%M:%SZ >"$rootfs.partial/.tessera-rootfs-ok"
  mv "$rootfs.partial" "$rootfs"
}
if [ ! -f "$rootfs/.tessera-rootfs-ok" ]; then
  log "debootstrap --variant=minbase $suite from $mirror, in the background (first run only)"
  make_rootfs &
  rootfs_pid=$!
fi

# shellcheck disable=SC2046
install_packages $(missing_packages podman:podman runc:runc)

# --- Storage: kernel overlay when this machine can mount it, else fuse-overlayfs, else vfs (slow,
# but always works). Each driver has its own graph root: containers/storage cannot switch in place.
overlay_works() {
  local t rc=0
  t="$(mktemp -d)"
  mkdir -p "$t/l" "$t/u" "$t/w" "$t/m"
  mount -t overlay overlay -o "lowerdir=$t/l,upperdir=$t/u,workdir=$t/w" "$t/m" 2>/dev/null || rc=1
  [ "$rc" = 0 ] && umount "$t/m"
  rm -rf "$t"
  return "$rc"
}
driver="${TESSERA_STORAGE_DRIVER:-}"
if [ -z "$driver" ] && [ -f "$cache/conf/driver" ]; then driver="$(cat "$cache/conf/driver")"; fi
if [ -z "$driver" ]; then
  if overlay_works; then
    driver=overlay
  else
    if ! command -v fuse-overlayfs >/dev/null 2>&1; then
      log "kernel overlay unavailable; installing fuse-overlayfs"
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends fuse-overlayfs \
        >/dev/null 2>&1 || true
    fi
    if command -v fuse-overlayfs >/dev/null 2>&1 && [ -e /dev/fuse ]; then
      driver=fuse-overlayfs
    else
      driver=vfs
    fi
  fi
  echo "$driver" >"$cache/conf/driver"
fi
export CONTAINERS_STORAGE_CONF="$cache/conf/storage.conf"
{
  echo '[storage]'
  if [ "$driver" = fuse-overlayfs ]; then echo 'driver = "overlay"'; else echo "driver = \"$driver\""; fi
  echo "graphroot = \"$cache/storage/$driver\""
  echo "runroot = \"/run/tessera-image/$driver\""
  if [ "$driver" = fuse-overlayfs ]; then
    echo '[storage.options.overlay]'
    echo "mount_program = \"$(command -v fuse-overlayfs)\""
  fi
} >"$CONTAINERS_STORAGE_CONF"

# --- Engine: runc (crun refuses this machine's cgroup setup), cgroupfs, and ulimits no higher than
# this shell's own (podman's defaults, 1048576 files and processes, cannot be set here).
nofile="$(ulimit -Sn):$(ulimit -Hn)"
nproc_max="$(ulimit -Su)"
[ "$nproc_max" = unlimited ] && nproc_max=65536
write_containers_conf() {
  cat >"$cache/conf/containers.conf" <<EOF
[containers]
default_ulimits = ["nofile=$nofile", "nproc=$1:$1"]
[engine]
runtime = "runc"
cgroup_manager = "cgroupfs"
events_logger = "file"
EOF
}
export CONTAINERS_CONF="$cache/conf/containers.conf"
limits_key="$nofile/$nproc_max/$(runc --version | head -n1)"
nproc=""
if [ -f "$cache/conf/nproc" ] && [ "$(sed -n 1p "$cache/conf/nproc")" = "$limits_key" ]; then
  nproc="$(sed -n 2p "$cache/conf/nproc")"
fi
write_containers_conf "${nproc:-$nproc_max}"

if [ -n "$rootfs_pid" ]; then
  wait "$rootfs_pid" || die "debootstrap failed; see $cache/debootstrap.log"
  rootfs_pid=""
  log "base tree ready in $rootfs"
fi

# --- Base image: the tree plus Node, re-imported only when Node or the tree changed.
base_key="node-$node_version/npm-$(node "$npm_dir/bin/npm-cli.js" --version)/rootfs-$(cat "$rootfs/.tessera-rootfs-ok")"
current_key="$(podman image inspect --format '{{index .Config.Labels "tessera.base-key"}}' "$base_image" 2>/dev/null || true)"
if [ "$current_key" != "$base_key" ]; then
  log "importing $base_image ($base_key)"
  # The headers go where the Dockerfile's build stage looks: <node prefix>/include/node.
  headers_tar=("${node_prefix#/}/include/node")
  if [ "$headers_dir" != "$node_prefix/include/node" ]; then
    headers_tar=("-C" "$(dirname "$headers_dir")" "--transform=s|^node|${node_prefix#/}/include/node|r" node)
  fi
  tar --numeric-owner -c -f - -C "$rootfs" --exclude=./.tessera-rootfs-ok . \
    -C / "${node_bin#/}" "${npm_dir#/}" "${headers_tar[@]}" |
    podman import \
      --change "ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" \
      --change "ENV NODE_VERSION=$node_version" \
      --change "LABEL tessera.base-key=$base_key" \
      --change 'CMD ["node"]' \
      - "$base_image" >/dev/null || die "podman import of $base_image failed"
fi

# --- The highest process limit runc may set here (probed once per limits and runc version).
if [ -z "$nproc" ]; then
  nproc="$nproc_max"
  until podman run --rm --network host --ulimit "nofile=$nofile" --ulimit "nproc=$nproc:$nproc" \
    "$base_image" true >/dev/null 2>&1; do
    [ "$nproc" -gt 1024 ] || die "no container starts here; try: podman run --rm $base_image true"
    nproc=$((nproc / 2))
  done
  printf '%s\n%s\n' "$limits_key" "$nproc" >"$cache/conf/nproc"
  write_containers_conf "$nproc"
fi
podman run --rm --network host "$base_image" node -e 'process.exit(0)' ||
  die "Node does not run in $base_image"

# --- The image. Host networking: no bridge is needed, and the proxy is reached as on the host.
# This machine's npm cache, when it has one, is lent to `npm ci` as an overlay (writes are thrown
# away): the lockfile names no tarball addresses, so a cold cache costs ~800 metadata requests.
build_volumes=()
npm_cache="$(npm config get cache 2>/dev/null || true)"
if [ "$driver" = overlay ] && [ -d "$npm_cache/_cacache" ]; then
  build_volumes=(--volume "$npm_cache:/root/.npm:O")
fi
log "podman build $image (BASE=$base_image, storage $driver${build_volumes:+, npm cache $npm_cache})"
# Each step's start is stamped with the script's clock, so a slow step shows in CI's log.
podman build \
  --format docker \
  --layers \
  --network host \
  --pull=never \
  --ulimit "nofile=$nofile" --ulimit "nproc=$nproc:$nproc" \
  --build-arg "BASE=$base_image" \
  --secret "id=extra-ca,src=$ca_bundle" \
  "${build_volumes[@]}" \
  --tag "$image" \
  --file "$repo/Dockerfile" \
  "$repo" 2>&1 |
  while IFS= read -r line; do
    case "$line" in
      \[*STEP* | \[*COMMIT*) printf '[%4ss] %s\n' "$((SECONDS - started_at))" "$line" ;;
      *) printf '%s\n' "$line" ;;
    esac
  done || die "podman build failed (the output above says which step)"
size="$(podman image inspect --format '{{.Size}}' "$image")"
log "built $image: $size bytes ($((size / 1024 / 1024)) MiB)"

[ -n "$smoke" ] || exit 0

# --- Smoke test: the image as an operator runs it, on loopback.
smoke_name="tessera-smoke-$$"
smoke_volume="tessera-smoke-data-$$"
smoke_body="$(mktemp)"
free_port() { node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"; }
port="$(free_port)"
# As the Kubernetes manifests run it: probes also on a port of their own, answered by a thread.
health_port="$(free_port)"
admin_id="ci-admin"
admin_secret="$(node -p "require('crypto').randomBytes(24).toString('hex')")"
base_url="http://127.0.0.1:$port"
# Long enough to send a request during the drain and see readiness answer 503.
drain_delay_seconds=3

log "smoke: starting $smoke_name on $base_url"
podman volume create "$smoke_volume" >/dev/null
podman run --detach --name "$smoke_name" --network host \
  --volume "$smoke_volume:/data" \
  --env PORT="$port" --env HOST=127.0.0.1 --env ISSUER="$base_url" \
  --env DATABASE_URL=sqlite:/data/tessera.db \
  --env SECRET_KEY="$(node -p "require('crypto').randomBytes(32).toString('hex')")" \
  --env ADMIN_CLIENT_ID="$admin_id" --env ADMIN_CLIENT_SECRET="$admin_secret" \
  --env BCRYPT_COST=10 --env SHUTDOWN_DELAY_SECONDS="$drain_delay_seconds" \
  --env HEALTH_PORT="$health_port" \
  --health-interval disable \
  "$image" >/dev/null
fail() {
  echo "--- container logs ($smoke_name)" >&2
  podman logs "$smoke_name" 2>&1 | tail -n 40 >&2 || true
  die "smoke: $*"
}

ready=""
for _ in $(seq 1 90); do
  if curl -fsS "$base_url/health/ready" >/dev/null 2>&1; then
    ready=1
    break
  fi
  [ "$(podman inspect --format '{{.State.Running}}' "$smoke_name")" = true ] ||
    fail "the container exited before it was ready"
  sleep 1
done
[ -n "$ready" ] || fail "/health/ready did not answer 200 within 90 s"
[ "$(podman inspect --format '{{.Config.User}}' "$smoke_name")" = "10001:10001" ] ||
  fail "the container does not run as 10001:10001"
curl -fsS "http://127.0.0.1:$health_port/health/ready" >/dev/null ||
  fail "/health/ready on HEALTH_PORT $health_port did not answer 200"
# The image's own HEALTHCHECK (on HEALTH_PORT when set), run once (no systemd here to run it on a timer).
podman healthcheck run "$smoke_name" >/dev/null || fail "the image's HEALTHCHECK reports unhealthy"
log "smoke: /health/ready answered 200 on PORT and HEALTH_PORT; HEALTHCHECK healthy; running as 10001:10001"

status="$(curl -sS -o "$smoke_body" -w '%{http_code}' -u "$admin_id:$admin_secret" \
  --data grant_type=client_credentials "$base_url/oauth2/token")" || fail "POST /oauth2/token failed"
[ "$status" = 200 ] || fail "client_credentials sign-in answered $status: $(head -c 300 "$smoke_body")"
node -e "const b=JSON.parse(require('fs').readFileSync(process.argv[1],'utf8')); if(typeof b.access_token!=='string'||b.token_type!=='Bearer') process.exit(1)" "$smoke_body" ||
  fail "the token response has no Bearer access_token: $(head -c 300 "$smoke_body")"
log "smoke: client_credentials sign-in answered 200 with a Bearer token"
discovered_issuer="$(curl -fsS "$base_url/.well-known/openid-configuration" |
  node -e "let s='';process.stdin.on('data',(c)=>(s+=c)).on('end',()=>console.log(JSON.parse(s).issuer))")" ||
  fail "GET /.well-known/openid-configuration failed"
[ "$discovered_issuer" = "$base_url" ] ||
  fail "discovery names issuer '$discovered_issuer', not the URL the client used ($base_url)"
log "smoke: discovery names the issuer the client used"

# SIGTERM as Kubernetes sends it; podman stop sends SIGKILL only after the grace period. The drain
# must turn readiness 503 at once (and never 200 again), keep serving for SHUTDOWN_DELAY_SECONDS
# (a sign-in sent then answers 200), then stop and exit 0.
stop_started=$SECONDS
podman stop --time "$grace_seconds" "$smoke_name" >/dev/null &
stop_pid=$!
sleep 1
drain_status="$(curl -sS -o "$smoke_body" -w '%{http_code}' --max-time 10 -u "$admin_id:$admin_secret" \
  --data grant_type=client_credentials "$base_url/oauth2/token" || true)"
codes=""
while kill -0 "$stop_pid" 2>/dev/null; do
  code="$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$base_url/health/ready" || true)"
  codes="$codes $code"
  sleep 0.2
done
wait "$stop_pid" || fail "podman stop failed"
stop_seconds=$((SECONDS - stop_started))
seen="$(printf '%s\n' $codes | uniq | tr '\n' ' ')"
log "smoke: /health/ready while stopping answered: ${seen:-nothing} (000 = connection refused)"
[ "$drain_status" = 200 ] ||
  fail "a sign-in sent during the drain answered $drain_status: $(head -c 300 "$smoke_body")"
case " $codes " in *" 503 "*) ;; *) fail "readiness never answered 503 while draining (saw: $seen)" ;; esac
after_503="$codes "
after_503="${after_503#* 503 }"
case " $after_503 " in *" 200 "*) fail "readiness answered 200 again after 503 (saw: $seen)" ;; esac
exit_code="$(podman inspect --format '{{.State.ExitCode}}' "$smoke_name")"
[ "$exit_code" = 0 ] ||
  fail "after SIGTERM the service exited with $exit_code (137 means killed at the end of the ${grace_seconds} s grace period)"
[ "$stop_seconds" -lt "$grace_seconds" ] ||
  fail "the service took ${stop_seconds} s to stop (grace period ${grace_seconds} s)"
[ "$stop_seconds" -ge "$drain_delay_seconds" ] ||
  fail "the service stopped after ${stop_seconds} s, before SHUTDOWN_DELAY_SECONDS (${drain_delay_seconds} s)"
# Every line the container wrote is JSON (pino from the first line), including the drain's own.
podman logs "$smoke_name" >"$smoke_body" 2>&1 || fail "podman logs failed"
node -e "
const lines = require('fs').readFileSync(process.argv[1], 'utf8').split('\n').filter((l) => l.trim());
const bad = lines.filter((l) => { try { JSON.parse(l); return false; } catch { return true; } });
if (bad.length) { console.error(bad.slice(0, 5).join('\n')); process.exit(1); }
const msgs = lines.map((l) => JSON.parse(l).msg);
for (const want of [/^Listening on http:/, /readiness answers 503/, /^Shut down cleanly/])
  if (!msgs.some((m) => want.test(String(m)))) { console.error('missing: ' + want); process.exit(1); }
" "$smoke_body" || fail "the container's log is not all JSON, or lacks the listen and drain lines"
log "smoke: sign-in during the drain answered 200; readiness 503 until closed; SIGTERM → exit 0 after ${stop_seconds} s; log all JSON"
log "smoke passed; image $image is $size bytes ($((size / 1024 / 1024)) MiB)"
