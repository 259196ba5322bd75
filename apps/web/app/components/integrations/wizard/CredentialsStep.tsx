import { SecretInput } from '../SecretInput.tsx';
import { authOptionOf, type WizardDraft, type WizardErrors } from './draft.ts';

export function CredentialsStep({
  draft,
  onChange,
  errors,
}: {
  draft: WizardDraft;
  onChange: (next: WizardDraft) => void;
  errors: WizardErrors;
}) {
  const option = authOptionOf(draft);
  if (!option || option.fields.length === 0) {
    return <p>This connection needs no credentials. Go on to the sync settings.</p>;
  }
  return (
    <>
      <p className="muted">
        Credentials are encrypted before they are stored and are never shown again, not even to admins.
      </p>
      {option.fields.map((field) => (
        <SecretInput
          key={field.key}
          id={`wizard-credential-${field.key}`}
          label={field.label}
          hint={field.hint}
          multiline={field.json}
          value={draft.credentials[field.key] ?? ''}
          onChange={(value) => onChange({ ...draft, credentials: { ...draft.credentials, [field.key]: value } })}
          error={errors[`credentials.${field.key}`]}
        />
      ))}
    </>
  );
}
