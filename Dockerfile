FROM node:20-bookworm-slim
WORKDIR /app
COPY package.json package-lock.json ./
COPY api/package.json api/
COPY web/package.json web/
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build -w web
ENV NODE_ENV=production
EXPOSE 3000
CMD ["sh", "-c", "npx tsx seeds/seed.ts --if-empty && npx tsx api/src/server.ts"]
