import { typeInfo } from '../catalog.ts';
import { SelectField, TextField } from '../FormField.tsx';
import type { WizardDraft, WizardErrors } from './draft.ts';

export function BasicsStep({
  draft,
  onChange,
  errors,
}: {
  draft: WizardDraft;
  onChange: (next: WizardDraft) => void;
  errors: WizardErrors;
}) {
  const info = draft.type ? typeInfo(draft.type) : undefined;
  return (
    <>
      <TextField
        id="wizard-name"
        name="name"
        label="Name"
        hint="How the dashboard, logs and alerts call this integration."
        value={draft.name}
        maxLength={200}
        onChange={(event) => onChange({ ...draft, name: event.target.value })}
        error={errors.name}
      />
      <TextField
        id="wizard-base-url"
        name="baseUrl"
        type="url"
        inputMode="url"
        label="Base URL"
        optional={!info?.baseUrlRequired}
        placeholder={info?.defaultBaseUrl ?? 'https://api.example.com/v1'}
        hint={
          info?.baseUrlHint ??
          (info?.defaultBaseUrl
            ? `Leave empty for ${info.label}’s own API (${info.defaultBaseUrl}); set it for a proxy or sandbox.`
            : 'The address every API path starts with.')
        }
        value={draft.baseUrl}
        onChange={(event) => onChange({ ...draft, baseUrl: event.target.value })}
        error={errors.baseUrl}
      />
      {info && info.auth.length > 1 ? (
        <SelectField
          id="wizard-auth-type"
          name="authType"
          label="Authentication"
          value={draft.authType ?? info.auth[0]?.authType}
          options={info.auth.map((option) => ({ value: option.authType, label: option.label }))}
          onChange={(event) =>
            onChange({ ...draft, authType: event.target.value as WizardDraft['authType'], credentials: {} })
          }
          error={errors.authType}
        />
      ) : (
        <div className="field">
          <span className="field__label">Authentication</span>
          <p className="field__static">{info?.auth[0]?.label ?? 'None'}</p>
        </div>
      )}
      {info?.settings.map((setting) => {
        const common = {
          id: `wizard-setting-${setting.key}`,
          name: `settings.${setting.key}`,
          label: setting.label,
          hint: setting.hint,
          optional: !setting.required,
          value: draft.settings[setting.key] ?? '',
          onChange: (event: { target: { value: string } }) =>
            onChange({ ...draft, settings: { ...draft.settings, [setting.key]: event.target.value } }),
          error: errors[`settings.${setting.key}`],
        };
        return setting.options ? (
          <SelectField key={setting.key} {...common} optional={false} options={setting.options} />
        ) : (
          <TextField key={setting.key} {...common} />
        );
      })}
    </>
  );
}
