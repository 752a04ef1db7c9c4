# syntax=docker/dockerfile:1
# One image for every LibreLog process; the compose file picks the command:
#   npm run api (default) | npm run worker | npm run web | npm run migrate
# tsx runs the TypeScript sources at run time; the web app and the workflow code are bundled here.

ARG NODE_IMAGE=node:20-bookworm-slim

FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY package.json package-lock.json ./
# Dev dependencies stay: the Remix/Vite build needs them and the lead keeps one node_modules.
# `npm install` honours the lock file; `npm ci` rejects it because npm 11 omits other
# platforms' optional packages from it (see .ci/run).
RUN --mount=type=cache,target=/root/.npm npm install --no-audit --no-fund

FROM deps AS build
COPY . .
# The web app's bundle, and the workflow bundle production workers start from.
RUN npm run build:web && npm run build:workflows

FROM ${NODE_IMAGE} AS runtime
LABEL org.opencontainers.image.title="LibreLog" \
      org.opencontainers.image.description="Radio traffic and log system" \
      org.opencontainers.image.licenses="AGPL-3.0-or-later"
ENV NODE_ENV=production \
    NPM_CONFIG_UPDATE_NOTIFIER=false \
    NPM_CONFIG_FUND=false \
    LIBRELOG_DATA_DIR=/var/lib/librelog
WORKDIR /app
# Application files stay owned by root: the app user may read them, not rewrite them.
COPY --from=build /app /app
# Published logs go here; a fresh named volume copies this owner, so `node` can write to it.
RUN mkdir -p /var/lib/librelog && chown node:node /var/lib/librelog
USER node
EXPOSE 3000 3001
CMD ["npm", "run", "api"]
