// Test harness: a HubSpot sandbox on a free port plus a connector pointed at it (tests and demos;
// pulls in Express through the sandbox, so export it from the sandboxes entry only).
import type { Connector } from '../contract.ts';
import { createHubSpotConnector, type HubSpotConnectorOptions } from './index.ts';
import { createHubSpotSandbox, type HubSpotSandbox, type HubSpotSandboxOptions } from './sandbox/index.ts';
import type { SandboxServer } from '../sandbox-kit/server.ts';

export const HUBSPOT_TOKEN = 'pat-na1-test';
export const CONTACTS = { object: 'contacts', keyField: 'syncbridge_id' };

export interface HubSpotHarness {
  sandbox: HubSpotSandbox;
  server: SandboxServer;
  connector: Connector;
  connect(options?: Partial<HubSpotConnectorOptions>): Connector;
  close(): Promise<void>;
}

export async function startHubSpot(
  sandboxOptions: HubSpotSandboxOptions = {},
  connectorOptions: Partial<HubSpotConnectorOptions> = {},
): Promise<HubSpotHarness> {
  const sandbox = createHubSpotSandbox({
    accessToken: HUBSPOT_TOKEN,
    contactProperties: [
      { name: 'syncbridge_id', label: 'Syncbridge ID', hasUniqueValue: true },
      { name: 'britepool_role', label: 'BritePool role' },
      { name: 'britepool_equity_units', label: 'BritePool equity units', type: 'number' },
    ],
    ...sandboxOptions,
  });
  const server = await sandbox.start();
  const connect = (options: Partial<HubSpotConnectorOptions> = {}) =>
    createHubSpotConnector({ accessToken: HUBSPOT_TOKEN, basePath: server.url, ...connectorOptions, ...options });
  return { sandbox, server, connector: connect(), connect, close: () => server.close() };
}
