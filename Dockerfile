# syntax=docker/dockerfile:1
# Consular portal: one image for the API (ROLE=api) and the job workers (ROLE=worker).
# Checked by reading only: no Docker engine runs where this was written (see README).

ARG NODE_IMAGE=node:22.22.0-bookworm-slim

# --- build: compile TypeScript, then drop dev dependencies -------------------------------------------------------
FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY nest-cli.json tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY migrations ./migrations
RUN npm run build && npm prune --omit=dev --no-audit --no-fund

# --- runtime: compiled code, production dependencies and the files read at run time -----------------------------
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    PORT=3000 \
    DATA_DIR=/app/var
WORKDIR /app
COPY --from=build --chown=node:node /app/package.json ./package.json
COPY --from=build --chown=node:node /app/node_modules ./node_modules
COPY --from=build --chown=node:node /app/dist ./dist
COPY --chown=node:node templates ./templates
COPY --chown=node:node data ./data
COPY --chown=node:node assets ./assets
RUN mkdir -p /app/var && chown node:node /app/var
USER node
EXPOSE 3000
# /health/live answers as soon as the HTTP server is up; a worker (ROLE=worker) has no HTTP server: see docker-compose.yml.
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/health/live').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "dist/src/main.js"]
