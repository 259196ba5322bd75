import { useState } from 'react';
import { describedBy, FieldMessages } from './FormField.tsx';

/**
 * A credential input: masked until the person asks to see it (a toggle button with aria-pressed),
 * never autofilled by the browser. `multiline` is for pasted JSON keys (masked with CSS).
 */
export function SecretInput({
  id,
  label,
  value,
  onChange,
  hint,
  error,
  multiline,
  placeholder,
}: {
  id: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
  hint?: string;
  error?: string | null;
  multiline?: boolean;
  placeholder?: string;
}) {
  const [shown, setShown] = useState(false);
  const common = {
    id,
    name: id,
    value,
    placeholder,
    spellCheck: false,
    autoCapitalize: 'off',
    autoCorrect: 'off',
    'aria-invalid': error ? true : undefined,
    'aria-describedby': describedBy(id, hint, error),
  } as const;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <div className="secret-input">
        {multiline ? (
          <textarea
            {...common}
            rows={6}
            className={shown ? 'secret-input__text' : 'secret-input__text secret-input__text--masked'}
            onChange={(event) => onChange(event.target.value)}
          />
        ) : (
          <input
            {...common}
            type={shown ? 'text' : 'password'}
            autoComplete="new-password"
            className="secret-input__text"
            onChange={(event) => onChange(event.target.value)}
          />
        )}
        <button
          type="button"
          className="button button--secondary"
          aria-pressed={shown}
          aria-controls={id}
          onClick={() => setShown((current) => !current)}
        >
          {shown ? 'Hide' : 'Show'}
          <span className="visually-hidden"> {label}</span>
        </button>
      </div>
      <FieldMessages id={id} hint={hint} error={error} />
    </div>
  );
}
