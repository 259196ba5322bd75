// Test harness: a SmartSuite sandbox on a free port plus a connector pointed at it (tests, benchmarks
// and demos; pulls in Express through the sandbox, so export it from the sandboxes entry only).
import type { Connector } from '../contract.ts';
import type { SandboxServer } from '../sandbox-kit/server.ts';
import { createSmartSuiteConnector, type SmartSuiteConnectorOptions } from './index.ts';
import { createSmartSuiteSandbox, type SmartSuiteSandbox, type SmartSuiteSandboxOptions } from './sandbox/index.ts';

export const SMARTSUITE_API_KEY = 'ss-test-api-key';
export const SMARTSUITE_ACCOUNT_ID = 'ws7test1';

export interface SmartSuiteHarness {
  sandbox: SmartSuiteSandbox;
  server: SandboxServer;
  /** `${server.url}/api/v1`: the connector's baseUrl. */
  baseUrl: string;
  connector: Connector;
  connect(options?: Partial<SmartSuiteConnectorOptions>): Connector;
  close(): Promise<void>;
}

export async function startSmartSuite(
  sandboxOptions: SmartSuiteSandboxOptions = {},
  connectorOptions: Partial<SmartSuiteConnectorOptions> = {},
): Promise<SmartSuiteHarness> {
  const sandbox = createSmartSuiteSandbox({
    apiKey: SMARTSUITE_API_KEY,
    accountId: SMARTSUITE_ACCOUNT_ID,
    ...sandboxOptions,
  });
  const server = await sandbox.start();
  const baseUrl = `${server.url}/api/v1`;
  const connect = (options: Partial<SmartSuiteConnectorOptions> = {}) =>
    createSmartSuiteConnector({
      apiKey: SMARTSUITE_API_KEY,
      accountId: SMARTSUITE_ACCOUNT_ID,
      baseUrl,
      timeoutMs: 5000,
      ...connectorOptions,
      ...options,
    });
  return { sandbox, server, baseUrl, connector: connect(), connect, close: () => server.close() };
}
