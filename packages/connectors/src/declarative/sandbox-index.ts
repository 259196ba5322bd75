// The declarative sandbox and its vendor profiles (reached through `@syncbridge/connectors/sandboxes`).
export { createDeclarativeSandbox } from './sandbox.ts';
export type {
  DeclarativeSandbox,
  DeclarativeSandboxOptions,
  DeclarativeWebhookConfig,
  SandboxOAuthState,
} from './sandbox.ts';
export { DeclarativeStore, SandboxError, SANDBOX_INVALID_MARKER } from './sandbox-store.ts';
export type { SandboxChange, SandboxIdStyle, SandboxItem } from './sandbox-store.ts';
export { formatSandboxTime, renderItem } from './sandbox-profile.ts';
export type {
  SandboxAuth,
  SandboxList,
  SandboxPagination,
  SandboxProfile,
  SandboxRecordShape,
  SandboxTimeFormat,
  SandboxWebhookProfile,
  SandboxWrites,
} from './sandbox-profile.ts';
export {
  SANDBOX_CREDENTIALS,
  SANDBOX_PROFILES,
  SANDBOX_SETTINGS,
  SALESFORCE_SANDBOX_API_PATH,
  clickupProfile,
  clockifyProfile,
  genericProfile,
  genericProfileWith,
  harvestProfile,
  mondayProfile,
  salesforceProfile,
  togglProfile,
  trelloProfile,
} from './sandbox-profiles.ts';
