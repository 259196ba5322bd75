// A Google Sheets sandbox on a free port plus a connector pointed at it: for tests, benchmarks and
// the demo. Reached through `@syncbridge/connectors/sandboxes` (it pulls in Express).
import type { Connector } from '../contract.ts';
import type { SandboxServer } from '../sandbox-kit/server.ts';
import { createGoogleSheetsConnector, type GoogleSheetsConnectorOptions } from './index.ts';
import {
  createGoogleSheetsSandbox,
  DEFAULT_SANDBOX_ACCESS_TOKEN,
  type GoogleSheetsSandbox,
  type GoogleSheetsSandboxOptions,
} from './sandbox/index.ts';

export interface GoogleSheetsHarness {
  sandbox: GoogleSheetsSandbox;
  server: SandboxServer;
  /** googleapis' rootUrl for the sandbox (with the trailing slash it expects). */
  rootUrl: string;
  tokenUrl: string;
  /** A connector using the sandbox's default access token. */
  connector: Connector;
  connect(options?: Partial<GoogleSheetsConnectorOptions>): Connector;
  close(): Promise<void>;
}

export async function startGoogleSheetsHarness(
  sandboxOptions: GoogleSheetsSandboxOptions = {},
  connectorOptions: Partial<GoogleSheetsConnectorOptions> = {},
): Promise<GoogleSheetsHarness> {
  const sandbox = createGoogleSheetsSandbox(sandboxOptions);
  const server = await sandbox.start();
  const rootUrl = `${server.url}/`;
  const connect = (options: Partial<GoogleSheetsConnectorOptions> = {}) =>
    createGoogleSheetsConnector({
      rootUrl,
      auth: { accessToken: DEFAULT_SANDBOX_ACCESS_TOKEN },
      ...connectorOptions,
      ...options,
    });
  return {
    sandbox,
    server,
    rootUrl,
    tokenUrl: `${server.url}/token`,
    connector: connect(),
    connect,
    close: () => server.close(),
  };
}
