// Test harness: an Asana sandbox on a free port with a project ("Syncbridge tasks", custom fields
// Status / Priority / Syncbridge ID) and a connector pointed at it (tests and demos; pulls in Express
// through the sandbox, so export it from the sandboxes entry only).
import type { ResourceRef } from '../contract.ts';
import type { SandboxServer } from '../sandbox-kit/server.ts';
import { createAsanaConnector, type AsanaConnector, type AsanaConnectorOptions } from './index.ts';
import { ASANA_API_PATH, createAsanaSandbox, type AsanaSandbox, type AsanaSandboxOptions } from './sandbox/index.ts';
import type { StoredProject } from './sandbox/store.ts';

export const ASANA_TOKEN = '2/1200000000000000/1200000000000001:sandboxtoken';

export interface AsanaHarness {
  sandbox: AsanaSandbox;
  server: SandboxServer;
  /** API base for the SDK and the connector: server.url + /api/1.0 */
  basePath: string;
  project: StoredProject;
  /** The project as a resource, keyed by the external gid. */
  tasks: ResourceRef;
  connector: AsanaConnector;
  connect(options?: Partial<AsanaConnectorOptions>): AsanaConnector;
  close(): Promise<void>;
}

export async function startAsana(
  sandboxOptions: AsanaSandboxOptions = {},
  connectorOptions: Partial<AsanaConnectorOptions> = {},
): Promise<AsanaHarness> {
  const sandbox = createAsanaSandbox({ accessToken: ASANA_TOKEN, ...sandboxOptions });
  const { store } = sandbox;
  const project = store.addProject({
    name: 'Syncbridge tasks',
    customFields: [
      store.addCustomField({ name: 'Status', type: 'enum', options: ['To do', 'In progress', 'Done'] }),
      store.addCustomField({ name: 'Priority', type: 'enum', options: ['Low', 'Medium', 'High'] }),
      store.addCustomField({ name: 'Syncbridge ID', type: 'text' }),
    ],
  });
  const server = await sandbox.start();
  const basePath = `${server.url}${ASANA_API_PATH}`;
  const connect = (options: Partial<AsanaConnectorOptions> = {}) =>
    createAsanaConnector({ accessToken: ASANA_TOKEN, basePath, ...connectorOptions, ...options });
  return {
    sandbox,
    server,
    basePath,
    project,
    tasks: { object: project.gid, keyField: 'external' },
    connector: connect(),
    connect,
    close: () => server.close(),
  };
}
