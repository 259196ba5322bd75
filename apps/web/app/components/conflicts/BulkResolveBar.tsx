import { useRef, useState } from 'react';
import { Button } from '../Button.tsx';
import { trpc } from '../../trpc.ts';

const MAX_BULK = 200;

/**
 * Resolves the selected conflicts at once (conflicts.bulkResolve): keep the whole local or the whole
 * external version of each. Says how many were resolved and why any were not.
 */
export function BulkResolveBar({
  selected,
  labelOf,
  onDone,
}: {
  selected: string[];
  /** The record a conflict id stands for, to name the ones that failed. */
  labelOf: (id: string) => string;
  onDone: (resolved: string[]) => void;
}) {
  const utils = trpc.useUtils();
  const [push, setPush] = useState(true);
  // Names taken when the request is sent: a conflict resolved elsewhere leaves the list meanwhile.
  const names = useRef(new Map<string, string>());
  const [result, setResult] = useState<{ resolved: number; failed: { id: string; message: string }[] } | null>(null);
  const bulk = trpc.conflicts.bulkResolve.useMutation({
    onSuccess: async (outcome) => {
      setResult({ resolved: outcome.resolved.length, failed: outcome.failed });
      onDone(outcome.resolved);
      await utils.conflicts.list.invalidate();
    },
  });
  const count = selected.length;
  const tooMany = count > MAX_BULK;
  const run = (choice: 'local' | 'external') => {
    setResult(null);
    names.current = new Map(selected.map((id) => [id, labelOf(id)]));
    bulk.mutate({ ids: selected, choice, push });
  };
  return (
    <section className="bulk-bar" aria-labelledby="bulk-title">
      <h2 id="bulk-title" className="visually-hidden">
        Resolve several at once
      </h2>
      <p className="bulk-bar__count" aria-live="polite">
        {count === 0 ? 'Select conflicts to resolve them together.' : `${count} selected`}
      </p>
      <label className="filters__check">
        <input type="checkbox" checked={push} onChange={(event) => setPush(event.target.checked)} />
        Push the results to the external systems now
      </label>
      <div className="row-actions">
        <Button
          requires="STAFF"
          variant="secondary"
          disabled={count === 0 || tooMany}
          busy={bulk.isPending}
          onClick={() => run('local')}
        >
          Keep local for selected
        </Button>
        <Button
          requires="STAFF"
          variant="secondary"
          disabled={count === 0 || tooMany}
          busy={bulk.isPending}
          onClick={() => run('external')}
        >
          Keep external for selected
        </Button>
      </div>
      {tooMany ? (
        <p className="field-error" role="alert">
          Select at most {MAX_BULK} at a time.
        </p>
      ) : null}
      <div role="status" className="bulk-bar__result">
        {result ? `Resolved ${result.resolved} ${result.resolved === 1 ? 'conflict' : 'conflicts'}.` : null}
      </div>
      {bulk.isError ? (
        <p className="field-error" role="alert">
          Nothing was resolved: {bulk.error.message}
        </p>
      ) : null}
      {result?.failed.length ? (
        <div role="alert" className="error-state">
          <p className="error-state__title">
            {result.failed.length} could not be resolved and {result.failed.length === 1 ? 'is' : 'are'} still selected:
          </p>
          <ul>
            {result.failed.map((failure) => (
              <li key={failure.id}>
                {names.current.get(failure.id) ?? failure.id}: {failure.message}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </section>
  );
}
