import { Button } from '../../Button.tsx';
import { CONFLICT_STRATEGIES, DIRECTIONS, FREQUENCIES, labelOf, typeInfo } from '../catalog.ts';
import { ConnectionResult, type ConnectionTest } from '../ConnectionResult.tsx';
import { authOptionOf, settingsOf, type WizardDraft } from './draft.ts';

/** Everything chosen, each part with a way back to change it, and the live connection test. */
export function ReviewStep({
  draft,
  goTo,
  test,
  testPending,
  onTest,
}: {
  draft: WizardDraft;
  goTo: (step: number) => void;
  test: ConnectionTest | null;
  testPending: boolean;
  onTest: () => void;
}) {
  const info = draft.type ? typeInfo(draft.type) : undefined;
  const auth = authOptionOf(draft);
  const settings = Object.entries(settingsOf(draft));
  const change = (step: number, what: string) => (
    <Button variant="link" onClick={() => goTo(step)}>
      Change<span className="visually-hidden"> {what}</span>
    </Button>
  );
  return (
    <>
      <dl className="review">
        <div className="review__item">
          <dt>Tool</dt>
          <dd>{info?.label}</dd>
          <dd className="review__change">{change(0, 'the tool')}</dd>
        </div>
        <div className="review__item">
          <dt>Name</dt>
          <dd>{draft.name.trim()}</dd>
          <dd className="review__change">{change(1, 'the name')}</dd>
        </div>
        <div className="review__item">
          <dt>Base URL</dt>
          <dd>{draft.baseUrl.trim() || `${info?.defaultBaseUrl ?? '—'} (default)`}</dd>
          <dd className="review__change">{change(1, 'the base URL')}</dd>
        </div>
        {settings.map(([key, value]) => {
          const setting = info?.settings.find((candidate) => candidate.key === key);
          return (
            <div className="review__item" key={key}>
              <dt>{setting?.label ?? key}</dt>
              <dd>{setting?.options?.find((option) => option.value === value)?.label ?? value}</dd>
              <dd className="review__change">{change(1, key)}</dd>
            </div>
          );
        })}
        <div className="review__item">
          <dt>Credentials</dt>
          <dd>{auth?.fields.length ? `${auth.label}: entered (hidden)` : 'None'}</dd>
          <dd className="review__change">{change(2, 'the credentials')}</dd>
        </div>
        <div className="review__item">
          <dt>Sync</dt>
          <dd>
            {labelOf(DIRECTIONS, draft.direction)} · {labelOf(FREQUENCIES, draft.frequency)} ·{' '}
            {labelOf(CONFLICT_STRATEGIES, draft.conflictStrategy)}
          </dd>
          <dd className="review__change">{change(3, 'the sync settings')}</dd>
        </div>
        <div className="review__item">
          <dt>Resource</dt>
          <dd>
            {draft.addResource
              ? `${draft.resource.localTable.trim()} ↔ ${info?.externalObject.label ?? 'object'} ${draft.resource.externalObject.trim()}`
              : 'None yet (add from the Mappings tab)'}
            {draft.addResource
              ? (info?.resourceOptions ?? [])
                  .filter((option) => draft.resource.options[option.key]?.trim())
                  .map((option) => ` · ${option.label}: ${draft.resource.options[option.key]?.trim()}`)
                  .join('')
              : null}
          </dd>
          <dd className="review__change">{change(3, 'the resource')}</dd>
        </div>
      </dl>
      <section className="panel" aria-labelledby="wizard-test-title">
        <h3 id="wizard-test-title">Connection test</h3>
        <p className="muted">
          Syncbridge signs in to {info?.label ?? 'the tool'} with these credentials; nothing is saved yet.
        </p>
        <ConnectionResult result={test} pending={testPending} />
        <div className="form__actions">
          <Button variant="secondary" onClick={onTest} busy={testPending}>
            {test ? 'Test again' : 'Test connection'}
          </Button>
          {test && !test.ok ? (
            <Button variant="link" onClick={() => goTo(test.status === 'unreachable' ? 1 : 2)}>
              {test.status === 'unreachable' ? 'Check the base URL' : 'Fix the credentials'}
            </Button>
          ) : null}
        </div>
      </section>
    </>
  );
}
