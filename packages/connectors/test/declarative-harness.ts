// A declarative sandbox on a free port plus a declarative connector pointed at it.
import type { ChangePage } from '../src/contract.ts';
import {
  createDeclarativeConnector,
  type DeclarativeConnector,
  type DeclarativeConnectorOptions,
} from '../src/declarative/connector.ts';
import type { DeclarativeDefinition } from '../src/declarative/definition.ts';
import { SHIPPED_DEFINITIONS, type ShippedDefinitionId } from '../src/declarative/definitions/index.ts';
import {
  createDeclarativeSandbox,
  type DeclarativeSandbox,
  type DeclarativeSandboxOptions,
} from '../src/declarative/sandbox.ts';
import type { SandboxProfile } from '../src/declarative/sandbox-profile.ts';
import { SANDBOX_CREDENTIALS, SANDBOX_PROFILES, SANDBOX_SETTINGS } from '../src/declarative/sandbox-profiles.ts';
import type { SandboxServer } from '../src/sandbox-kit/server.ts';

export interface DeclarativeHarness {
  sandbox: DeclarativeSandbox;
  server: SandboxServer;
  connector: DeclarativeConnector;
  /** Another connector on the same sandbox (other credentials, a changed definition, …). */
  connect(
    options?: Partial<DeclarativeConnectorOptions> & { definition?: DeclarativeDefinition },
  ): DeclarativeConnector;
  close(): Promise<void>;
}

/** A clock tests move by hand: seeds at a fixed time, later changes an hour on. */
export function manualClock(start = Date.parse('2026-01-05T09:00:00.000Z')) {
  let now = start;
  return {
    now: () => now,
    advance(ms: number) {
      now += ms;
    },
  };
}

export async function startDeclarative(
  id: ShippedDefinitionId,
  options: {
    profile?: SandboxProfile;
    sandbox?: DeclarativeSandboxOptions;
    connector?: Partial<DeclarativeConnectorOptions>;
    definition?: DeclarativeDefinition;
  } = {},
): Promise<DeclarativeHarness> {
  const profile = options.profile ?? SANDBOX_PROFILES[id];
  // Tests run far faster than any vendor allows: the limit is raised unless a test sets it.
  const sandbox = createDeclarativeSandbox(profile, { requestsPerWindow: 1_000_000, ...options.sandbox });
  const server = await sandbox.start();
  const settings: Record<string, unknown> = {
    ...((SANDBOX_SETTINGS as Record<string, Record<string, unknown>>)[id] ?? {}),
    loginUrl: server.url,
  };
  const connect = (overrides: Partial<DeclarativeConnectorOptions> & { definition?: DeclarativeDefinition } = {}) =>
    createDeclarativeConnector(overrides.definition ?? options.definition ?? SHIPPED_DEFINITIONS[id], {
      baseUrl: `${server.url}${profile.basePath}`,
      credentials: { ...SANDBOX_CREDENTIALS[id] },
      settings,
      timeoutMs: 5000,
      ...options.connector,
      ...overrides,
    });
  return { sandbox, server, connector: connect(), connect, close: () => server.close() };
}

export async function collectPages(pages: AsyncIterable<ChangePage>): Promise<ChangePage[]> {
  const all: ChangePage[] = [];
  for await (const page of pages) all.push(page);
  return all;
}
