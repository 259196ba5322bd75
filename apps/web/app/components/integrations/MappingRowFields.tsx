import { Button } from '../Button.tsx';
import { describedBy } from './FormField.tsx';
import { TRANSFORM_FUNCTIONS, TRANSFORM_OPTIONS, type MappingRow } from './mapping-rows.ts';

function previewText(value: unknown): string {
  if (value === undefined) return '—';
  if (typeof value === 'string') return `"${value}"`;
  return JSON.stringify(value);
}

/**
 * One mapping being edited: column ↔ field, direction, transform (with its expression, value or
 * function), required, and the row's own messages (save errors, preview errors) right beneath it.
 */
export function MappingRowFields({
  row,
  index,
  onChange,
  onRemove,
  error,
  previewError,
  preview,
  hasPreview,
  localListId,
  externalListId,
  toolLabel,
}: {
  row: MappingRow;
  index: number;
  onChange: (row: MappingRow) => void;
  onRemove: () => void;
  error: string | null;
  previewError: string | null;
  /** What this row produced in the preview (undefined: nothing). */
  preview: unknown;
  hasPreview: boolean;
  localListId: string;
  externalListId: string;
  toolLabel: string;
}) {
  const id = `mapping-${row.key}`;
  const errorId = error ? `${id}-error` : null;
  const problemIds = [errorId, previewError ? `${id}-preview-error` : null].filter(Boolean).join(' ') || undefined;
  const set = (patch: Partial<MappingRow>) => onChange({ ...row, ...patch });
  const title = row.external.trim() || row.local.trim() || 'new';
  return (
    <li className={`mapping-row${error ? ' mapping-row--invalid' : ''}`} data-row={index}>
      <fieldset>
        <legend className="mapping-row__legend">
          Mapping {index + 1}
          <span className="visually-hidden">: {title}</span>
        </legend>
        <div className="mapping-row__grid">
          <div className="field">
            <label htmlFor={`${id}-local`}>Postgres column</label>
            <input
              id={`${id}-local`}
              name={`fieldMappings.${index}.local`}
              list={localListId}
              value={row.local}
              autoComplete="off"
              spellCheck={false}
              onChange={(event) => set({ local: event.target.value })}
              aria-invalid={error ? true : undefined}
              aria-describedby={problemIds}
            />
          </div>
          <span className="mapping-row__arrow" aria-hidden="true">
            {row.direction === 'push' ? '→' : row.direction === 'pull' ? '←' : '↔'}
          </span>
          <div className="field">
            <label htmlFor={`${id}-external`}>{toolLabel} field</label>
            <input
              id={`${id}-external`}
              name={`fieldMappings.${index}.external`}
              list={externalListId}
              value={row.external}
              autoComplete="off"
              spellCheck={false}
              onChange={(event) => set({ external: event.target.value })}
              aria-invalid={error ? true : undefined}
              aria-describedby={problemIds}
            />
          </div>
          <div className="field">
            <label htmlFor={`${id}-direction`}>Direction</label>
            <select
              id={`${id}-direction`}
              value={row.direction}
              onChange={(event) => set({ direction: event.target.value as MappingRow['direction'] })}
            >
              <option value="both">Both ways</option>
              <option value="push">Push only</option>
              <option value="pull">Pull only</option>
            </select>
          </div>
          <div className="field">
            <label htmlFor={`${id}-transform`}>Transform</label>
            <select
              id={`${id}-transform`}
              value={row.kind}
              onChange={(event) => set({ kind: event.target.value as MappingRow['kind'] })}
            >
              {TRANSFORM_OPTIONS.map((option) => (
                <option key={option.value} value={option.value}>
                  {option.label}
                </option>
              ))}
              {row.kind === 'other' ? <option value="other">Kept as saved ({String(row.saved?.type)})</option> : null}
            </select>
          </div>
          <label className="choice mapping-row__required">
            <input
              type="checkbox"
              checked={row.required}
              onChange={(event) => set({ required: event.target.checked })}
            />
            <span>Required</span>
          </label>
          <Button variant="link" onClick={onRemove} className="mapping-row__remove">
            Remove
            <span className="visually-hidden">
              {' '}
              mapping {index + 1} ({title})
            </span>
          </Button>
        </div>
        {row.kind === 'jsonata' ? (
          <div className="field">
            <label htmlFor={`${id}-expression`}>JSONata expression</label>
            <textarea
              id={`${id}-expression`}
              name={`fieldMappings.${index}.transform.expression`}
              rows={2}
              spellCheck={false}
              value={row.expression}
              onChange={(event) => set({ expression: event.target.value })}
              aria-describedby={describedBy(`${id}-expression`, true, null)}
            />
            <p id={`${id}-expression-hint`} className="field-hint">
              Runs over the whole source record; <code>$value</code> is this column’s value. Example:{' '}
              <code>$uppercase($value)</code>.
            </p>
          </div>
        ) : row.kind === 'constant' ? (
          <div className="field">
            <label htmlFor={`${id}-constant`}>Fixed value</label>
            <input
              id={`${id}-constant`}
              value={row.constant}
              onChange={(event) => set({ constant: event.target.value })}
            />
          </div>
        ) : row.kind === 'function' ? (
          <div className="field">
            <label htmlFor={`${id}-function`}>Function</label>
            <select
              id={`${id}-function`}
              value={row.functionName}
              onChange={(event) => set({ functionName: event.target.value })}
            >
              {[...new Set([...TRANSFORM_FUNCTIONS, row.functionName])].filter(Boolean).map((name) => (
                <option key={name} value={name}>
                  {name}
                </option>
              ))}
            </select>
          </div>
        ) : null}
        {hasPreview ? (
          <p className="mapping-row__preview" aria-live="off">
            <span className="muted">Preview:</span>{' '}
            <output htmlFor={`${id}-local ${id}-external`}>{previewText(preview)}</output>
          </p>
        ) : null}
        {error ? (
          <p id={`${id}-error`} className="field-error" role="alert">
            {error}
          </p>
        ) : null}
        {previewError && previewError !== error ? (
          <p id={`${id}-preview-error`} className="field-error">
            {previewError}
          </p>
        ) : null}
      </fieldset>
    </li>
  );
}
