# syntax=docker/dockerfile:1
# Image of the sample app: build everything in one stage, ship only the compiled output and the
# production dependencies in the next. Used by docker-compose.yml; not needed for `npm start`.

# Node >= 20.19 is required: the ESM-only Nest 12 packages are loaded through require(esm).
FROM node:20-bookworm-slim AS build
WORKDIR /app
# Dependencies first, so that editing the sources does not invalidate the `npm ci` layer.
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build && npm prune --omit=dev --no-audit --no-fund

FROM node:20-bookworm-slim AS runtime
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
CMD ["node", "dist/apps/sample-app/apps/sample-app/src/main.js"]
