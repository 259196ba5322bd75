import { useEffect, useRef, useState, type FormEvent } from 'react';
import { Button } from '../Button.tsx';
import { trpc } from '../../trpc.ts';
import { ConflictDiff, type PickState } from './ConflictDiff.tsx';
import {
  choiceFromPicks,
  customTextOf,
  defaultPick,
  type ConflictChoiceInput,
  type ConflictDetail,
  type FieldPick,
} from './values.ts';

function initialPicks(conflict: ConflictDetail): Record<string, FieldPick | undefined> {
  const picks: Record<string, FieldPick | undefined> = {};
  for (const field of conflict.fields) picks[field.field] = defaultPick(field) ?? undefined;
  return picks;
}

/**
 * The diff with a choice per differing field, and the ways to resolve: per-field choices (custom
 * values included), or one whole side. The result is written locally at once; "push now" also
 * queues it for the external system.
 */
export function ResolveForm({
  conflict,
  onResolved,
}: {
  conflict: ConflictDetail;
  onResolved: (outcome: { pushed: boolean }) => void;
}) {
  const utils = trpc.useUtils();
  const [picks, setPicks] = useState(() => initialPicks(conflict));
  const [customTexts, setCustomTexts] = useState<Record<string, string | undefined>>({});
  const [errors, setErrors] = useState<Record<string, string | undefined>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [push, setPush] = useState(true);
  const form = useRef<HTMLFormElement>(null);
  // Bumped on a refused submit: once the errors are rendered, focus goes to the first field to fix.
  const [focusRequest, setFocusRequest] = useState(0);
  useEffect(() => {
    if (focusRequest) form.current?.querySelector<HTMLElement>('fieldset[aria-invalid="true"] input')?.focus();
  }, [focusRequest]);
  const resolve = trpc.conflicts.resolve.useMutation({
    onSuccess: async (outcome) => {
      onResolved({ pushed: outcome.pushed });
      await Promise.all([utils.conflicts.get.invalidate({ id: conflict.id }), utils.conflicts.list.invalidate()]);
    },
    onError: (error) => setFormError(error.message),
  });

  const pickState: PickState = {
    picks,
    customTexts,
    errors,
    setPick: (field, pick) => {
      setPicks((current) => ({ ...current, [field]: pick }));
      if (pick === 'custom' && customTexts[field] === undefined) {
        const original = conflict.fields.find((item) => item.field === field);
        setCustomTexts((current) => ({ ...current, [field]: customTextOf(original?.local) }));
      }
      setErrors((current) => ({ ...current, [field]: undefined }));
    },
    setCustomText: (field, text) => {
      setCustomTexts((current) => ({ ...current, [field]: text }));
      setErrors((current) => ({ ...current, [field]: undefined }));
    },
  };

  const send = (choice: ConflictChoiceInput) => {
    setFormError(null);
    resolve.mutate({ conflictId: conflict.id, choice, push });
  };

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const result = choiceFromPicks(conflict.fields, picks, customTexts);
    if (result.ok) {
      setErrors({});
      send(result.choice);
      return;
    }
    const next: Record<string, string> = { ...result.invalid };
    for (const field of result.missing) next[field] = 'Choose which value to keep.';
    setErrors(next);
    setFormError(
      `Choose a value for every field that differs (${[...result.missing, ...Object.keys(result.invalid)].join(', ')}).`,
    );
    // Keyboard and screen-reader users land on the first field to fix.
    setFocusRequest((count) => count + 1);
  };

  return (
    <form ref={form} className="resolve" onSubmit={submit} noValidate aria-labelledby="resolve-title">
      <h2 id="resolve-title">Decide field by field</h2>
      <ConflictDiff fields={conflict.fields} externalName={conflict.integrationName} pickState={pickState} />
      <label className="filters__check">
        <input type="checkbox" checked={push} onChange={(event) => setPush(event.target.checked)} />
        Push the result to {conflict.integrationName} now
      </label>
      <p className="field-hint">
        The result is written to this app’s database right away. Unticked, {conflict.integrationName} keeps its values
        until the record changes again.
      </p>
      {formError ? (
        <p className="form-error" role="alert">
          {formError}
        </p>
      ) : null}
      <div className="form__actions resolve__actions">
        <Button type="submit" requires="STAFF" busy={resolve.isPending}>
          Resolve with these choices
        </Button>
        <Button variant="secondary" requires="STAFF" busy={resolve.isPending} onClick={() => send({ choice: 'local' })}>
          Keep local version
        </Button>
        <Button
          variant="secondary"
          requires="STAFF"
          busy={resolve.isPending}
          onClick={() => send({ choice: 'external' })}
        >
          Keep external version
        </Button>
      </div>
    </form>
  );
}
