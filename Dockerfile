# syntax=docker/dockerfile:1
# The production image: compiled JavaScript on Node 22 LTS, production dependencies only, an unprivileged user, and
# nothing seeded. The same build runs in `npm test` (api/test/integration/production.test.ts), which starts the
# result exactly as CMD below does. Seeding the demo city is an explicit command; see README "Production".

# 1. Build: every dependency (TypeScript, Vite), then `npm run build` → dist/ (API, migrations, seeds, web build).
# Pinned to amd64 because the development Meilisearch binary (a devDependency) only exists for it; the output is plain
# JavaScript and static files, the same on any platform.
FROM --platform=linux/amd64 node:22-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
COPY api/package.json api/
COPY web/package.json web/
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build

# 2. Production dependencies, installed for the image's own platform (argon2 is native).
FROM node:22-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
COPY api/package.json api/
COPY web/package.json web/
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

# 3. Runtime: root owns the files, the app runs as `node` and cannot change its own code.
FROM node:22-bookworm-slim
ENV NODE_ENV=production HOST=0.0.0.0 PORT=3000
WORKDIR /app
COPY --from=deps /app/package.json ./
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# Post photos (local-disk photo storage): the one place the app writes; a volume in docker-compose.yml.
ENV PHOTO_DIR=/var/lib/hexhood/photos
RUN mkdir -p /var/lib/hexhood/photos && chown node:node /var/lib/hexhood/photos
USER node
EXPOSE 3000
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/ready').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# SIGTERM: answer in-flight requests, refuse new ones, close the relay and the pool, exit 0 (see api/src/server.ts).
STOPSIGNAL SIGTERM
CMD ["node", "dist/api/src/server.js"]
