import { useId, useState } from 'react';

/** A read-only value with a copy button that says whether copying worked. */
export function CopyField({ label, value, secret }: { label: string; value: string; secret?: boolean }) {
  const id = useId();
  const [copied, setCopied] = useState<'yes' | 'no' | null>(null);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(value);
      setCopied('yes');
    } catch {
      // No clipboard permission (plain http, an old browser): the text is selected for Ctrl+C instead.
      (document.getElementById(id) as HTMLInputElement | null)?.select();
      setCopied('no');
    }
  };
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <div className="copy-field">
        <input
          id={id}
          readOnly
          value={value}
          className={secret ? 'copy-field__value copy-field__value--secret' : 'copy-field__value'}
          onFocus={(event) => event.currentTarget.select()}
        />
        <button type="button" className="button button--secondary" onClick={() => void copy()}>
          Copy<span className="visually-hidden"> {label}</span>
        </button>
      </div>
      <p role="status" className="field-hint">
        {copied === 'yes' ? `${label} copied.` : copied === 'no' ? 'Selected: press Ctrl+C (⌘C) to copy.' : ''}
      </p>
    </div>
  );
}

/**
 * A webhook signing secret the server returns once (create, rotate): the URL and secret with copy
 * buttons and a warning that it cannot be shown again.
 */
export function OneTimeSecret({ url, secret, title }: { url: string; secret: string; title: string }) {
  const headingId = useId();
  return (
    <section className="one-time-secret" aria-labelledby={headingId}>
      <h3 id={headingId}>{title}</h3>
      <p className="one-time-secret__warning" role="note">
        <strong>Copy the secret now: it is shown only this once.</strong> Syncbridge stores it encrypted and cannot show
        it again. If you lose it, rotate it from the integration’s settings.
      </p>
      <CopyField label="Webhook URL" value={url} />
      <CopyField label="Webhook signing secret" value={secret} secret />
      <p className="field-hint">
        Enter both in the tool’s webhook settings. Deliveries not signed with this secret are refused.
      </p>
    </section>
  );
}
