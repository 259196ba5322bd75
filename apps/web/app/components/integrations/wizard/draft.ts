// The add-integration wizard's state and the checks the browser makes before each Next (the server
// checks again on create; its messages land on the same fields).
import {
  lowerFirst,
  typeInfo,
  type AuthOption,
  type AuthTypeName,
  type ConflictStrategyName,
  type DirectionName,
  type FrequencyName,
  type IntegrationTypeName,
} from '../catalog.ts';
import { checkResource, EMPTY_RESOURCE, type ResourceDraft } from '../ResourceForm.tsx';

export interface WizardDraft {
  type: IntegrationTypeName | null;
  name: string;
  baseUrl: string;
  authType: AuthTypeName | null;
  settings: Record<string, string>;
  credentials: Record<string, string>;
  direction: DirectionName;
  frequency: FrequencyName;
  conflictStrategy: ConflictStrategyName;
  addResource: boolean;
  resource: ResourceDraft;
}

export const EMPTY_DRAFT: WizardDraft = {
  type: null,
  name: '',
  baseUrl: '',
  authType: null,
  settings: {},
  credentials: {},
  direction: 'PUSH',
  frequency: 'EVERY_15_MIN',
  conflictStrategy: 'LATEST_WINS',
  addResource: true,
  resource: EMPTY_RESOURCE,
};

export const STEPS = ['Type', 'Basics', 'Credentials', 'Sync settings', 'Review and test'] as const;

/** Field keys: name, baseUrl, settings.accountId, credentials.accessToken, resource.localTable, … */
export type WizardErrors = Record<string, string>;

export function authOptionOf(draft: WizardDraft): AuthOption | undefined {
  const info = draft.type ? typeInfo(draft.type) : undefined;
  return info?.auth.find((option) => option.authType === draft.authType) ?? info?.auth[0];
}

/**
 * A new type starts its auth, settings, credentials and resource options afresh (a token for one
 * tool is not for another).
 */
export function withType(draft: WizardDraft, type: IntegrationTypeName): WizardDraft {
  if (draft.type === type) return draft;
  const info = typeInfo(type);
  return {
    ...draft,
    type,
    authType: info?.auth[0]?.authType ?? 'NONE',
    settings: {},
    credentials: {},
    // Resource options belong to the type too (a Trello list ID means nothing to Salesforce).
    resource: { ...draft.resource, options: {} },
    name: draft.name || (info ? `${info.label} sync` : ''),
  };
}

function parseJsonObject(text: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return url.protocol === 'https:' || url.protocol === 'http:';
  } catch {
    return false;
  }
}

export function checkStep(step: number, draft: WizardDraft): WizardErrors {
  const errors: WizardErrors = {};
  const info = draft.type ? typeInfo(draft.type) : undefined;
  if (step === 0 && !info) errors.type = 'Choose the tool to connect.';
  if (step === 1) {
    if (!draft.name.trim()) errors.name = 'Give the integration a name.';
    else if (draft.name.trim().length > 200) errors.name = 'Use at most 200 characters.';
    const baseUrl = draft.baseUrl.trim();
    if (baseUrl && !isHttpUrl(baseUrl)) errors.baseUrl = 'Enter a full address starting with https://.';
    if (!baseUrl && info?.baseUrlRequired) errors.baseUrl = 'This type needs the API’s base URL.';
    for (const setting of info?.settings ?? []) {
      if (setting.required && !draft.settings[setting.key]?.trim())
        errors[`settings.${setting.key}`] = `Enter the ${lowerFirst(setting.label)}.`;
    }
  }
  if (step === 2) {
    for (const field of authOptionOf(draft)?.fields ?? []) {
      const value = draft.credentials[field.key]?.trim() ?? '';
      if (!value) errors[`credentials.${field.key}`] = `Enter the ${lowerFirst(field.label)}.`;
      else if (field.json && !parseJsonObject(value))
        errors[`credentials.${field.key}`] = 'Paste the whole JSON key file (it starts with {).';
    }
  }
  if (step === 3 && draft.addResource) {
    for (const [field, message] of Object.entries(checkResource(draft.resource, info)))
      if (message) errors[`resource.${field}`] = message;
  }
  return errors;
}

/** The credentials JSON the connector registry reads, or null for no authentication. */
export function credentialsOf(draft: WizardDraft): Record<string, unknown> | null {
  const fields = authOptionOf(draft)?.fields ?? [];
  if (fields.length === 0) return null;
  return Object.fromEntries(
    fields.map((field) => {
      const value = draft.credentials[field.key]?.trim() ?? '';
      return [field.key, field.json ? (parseJsonObject(value) ?? value) : value];
    }),
  );
}

export function settingsOf(draft: WizardDraft): Record<string, string> {
  return Object.fromEntries(
    Object.entries(draft.settings)
      .map(([key, value]) => [key, value.trim()] as const)
      .filter(([, value]) => value !== ''),
  );
}

/** What integrations.testConnection takes for an unsaved integration. */
export function connectionDraftOf(draft: WizardDraft) {
  if (!draft.type) throw new Error('no type chosen');
  return {
    type: draft.type,
    baseUrl: draft.baseUrl.trim() || null,
    authType: draft.authType ?? undefined,
    credentials: credentialsOf(draft),
    settings: settingsOf(draft),
  };
}

/** The step each server field error belongs to (integrations.create's input fields). */
export function stepOfServerField(field: string): number {
  if (field === 'type') return 0;
  if (field === 'credentials') return 2;
  if (field === 'direction' || field === 'frequency' || field === 'conflictStrategy') return 3;
  return 1;
}

/** The step a wizard error key belongs to. */
export function stepOfError(key: string): number {
  if (key.startsWith('credentials')) return 2;
  if (key.startsWith('resource.')) return 3;
  return stepOfServerField(key.split('.')[0] ?? key);
}
