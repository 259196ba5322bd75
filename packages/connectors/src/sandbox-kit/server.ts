// Runs a sandbox's Express app in-process. close() destroys every open socket (keep-alive
// connections, requests a fault left hanging) so tests and demos stop at once.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export type SandboxApp = (req: IncomingMessage, res: ServerResponse) => void;

export interface StartSandboxOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  /** Default 127.0.0.1: sandboxes are never exposed beyond the machine unless asked. */
  host?: string;
}

export interface SandboxServer {
  /** Base URL without a trailing slash, e.g. http://127.0.0.1:41234 */
  url: string;
  port: number;
  server: Server;
  close(): Promise<void>;
}

export async function startSandbox(app: SandboxApp, options: StartSandboxOptions = {}): Promise<SandboxServer> {
  const host = options.host ?? '127.0.0.1';
  const server = createServer(app);
  const sockets = new Set<Socket>();
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${urlHost}:${port}`,
    port,
    server,
    close() {
      closing ??= new Promise<void>((resolve, reject) => {
        server.close((error) => {
          if (error && (error as NodeJS.ErrnoException).code !== 'ERR_SERVER_NOT_RUNNING') reject(error);
          else resolve();
        });
        for (const socket of sockets) socket.destroy();
        server.closeAllConnections();
      });
      return closing;
    },
  };
}

export interface RunStandaloneOptions extends StartSandboxOptions {
  /** Shown in the start-up line. */
  name?: string;
  log?: (line: string) => void;
}

/**
 * Starts a sandbox on its own port for a CLI or the demo, and closes it on SIGINT/SIGTERM.
 * The caller parses its own arguments; nothing here reads the environment.
 */
export async function runStandalone(app: SandboxApp, options: RunStandaloneOptions = {}): Promise<SandboxServer> {
  const log = options.log ?? ((line: string) => console.log(line));
  const running = await startSandbox(app, options);
  log(`${options.name ?? 'sandbox'} listening on ${running.url}`);
  const stop = (signal: NodeJS.Signals) => {
    log(`${options.name ?? 'sandbox'} stopping (${signal})`);
    void running.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  running.server.once('close', () => {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  });
  return running;
}
