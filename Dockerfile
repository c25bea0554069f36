# syntax=docker/dockerfile:1
# Image of the sample app: build everything in one stage, ship only the compiled output and the
# production dependencies in the next. Used by docker-compose.yml; not needed for `npm start`.

# Node 24, the active LTS line, pinned to the exact release that `.ci/run`'s node24 step tests
# (test/operations/container-image.e2e-spec.ts keeps the two equal). Bump both together.
ARG NODE_IMAGE=node:24.22.3-bookworm-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /app
# Dependencies first, so that editing the sources does not invalidate the `npm ci` layer.
COPY package.json package-lock.json ./
# No install scripts at all: the image's npm may not honour package.json's `allowScripts`, and the
# two that list allows (@swc/core's binary check, @parcel/watcher's for `nest start --watch`) are
# not needed to build; the others (a telemetry ping among them) must never run.
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY . .
RUN npm run build && npm prune --omit=dev --ignore-scripts --no-audit --no-fund

FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    PORT=3000
WORKDIR /app
# Code and dependencies stay owned by root: the app runs as `node` and cannot modify them.
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# The only writable place: the embedded database, used when DATABASE_URL is not set.
RUN mkdir -p /app/.data && chown node:node /app/.data
USER node
EXPOSE 3000
# Liveness only (the process answers): a database blip must take a replica out of rotation
# (/health/ready, for the load balancer), not get it restarted. Slim images have neither curl nor
# wget, so Node's own fetch does the request.
HEALTHCHECK --interval=10s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/health/live').then((r)=>process.exit(r.ok?0:1),()=>process.exit(1))"]
CMD ["node", "dist/apps/sample-app/apps/sample-app/src/main.js"]
