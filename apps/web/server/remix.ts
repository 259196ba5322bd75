import { existsSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import express, { type Express } from 'express';
import { createRequestHandler, type GetLoadContextFunction } from '@remix-run/express';
import type { ServerBuild } from '@remix-run/node';
import type { ViteDevServer } from 'vite';

export interface MountRemixOptions {
  mode: 'production' | 'development';
  /** apps/web: where vite.config.ts and app/ live. */
  webRoot: string;
  /** Output of `remix vite:build` (production). */
  buildDir: string;
  getLoadContext: GetLoadContextFunction;
}

/** Mounts the Remix app; returns a function releasing what it holds (vite's dev server). */
export async function mountRemix(app: Express, options: MountRemixOptions): Promise<() => Promise<void>> {
  if (options.mode === 'development') return mountDevelopment(app, options);
  await mountProduction(app, options);
  return async () => undefined;
}

async function mountProduction(app: Express, options: MountRemixOptions): Promise<void> {
  const serverEntry = path.join(options.buildDir, 'server', 'index.js');
  if (!existsSync(serverEntry)) {
    throw new Error(`No Remix build at ${serverEntry}: run \`pnpm --filter @syncbridge/web build\` first.`);
  }
  const build = (await import(pathToFileURL(serverEntry).href)) as ServerBuild;
  const clientDir = path.join(options.buildDir, 'client');
  // Fingerprinted by vite: cache forever.
  app.use('/assets', express.static(path.join(clientDir, 'assets'), { immutable: true, maxAge: '1y', index: false }));
  app.use(express.static(clientDir, { maxAge: '1h', index: false }));
  app.all('*', createRequestHandler({ build, mode: 'production', getLoadContext: options.getLoadContext }));
}

async function mountDevelopment(app: Express, options: MountRemixOptions): Promise<() => Promise<void>> {
  // vite is a dev dependency: only loaded here.
  const vite = await import('vite');
  const devServer: ViteDevServer = await withoutNewExitListeners(() =>
    vite.createServer({
      root: options.webRoot,
      configFile: path.join(options.webRoot, 'vite.config.ts'),
      server: { middlewareMode: true },
      appType: 'custom',
    }),
  );
  app.use(devServer.middlewares);
  app.all(
    '*',
    createRequestHandler({
      // Re-read on every request so edits show up without a restart.
      build: () => devServer.ssrLoadModule('virtual:remix/server-build') as Promise<ServerBuild>,
      mode: 'development',
      getLoadContext: options.getLoadContext,
    }),
  );
  return () => devServer.close();
}

/**
 * The Remix plugin starts a second vite server (its "child compiler", not in middleware mode),
 * and vite makes such a server call process.exit() on SIGTERM or when stdin ends. That would cut
 * server.ts's graceful shutdown short (database left open), so the listeners it adds are removed:
 * the process owner decides when to exit, and devServer.close() still closes the child compiler.
 */
async function withoutNewExitListeners<T>(create: () => Promise<T>): Promise<T> {
  const sigtermBefore = new Set(process.listeners('SIGTERM'));
  const stdinEndBefore = new Set(process.stdin.listeners('end'));
  const created = await create();
  for (const listener of process.listeners('SIGTERM')) {
    if (!sigtermBefore.has(listener)) process.off('SIGTERM', listener);
  }
  for (const listener of process.stdin.listeners('end')) {
    if (!stdinEndBefore.has(listener)) process.stdin.off('end', listener as () => void);
  }
  return created;
}
