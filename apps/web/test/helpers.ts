import type { AddressInfo } from 'node:net';
import type { Express } from 'express';
import { createLogger } from '@syncbridge/engine';

export const silentLogger = createLogger({ name: 'web-test', level: 'silent' });

export const SECRET = 'ciphertext-that-must-never-leave-the-server';

/** Listens on a free port; resolves to the base URL and a close function. */
export async function listen(app: Express): Promise<{ url: string; close(): Promise<void> }> {
  const server = await new Promise<ReturnType<Express['listen']>>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
