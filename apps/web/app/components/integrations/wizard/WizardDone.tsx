import { useEffect, useRef, useState } from 'react';
import { Link } from '@remix-run/react';
import { typeInfo, webhookUrl } from '../catalog.ts';
import { OneTimeSecret } from '../OneTimeSecret.tsx';
import { AddResourceForm, type CreatedResource, type ResourceDraft, type ResourceErrors } from '../ResourceForm.tsx';
import type { RouterOutputs } from '../../../trpc.ts';

export interface WizardOutcome {
  created: RouterOutputs['integrations']['create'];
  resource: CreatedResource | null;
  /** The resource asked for in step 4 could not be added: its draft and the server's messages. */
  resourceFailure: { draft: ResourceDraft; fields: ResourceErrors; form: string | null } | null;
}

/**
 * The end of the wizard: the webhook URL and secret (shown this once), the resource outcome (with
 * the form to fix it when the server refused it) and where to go next.
 */
export function WizardDone({ origin, outcome }: { origin: string; outcome: WizardOutcome }) {
  const { integration, webhookSecret, connection } = outcome.created;
  const heading = useRef<HTMLHeadingElement>(null);
  const [resource, setResource] = useState(outcome.resource);
  useEffect(() => heading.current?.focus(), []);
  const base = `/integrations/${integration.id}`;
  return (
    <section className="wizard-done" aria-labelledby="wizard-done-title">
      <h2 id="wizard-done-title" ref={heading} tabIndex={-1}>
        {integration.name} is connected
      </h2>
      <p role="status">
        Integration created{connection?.ok ? `; the connection test passed in ${connection.latencyMs} ms` : ''}.
      </p>
      <OneTimeSecret
        title="Webhook settings for the tool"
        url={webhookUrl(origin, integration.id)}
        secret={webhookSecret}
      />
      {resource ? (
        <p>
          Resource <strong>{resource.name}</strong> added: {resource.localTable} ↔ {resource.externalObject}.{' '}
          <Link to={`${base}/mappings/${resource.id}`}>Map its fields</Link>
        </p>
      ) : outcome.resourceFailure ? (
        <section className="panel" aria-labelledby="wizard-resource-retry">
          <h3 id="wizard-resource-retry">The resource was not added</h3>
          <p>The integration is saved, but the server refused the resource. Fix it here or later in Mappings.</p>
          <AddResourceForm
            integrationId={integration.id}
            info={typeInfo(integration.type)}
            direction={integration.direction}
            initial={outcome.resourceFailure.draft}
            initialErrors={outcome.resourceFailure.fields}
            initialFormError={outcome.resourceFailure.form}
            onCreated={setResource}
          />
        </section>
      ) : null}
      <p className="wizard-done__next">
        <Link className="button button--primary" to={base}>
          I have saved the secret: open {integration.name}
        </Link>
      </p>
    </section>
  );
}
