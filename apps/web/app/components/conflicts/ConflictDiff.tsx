import { displayValue, type ConflictField, type FieldPick } from './values.ts';

/** A value as text: long ones wrap, empty ones say so (and never collapse the cell). */
export function FieldValue({ value }: { value: unknown }) {
  const shown = displayValue(value);
  return <span className={shown.empty ? 'field-value field-value--empty' : 'field-value'}>{shown.text}</span>;
}

export interface PickState {
  picks: Record<string, FieldPick | undefined>;
  customTexts: Record<string, string | undefined>;
  /** Per field: "choose one" or a value that does not parse. */
  errors: Record<string, string | undefined>;
  setPick: (field: string, pick: FieldPick) => void;
  setCustomText: (field: string, text: string) => void;
}

/** Field names become ids: keep letters, digits, - and _ (the rest is replaced; the index keeps ids unique). */
function idFor(field: string, index: number): string {
  return `diff-${index}-${field.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 40)}`;
}

/**
 * The two versions side by side, one row per field. A field whose values differ is marked with
 * words ("Differs", "Changed on both sides") as well as a tint, so the highlight does not depend on
 * colour. With `pickState` (staff, pending), each differing field gets a local / external / custom
 * choice; with `result` (resolved), the values that were written are shown instead.
 */
export function ConflictDiff({
  fields,
  externalName,
  pickState,
  result,
}: {
  fields: ConflictField[];
  externalName: string;
  pickState?: PickState | null;
  result?: Record<string, unknown> | null;
}) {
  const withBase = fields.some((field) => 'base' in field);
  return (
    <div className="table-wrap">
      <table className="diff">
        <caption>
          {fields.filter((field) => field.differs).length} of {fields.length} fields differ. Local is this app’s
          database; external is {externalName}.
        </caption>
        <thead>
          <tr>
            <th scope="col">Field</th>
            <th scope="col">Local</th>
            <th scope="col">External</th>
            {withBase ? <th scope="col">At the last sync</th> : null}
            {pickState ? <th scope="col">Keep</th> : null}
            {result ? <th scope="col">Result</th> : null}
          </tr>
        </thead>
        <tbody>
          {fields.map((field, index) => {
            const id = idFor(field.field, index);
            const error = pickState?.errors[field.field];
            return (
              <tr
                key={field.field}
                className={field.differs ? 'diff__row diff__row--differs' : 'diff__row'}
                data-field={field.field}
                data-differs={field.differs}
              >
                <th scope="row">
                  <span className="diff__name">{field.field}</span>
                  {field.conflicted ? (
                    <span className="diff-marker diff-marker--conflict">
                      <span aria-hidden="true">≠ </span>Changed on both sides
                    </span>
                  ) : field.differs ? (
                    <span className="diff-marker">
                      <span aria-hidden="true">≠ </span>Differs
                    </span>
                  ) : null}
                </th>
                <td className="diff__local">
                  <FieldValue value={field.local} />
                </td>
                <td className="diff__external">
                  <FieldValue value={field.external} />
                </td>
                {withBase ? (
                  <td className="diff__base">
                    {'base' in field ? <FieldValue value={field.base} /> : <span className="muted">—</span>}
                  </td>
                ) : null}
                {pickState ? (
                  <td className="diff__pick">
                    {field.differs ? (
                      <fieldset
                        className="pick"
                        aria-describedby={error ? `${id}-error` : undefined}
                        aria-invalid={error ? true : undefined}
                      >
                        <legend className="visually-hidden">Keep for {field.field}</legend>
                        {(['local', 'external', 'custom'] as const).map((pick) => (
                          <label key={pick} className="pick__option">
                            <input
                              type="radio"
                              name={id}
                              value={pick}
                              checked={pickState.picks[field.field] === pick}
                              onChange={() => pickState.setPick(field.field, pick)}
                            />
                            {pick === 'local' ? 'Local' : pick === 'external' ? 'External' : 'Custom'}
                          </label>
                        ))}
                        {pickState.picks[field.field] === 'custom' ? (
                          <label className="pick__custom">
                            <span className="visually-hidden">Custom value for {field.field}</span>
                            <input
                              type="text"
                              autoComplete="off"
                              value={pickState.customTexts[field.field] ?? ''}
                              onChange={(event) => pickState.setCustomText(field.field, event.target.value)}
                              aria-invalid={error ? true : undefined}
                              aria-describedby={error ? `${id}-error` : undefined}
                            />
                          </label>
                        ) : null}
                        {error ? (
                          <p id={`${id}-error`} className="field-error">
                            {error}
                          </p>
                        ) : null}
                      </fieldset>
                    ) : (
                      <span className="muted">Same on both sides</span>
                    )}
                  </td>
                ) : null}
                {result ? (
                  <td className="diff__result">
                    {field.field in result ? (
                      <FieldValue value={result[field.field]} />
                    ) : (
                      <span className="muted">—</span>
                    )}
                  </td>
                ) : null}
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
