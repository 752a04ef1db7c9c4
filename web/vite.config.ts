// Vite config for the Remix web app only: `remix vite:build --config web/vite.config.ts`
// from the repository root. Vitest uses the root vitest.config.ts, which never loads this
// file; the VITEST guard keeps the Remix plugin out even if someone points vitest here.
import { vitePlugin as remix } from '@remix-run/dev';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const webDir = path.dirname(fileURLToPath(import.meta.url));

declare module '@remix-run/node' {
  interface Future {
    v3_singleFetch: true;
  }
}

export default defineConfig({
  publicDir: path.join(webDir, 'public'),
  plugins: [
    !process.env.VITEST &&
      remix({
        appDirectory: path.join(webDir, 'app'),
        buildDirectory: path.join(webDir, 'build'),
        future: {
          v3_fetcherPersist: true,
          v3_relativeSplatPath: true,
          v3_throwAbortReason: true,
          v3_singleFetch: true,
          v3_lazyRouteDiscovery: true,
        },
      }),
  ],
});
