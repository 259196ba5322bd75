import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { Button } from '../components/Button.tsx';
import { apiErrorOf } from '../components/integrations/api-errors.ts';
import {
  authOptionOf,
  checkStep,
  connectionDraftOf,
  EMPTY_DRAFT,
  STEPS,
  stepOfError,
  withType,
  type WizardDraft,
  type WizardErrors,
} from '../components/integrations/wizard/draft.ts';
import type { ConnectionTest } from '../components/integrations/ConnectionResult.tsx';
import { resourceErrorsOf, resourceInput } from '../components/integrations/ResourceForm.tsx';
import { StepIndicator } from '../components/integrations/StepIndicator.tsx';
import { BasicsStep } from '../components/integrations/wizard/BasicsStep.tsx';
import { CredentialsStep } from '../components/integrations/wizard/CredentialsStep.tsx';
import { ReviewStep } from '../components/integrations/wizard/ReviewStep.tsx';
import { SyncStep } from '../components/integrations/wizard/SyncStep.tsx';
import { TypeStep } from '../components/integrations/wizard/TypeStep.tsx';
import { WizardDone, type WizardOutcome } from '../components/integrations/wizard/WizardDone.tsx';
import { requireRole } from '../auth.server.ts';
import { trpc } from '../trpc.ts';

export const meta: MetaFunction = () => [{ title: 'Add an integration · Syncbridge' }];

// Admins only; the origin builds the webhook URL shown at the end.
export async function loader({ context, request }: LoaderFunctionArgs) {
  await requireRole(context, 'ADMIN');
  return { origin: new URL(request.url).origin };
}

const REVIEW = STEPS.length - 1;

/** zod's wording is for developers; these say what to do. Unknown messages pass through. */
function serverFieldMessage(field: string, message: string): string {
  if (field === 'baseUrl') return 'Enter a full address starting with https://.';
  if (field === 'name') return 'Give the integration a name (at most 200 characters).';
  return message;
}

/** Where a server field error shows: credentials and settings errors go on the group's first field. */
function wizardKeyOf(field: string, draft: WizardDraft): string {
  if (field === 'credentials') return `credentials.${authOptionOf(draft)?.fields[0]?.key ?? ''}`;
  return field;
}

export default function NewIntegrationPage() {
  const { origin } = useLoaderData<typeof loader>();
  const [step, setStep] = useState(0);
  const [draft, setDraft] = useState<WizardDraft>(EMPTY_DRAFT);
  const [errors, setErrors] = useState<WizardErrors>({});
  const [formError, setFormError] = useState<string | null>(null);
  // The test result belongs to the exact draft it was run with: any change asks for a new test.
  const [test, setTest] = useState<{ key: string; result: ConnectionTest } | null>(null);
  const [outcome, setOutcome] = useState<WizardOutcome | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  const form = useRef<HTMLFormElement>(null);
  const firstRender = useRef(true);

  const testConnection = trpc.integrations.testConnection.useMutation();
  const create = trpc.integrations.create.useMutation();
  const createResource = trpc.resources.create.useMutation();
  const draftKey = draft.type ? JSON.stringify(connectionDraftOf(draft)) : '';
  const currentTest = test?.key === draftKey ? test.result : null;

  const runTest = () => {
    const key = draftKey;
    setFormError(null);
    testConnection.mutate(connectionDraftOf(draft), {
      onSuccess: (result) => setTest({ key, result }),
      onError: (error) => {
        setTest(null);
        setFormError(error.message);
      },
    });
  };

  // A new step takes keyboard and screen-reader focus to its heading; the review step tests at once.
  useEffect(() => {
    if (firstRender.current) {
      firstRender.current = false;
      return;
    }
    heading.current?.focus();
    if (step === REVIEW && test?.key !== draftKey && !testConnection.isPending) runTest();
    // Only a change of step does this (the draft cannot change while on the review step).
  }, [step]);

  const focusField = (key: string) => {
    // After the step re-renders with its errors.
    requestAnimationFrame(() => {
      const name = key.startsWith('resource.') ? key.slice('resource.'.length) : key;
      const target =
        form.current?.querySelector<HTMLElement>(`[name="${name}"]`) ??
        form.current?.querySelector<HTMLElement>(`[id$="${name.split('.').pop() ?? name}"]`) ??
        form.current?.querySelector<HTMLElement>('[aria-invalid="true"]');
      target?.focus();
    });
  };

  const next = (event: FormEvent) => {
    event.preventDefault();
    if (step === REVIEW) return;
    const found = checkStep(step, draft);
    setErrors(found);
    setFormError(null);
    const first = Object.keys(found)[0];
    if (first) return focusField(first);
    setStep(step + 1);
  };

  const goTo = (target: number) => {
    setErrors({});
    setFormError(null);
    setStep(target);
  };

  const submit = async () => {
    setFormError(null);
    const connection = connectionDraftOf(draft);
    let created: WizardOutcome['created'];
    try {
      created = await create.mutateAsync({
        name: draft.name.trim(),
        ...connection,
        direction: draft.direction,
        frequency: draft.frequency,
        conflictStrategy: draft.conflictStrategy,
        testConnection: true,
      });
    } catch (error) {
      const parsed = apiErrorOf(error as { message: string; data?: unknown });
      if (!parsed) return;
      if (parsed.appErrorCode?.startsWith('UPSTREAM_')) {
        // The server's own test failed (credentials revoked since, service down): test again to see why.
        setTest(null);
        setFormError(parsed.message);
        return;
      }
      const found: WizardErrors = {};
      for (const [field, messages] of Object.entries(parsed.fields)) {
        found[wizardKeyOf(field, draft)] = serverFieldMessage(field, messages[0] ?? '');
      }
      // The name is taken (the only CONFLICT create answers): shown next to the name field.
      if (parsed.appErrorCode === 'CONFLICT') found.name = parsed.message;
      const steps = Object.keys(found).map(stepOfError);
      if (steps.length) {
        setErrors(found);
        setStep(Math.min(...steps));
        focusField(Object.keys(found)[0] ?? '');
      } else {
        setFormError(parsed.message);
      }
      return;
    }
    let resource: WizardOutcome['resource'] = null;
    let resourceFailure: WizardOutcome['resourceFailure'] = null;
    if (draft.addResource) {
      try {
        resource = await createResource.mutateAsync(
          resourceInput(created.integration.id, draft.resource, draft.direction),
        );
      } catch (error) {
        resourceFailure = { draft: draft.resource, ...resourceErrorsOf(error as { message: string; data?: unknown }) };
      }
    }
    setOutcome({ created, resource, resourceFailure });
  };

  if (outcome) {
    return (
      <>
        <h1>Add an integration</h1>
        <WizardDone origin={origin} outcome={outcome} />
      </>
    );
  }

  const stepErrors = Object.keys(errors).filter((key) => stepOfError(key) === step);
  const canCreate = currentTest?.ok === true;
  return (
    <>
      <p className="breadcrumb">
        <Link to="/integrations">Integrations</Link> <span aria-hidden="true">›</span> Add
      </p>
      <h1>Add an integration</h1>
      <StepIndicator steps={[...STEPS]} current={step} />
      <form ref={form} className="form wizard" onSubmit={next} noValidate aria-labelledby="wizard-step-title">
        <h2 id="wizard-step-title" ref={heading} tabIndex={-1}>
          Step {step + 1} of {STEPS.length}: {STEPS[step]}
        </h2>
        {stepErrors.length > 1 ? (
          <p className="form-error" role="alert">
            {stepErrors.length} fields need attention.
          </p>
        ) : null}
        {formError ? (
          <p className="form-error" role="alert">
            {formError}
          </p>
        ) : null}
        {step === 0 ? (
          <TypeStep value={draft.type} onChange={(type) => setDraft(withType(draft, type))} errors={errors} />
        ) : step === 1 ? (
          <BasicsStep draft={draft} onChange={setDraft} errors={errors} />
        ) : step === 2 ? (
          <CredentialsStep draft={draft} onChange={setDraft} errors={errors} />
        ) : step === 3 ? (
          <SyncStep draft={draft} onChange={setDraft} errors={errors} />
        ) : (
          <ReviewStep
            draft={draft}
            goTo={goTo}
            test={currentTest}
            testPending={testConnection.isPending}
            onTest={runTest}
          />
        )}
        <div className="wizard__actions">
          {step > 0 ? (
            <Button variant="secondary" onClick={() => goTo(step - 1)}>
              Back
            </Button>
          ) : (
            <Link to="/integrations" className="button button--secondary">
              Cancel
            </Link>
          )}
          {step < REVIEW ? (
            <Button type="submit">Next</Button>
          ) : (
            <>
              <Button
                onClick={() => void submit()}
                busy={create.isPending || createResource.isPending}
                disabled={!canCreate}
                aria-describedby={canCreate ? undefined : 'wizard-create-note'}
              >
                Create integration
              </Button>
              {canCreate ? null : (
                <p id="wizard-create-note" className="field-hint">
                  {testConnection.isPending
                    ? 'Waiting for the connection test…'
                    : 'You can create the integration once the connection test passes.'}
                </p>
              )}
            </>
          )}
        </div>
      </form>
    </>
  );
}
