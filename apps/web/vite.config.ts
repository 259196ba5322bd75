import { vitePlugin as remix } from '@remix-run/dev';
import { defineConfig, type Plugin } from 'vite';

declare module '@remix-run/node' {
  // Typed loader data (Dates stay Dates) with single fetch.
  interface Future {
    v3_singleFetch: true;
  }
}

/**
 * `@syncbridge/db` stays out of the server bundle, so server code uses the very module server.ts
 * loaded (through tsx). Bundled, it would (1) import `pg` and `@prisma/*` by bare name from
 * apps/web/build, where pnpm does not link them (they are db's dependencies, not web's), and
 * (2) bring a second generated Prisma client, whose error classes differ from the running
 * client's (`instanceof Prisma.PrismaClientKnownRequestError` fails) and whose `import.meta.url`
 * points into build/.
 * In dev, listing it in `ssr.external` is enough. In build it is not: vite only externalizes .js
 * files inside node_modules, and this package is linked TypeScript source; hence this plugin.
 */
function externalDatabasePackage(): Plugin {
  return {
    name: 'syncbridge:external-db',
    enforce: 'pre',
    apply: 'build',
    resolveId(source, _importer, options) {
      if (options?.ssr && /^@syncbridge\/db(\/|$)/.test(source)) return { id: source, external: true };
      return null;
    },
  };
}

export default defineConfig({
  plugins: [
    externalDatabasePackage(),
    remix({
      future: {
        v3_fetcherPersist: true,
        v3_relativeSplatPath: true,
        v3_throwAbortReason: true,
        v3_singleFetch: true,
        v3_lazyRouteDiscovery: true,
        // v3_routeConfig stays off: it needs @remix-run/fs-routes, and file routes are enough here.
      },
    }),
  ],
  ssr: {
    // The other workspace packages are TypeScript sources: bundle them into the server build.
    noExternal: [/^@syncbridge\/(?!db(\/|$))/],
    // Runtime dependencies stay real imports. pg and @prisma/* are only reached through
    // @syncbridge/db (see above); the web app depends on pino itself.
    external: ['@syncbridge/db', 'pg', '@prisma/client', '@prisma/adapter-pg', 'pino'],
  },
});
