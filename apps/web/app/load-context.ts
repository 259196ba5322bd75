import type { AppCaller } from '@syncbridge/api';
import type { Logger } from '@syncbridge/engine';

// What server/app.ts hands every loader and action (types only: app/ never imports server code).
declare module '@remix-run/node' {
  interface AppLoadContext {
    requestId: string;
    /** The request's logger (carries the request id). */
    log: Logger;
    /** tRPC procedures called in-process: `await context.trpc.integrations.list()`. */
    trpc: AppCaller;
  }
}

export {};
