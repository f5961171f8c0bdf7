# syntax=docker/dockerfile:1
# With a registry: `docker build .`. Without one (CI here), scripts/build-image.sh builds a local
# Debian bookworm + Node 20 base and passes it as BASE; both stages must use the same Node.
ARG BASE=node:20-bookworm-slim

# Build stage: native modules (bcrypt, better-sqlite3) need a toolchain when no prebuilt fits.
FROM ${BASE} AS build
WORKDIR /app
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
# better-sqlite3 compiles from source when its prebuilt download fails; node-gyp then builds against
# the headers installed beside this Node (<prefix>/include/node) rather than downloading them. Behind
# a TLS-intercepting proxy, pass its CA bundle as the build secret `extra-ca` (not kept in a layer).
# JOBS=max: node-gyp compiles SQLite and the binding in parallel.
RUN --mount=type=secret,id=extra-ca,required=false \
    if [ -s /run/secrets/extra-ca ]; then export NODE_EXTRA_CA_CERTS=/run/secrets/extra-ca; fi \
 && prefix="$(dirname "$(dirname "$(command -v node)")")" \
 && if [ -f "$prefix/include/node/common.gypi" ]; then export npm_config_nodedir="$prefix"; fi \
 && JOBS=max npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json nest-cli.json ormconfig.ts ./
COPY src ./src
RUN npm run build && npm prune --omit=dev

# Runtime stage: no toolchain, no dev dependencies, not root. The code stays owned by root (the
# service cannot rewrite it); only /data, where SQLite lives, belongs to the service user.
# No ISSUER here: in production the service refuses to start without one, and only the operator
# knows the URL clients use (`docker run -e ISSUER=https://id.example.com …`).
FROM ${BASE} AS runtime
ENV NODE_ENV=production \
    PORT=3000 \
    HOST=0.0.0.0 \
    DATABASE_URL=sqlite:/data/tessera.db
WORKDIR /app
RUN groupadd --system --gid 10001 tessera \
 && useradd --system --uid 10001 --gid tessera --home-dir /app --shell /usr/sbin/nologin tessera \
 && mkdir -p /data && chown tessera:tessera /data
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# Numeric, so Kubernetes can verify runAsNonRoot without a runAsUser.
USER 10001:10001
VOLUME ["/data"]
EXPOSE 3000
HEALTHCHECK --interval=15s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.HEALTH_PORT||process.env.PORT||3000)+'/health/live').then(r=>process.exit(r.ok?0:1)).catch(()=>process.exit(1))"]
# Exec form: node is PID 1 and receives SIGTERM itself (Nest's shutdown hooks close the server).
CMD ["node", "dist/src/main.js"]
