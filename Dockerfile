# The tiktool gateway.
#   docker build -t tiktool .
#   docker run -d --name tiktool -p 127.0.0.1:8080:8080 -v tiktool-data:/data tiktool
#   docker exec tiktool node packages/server/dist/src/cli.js keys create --tier pro
# (docs/deploy.md; the port is bound to loopback for a TLS-terminating proxy.)
# Stages: base (toolchain and manifests), build (TypeScript), deps (production
# node_modules), and the runtime image (no compilers, non-root).

FROM node:20-bookworm-slim AS base
# better-sqlite3 is native: its install compiles it when no prebuilt binary fits.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
# npm ci needs the manifest of every workspace the root package.json lists.
COPY package.json package-lock.json ./
COPY packages/testkit/package.json packages/testkit/
COPY packages/protocol/package.json packages/protocol/
COPY packages/webcast/package.json packages/webcast/
COPY packages/emulator/package.json packages/emulator/
COPY packages/live/package.json packages/live/
COPY packages/server/package.json packages/server/

FROM base AS build
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.base.json ./
COPY packages packages
RUN npm run build

FROM base AS deps
RUN npm ci --omit=dev --no-audit --no-fund

FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    PORT=8080 \
    HOST=0.0.0.0 \
    TIKTOOL_DB=/data/tiktool.db
WORKDIR /app
COPY --from=deps /app ./
COPY --from=build /app/packages/protocol/dist/src packages/protocol/dist/src
COPY --from=build /app/packages/webcast/dist/src packages/webcast/dist/src
COPY --from=build /app/packages/webcast/proto packages/webcast/proto
COPY --from=build /app/packages/emulator/dist/src packages/emulator/dist/src
COPY --from=build /app/packages/live/dist/src packages/live/dist/src
COPY --from=build /app/packages/server/dist/src packages/server/dist/src
RUN mkdir /data && chown node:node /data
USER node
VOLUME /data
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=3s --start-period=10s \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 8080) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "packages/server/dist/src/cli.js", "serve"]
