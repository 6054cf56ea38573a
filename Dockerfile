# syntax=docker/dockerfile:1
# Stage 1: production dependencies only.
FROM node:20-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
# postinstall applies these to node_modules (postgres.js: a killed connection must not end the process).
COPY patches ./patches
RUN npm ci --omit=dev --no-audit --no-fund

# Stage 2: the runtime image, as an unprivileged user.
FROM node:20-bookworm-slim
ENV NODE_ENV=production PAPERBOY_DATA_DIR=/data LOG_FORMAT=json
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY package.json ./
COPY bin ./bin
COPY src ./src
COPY migrations ./migrations
COPY samples ./samples
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 3000
# node is PID 1 and receives SIGTERM itself (no npm or shell in between), so shutdown is clean.
CMD ["node", "--import", "tsx", "src/cli.ts", "start"]
