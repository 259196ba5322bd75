import { useState, type FormEvent } from 'react';
import type { LoaderFunctionArgs } from '@remix-run/node';
import { useLoaderData, useNavigate } from '@remix-run/react';
import { Button } from '../components/Button.tsx';
import { apiErrorOf } from '../components/integrations/api-errors.ts';
import {
  CONFLICT_STRATEGIES,
  FREQUENCIES,
  lowerFirst,
  typeInfo,
  webhookUrl,
  type AuthOption,
} from '../components/integrations/catalog.ts';
import { SelectField, TextField } from '../components/integrations/FormField.tsx';
import { OneTimeSecret } from '../components/integrations/OneTimeSecret.tsx';
import type { DeletedState } from '../components/integrations/deleted.ts';
import { useIntegration, type IntegrationSummary } from '../components/integrations/outlet.ts';
import { SecretInput } from '../components/integrations/SecretInput.tsx';
import { requireRole } from '../auth.server.ts';
import { trpc } from '../trpc.ts';

// Admins only (the tab is not offered to others; the address alone gets the 403 page).
export async function loader({ context, request }: LoaderFunctionArgs) {
  await requireRole(context, 'ADMIN');
  return { origin: new URL(request.url).origin };
}

export default function IntegrationSettingsTab() {
  const { origin } = useLoaderData<typeof loader>();
  const integration = useIntegration();
  return (
    <div className="settings">
      <PauseResume integration={integration} />
      <EditSettings integration={integration} />
      <RotateSecret integration={integration} origin={origin} />
      <DeleteIntegration integration={integration} />
    </div>
  );
}

/** Keeps the layout's summary (header badge, overview) in step with what a mutation returned. */
function useSetSummary() {
  const utils = trpc.useUtils();
  return (summary: IntegrationSummary) => {
    utils.integrations.get.setData({ id: summary.id }, summary);
    void utils.integrations.list.invalidate();
  };
}

function PauseResume({ integration }: { integration: IntegrationSummary }) {
  const setSummary = useSetSummary();
  const [message, setMessage] = useState<string | null>(null);
  const update = trpc.integrations.update.useMutation({
    onSuccess: (summary) => {
      setSummary(summary);
      setMessage(summary.status === 'PAUSED' ? 'Paused: no syncs run until you resume.' : 'Resumed.');
    },
    onError: (error) => setMessage(error.message),
  });
  const paused = integration.status === 'PAUSED';
  return (
    <section className="panel" aria-labelledby="pause-title">
      <h2 id="pause-title">{paused ? 'Syncing is paused' : 'Pause syncing'}</h2>
      <p className="muted">
        {paused
          ? 'Nothing is pushed or pulled, and webhooks are refused. Changes made meanwhile are synced on resume.'
          : 'Stops scheduled runs, change pushes and webhooks until you resume. Nothing is lost.'}
      </p>
      <div className="form__actions">
        <Button
          variant={paused ? 'primary' : 'secondary'}
          busy={update.isPending}
          onClick={() => update.mutate({ id: integration.id, status: paused ? 'ACTIVE' : 'PAUSED' })}
        >
          {paused ? 'Resume syncing' : 'Pause syncing'}
        </Button>
        <span role="status" className={update.isError ? 'action-result action-result--bad' : 'action-result'}>
          {message}
        </span>
      </div>
    </section>
  );
}

function authOptionFor(integration: IntegrationSummary): AuthOption | undefined {
  const info = typeInfo(integration.type);
  return info?.auth.find((option) => option.authType === integration.authType) ?? info?.auth[0];
}

/** integrations.update's limit (create allows longer names, which stay until edited). */
const NAME_MAX = 120;

function EditSettings({ integration }: { integration: IntegrationSummary }) {
  const setSummary = useSetSummary();
  const auth = authOptionFor(integration);
  const [name, setName] = useState(integration.name);
  const [frequency, setFrequency] = useState(integration.frequency);
  const [strategy, setStrategy] = useState(integration.conflictStrategy);
  // Write-only: never prefilled, sent only when typed in (then all of them).
  const [credentials, setCredentials] = useState<Record<string, string>>({});
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [saved, setSaved] = useState<string | null>(null);
  const update = trpc.integrations.update.useMutation({
    onSuccess: (summary, input) => {
      setSummary(summary);
      setName(summary.name);
      setCredentials({});
      setErrors({});
      setSaved(input.credentials ? 'Saved, with the new credentials.' : 'Saved.');
    },
    onError: (error, input) => {
      const parsed = apiErrorOf(error);
      const found: Record<string, string> = {};
      for (const [field, messages] of Object.entries(parsed?.fields ?? {})) found[field] = messages[0] ?? '';
      // A name another integration has: said next to the name.
      if (parsed?.appErrorCode === 'CONFLICT' && input.name !== undefined) found.name = error.message;
      if (!Object.keys(found).length) found.form = error.message;
      setErrors(found);
      setSaved(null);
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setSaved(null);
    const typed = Object.values(credentials).some((value) => value.trim() !== '');
    const found: Record<string, string> = {};
    const trimmedName = name.trim();
    if (!trimmedName) found.name = 'Give the integration a name.';
    else if (trimmedName.length > NAME_MAX) found.name = `Use at most ${NAME_MAX} characters.`;
    let parsedCredentials: Record<string, unknown> | undefined;
    if (typed && auth) {
      parsedCredentials = {};
      for (const field of auth.fields) {
        const value = credentials[field.key]?.trim() ?? '';
        if (!value) found[`credentials.${field.key}`] = `Enter the ${lowerFirst(field.label)} too.`;
        else if (field.json) {
          try {
            parsedCredentials[field.key] = JSON.parse(value);
          } catch {
            found[`credentials.${field.key}`] = 'Paste the whole JSON key file.';
          }
        } else parsedCredentials[field.key] = value;
      }
    }
    setErrors(found);
    if (Object.keys(found).length) return;
    update.mutate({
      id: integration.id,
      // Only a change is sent (an older, longer name stays valid until it is edited).
      ...(trimmedName !== integration.name ? { name: trimmedName } : {}),
      frequency,
      conflictStrategy: strategy,
      credentials: parsedCredentials,
    });
  };
  return (
    <section className="panel" aria-labelledby="edit-title">
      <h2 id="edit-title">Name, sync settings and credentials</h2>
      <form className="form" onSubmit={submit} noValidate>
        {errors.form ? (
          <p role="alert" className="form-error">
            {errors.form}
          </p>
        ) : null}
        <TextField
          id="settings-name"
          name="name"
          label="Name"
          value={name}
          maxLength={NAME_MAX}
          onChange={(event) => setName(event.target.value)}
          hint="How the dashboard, logs and alerts call this integration."
          error={errors.name}
        />
        <div className="field-grid">
          <SelectField
            id="settings-frequency"
            label="How often"
            value={frequency}
            options={FREQUENCIES}
            onChange={(event) => setFrequency(event.target.value as typeof frequency)}
            error={errors.frequency}
          />
          <SelectField
            id="settings-conflict-strategy"
            label="When both sides changed a record"
            value={strategy}
            options={CONFLICT_STRATEGIES}
            onChange={(event) => setStrategy(event.target.value as typeof strategy)}
            error={errors.conflictStrategy}
          />
        </div>
        {auth && auth.fields.length ? (
          <fieldset className="choice-group">
            <legend>Replace the credentials</legend>
            <p className="field-hint">
              The stored {lowerFirst(auth.label)} is never shown. Leave these empty to keep it.
            </p>
            {errors.credentials ? <p className="field-error">{errors.credentials}</p> : null}
            {auth.fields.map((field) => (
              <SecretInput
                key={field.key}
                id={`settings-credential-${field.key}`}
                label={`New ${lowerFirst(field.label)}`}
                multiline={field.json}
                value={credentials[field.key] ?? ''}
                onChange={(value) => setCredentials({ ...credentials, [field.key]: value })}
                error={errors[`credentials.${field.key}`]}
              />
            ))}
          </fieldset>
        ) : null}
        <div className="form__actions">
          <Button type="submit" busy={update.isPending}>
            Save settings
          </Button>
          <span role="status" className="action-result">
            {saved}
          </span>
        </div>
      </form>
    </section>
  );
}

function RotateSecret({ integration, origin }: { integration: IntegrationSummary; origin: string }) {
  const [confirming, setConfirming] = useState(false);
  const rotate = trpc.integrations.rotateWebhookSecret.useMutation({ onSettled: () => setConfirming(false) });
  return (
    <section className="panel" aria-labelledby="rotate-title">
      <h2 id="rotate-title">Webhook signing secret</h2>
      <p className="muted">
        Webhook URL: <code>{webhookUrl(origin, integration.id)}</code>. The secret was shown once, when the integration
        was added. Rotate it if it leaked or was lost.
      </p>
      {rotate.data ? (
        <OneTimeSecret
          title="New webhook signing secret"
          url={webhookUrl(origin, integration.id)}
          secret={rotate.data.webhookSecret}
        />
      ) : null}
      {rotate.isError ? (
        <p role="alert" className="form-error">
          {rotate.error.message}
        </p>
      ) : null}
      {confirming ? (
        <div className="confirm" role="group" aria-labelledby="rotate-confirm-text">
          <p id="rotate-confirm-text">
            The current secret stops working at once: deliveries fail until the tool has the new one. Rotate now?
          </p>
          <div className="form__actions">
            <Button variant="danger" busy={rotate.isPending} onClick={() => rotate.mutate({ id: integration.id })}>
              Rotate now
            </Button>
            <Button variant="secondary" onClick={() => setConfirming(false)}>
              Cancel
            </Button>
          </div>
        </div>
      ) : (
        <Button variant="secondary" onClick={() => setConfirming(true)}>
          Rotate webhook secret
        </Button>
      )}
    </section>
  );
}

function DeleteIntegration({ integration }: { integration: IntegrationSummary }) {
  const navigate = useNavigate();
  const utils = trpc.useUtils();
  const [typed, setTyped] = useState('');
  const remove = trpc.integrations.delete.useMutation({
    onSuccess: async ({ removed }) => {
      await utils.integrations.list.invalidate();
      const state: DeletedState = { deleted: { name: integration.name, removed } };
      navigate('/integrations', { state, replace: true });
    },
  });
  const matches = typed === integration.name;
  return (
    <section className="panel panel--danger" aria-labelledby="delete-title">
      <h2 id="delete-title">Delete this integration</h2>
      <p>
        Deletes its resources, record mappings, sync logs and conflicts. Nothing is deleted in Postgres or in the tool.
        This cannot be undone.
      </p>
      <form
        className="form"
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          if (matches) remove.mutate({ id: integration.id });
        }}
      >
        {remove.isError ? (
          <p role="alert" className="form-error">
            {remove.error.message}
          </p>
        ) : null}
        <TextField
          id="delete-confirm"
          label={
            <>
              Type <strong>{integration.name}</strong> to confirm
            </>
          }
          value={typed}
          onChange={(event) => setTyped(event.target.value)}
          autoComplete="off"
        />
        <div className="form__actions">
          <Button type="submit" variant="danger" disabled={!matches} busy={remove.isPending}>
            Delete integration
          </Button>
        </div>
      </form>
    </section>
  );
}
