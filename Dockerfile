# One image for both processes (web and worker); docker-compose picks the command.
FROM node:24-bookworm-slim AS base
ENV PNPM_HOME=/pnpm PATH=/pnpm:$PATH CI=true NODE_OPTIONS=--disable-warning=ExperimentalWarning
RUN npm install -g pnpm@12.21.0 --no-audit --no-fund
WORKDIR /app

FROM base AS build
COPY . .
RUN pnpm install --frozen-lockfile && pnpm --filter @syncbridge/db generate && pnpm --filter @syncbridge/web build

FROM base AS runtime
ENV NODE_ENV=production
COPY --from=build /app /app
EXPOSE 3000 3001
CMD ["pnpm", "exec", "tsx", "apps/web/server.ts"]
