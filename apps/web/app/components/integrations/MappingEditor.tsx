import { useEffect, useId, useMemo, useRef, useState } from 'react';
import { keepPreviousData } from '@tanstack/react-query';
import { Button } from '../Button.tsx';
import { ErrorState } from '../ErrorState.tsx';
import { apiErrorOf, mappingRowOf } from './api-errors.ts';
import { MappingRowFields } from './MappingRowFields.tsx';
import { MappingSuggestions } from './MappingSuggestions.tsx';
import {
  checkRow,
  emptyRow,
  mappingsFromRows,
  rowKey,
  rowsFromMappings,
  suggestedKind,
  type MappingRow,
  type TransformSide,
} from './mapping-rows.ts';
import { trpc, type RouterOutputs } from '../../trpc.ts';

type Resource = RouterOutputs['resources']['get'];
type Suggestions = RouterOutputs['resources']['suggestMappings'];

const PREVIEW_DELAY_MS = 400;

/** `value`, once it has stopped changing for `ms`. */
function useDebounced<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return settled;
}

function parseSample(text: string): { sample?: Record<string, unknown>; error: string | null } {
  if (!text.trim()) return { error: null };
  try {
    const value: unknown = JSON.parse(text);
    if (value && typeof value === 'object' && !Array.isArray(value))
      return { sample: value as Record<string, unknown>, error: null };
  } catch {
    // reported below
  }
  return { error: 'The sample must be a JSON object, e.g. {"full_name": "Ada Lovelace"}.' };
}

/**
 * The field mapping editor of one resource: rows of local column ↔ external field with a transform
 * each, suggestions from field discovery, a live preview against a sample record (debounced), and
 * a save whose errors land next to the row they are about.
 */
export function MappingEditor({
  resource,
  suggestions,
  toolLabel,
}: {
  resource: Resource;
  suggestions: Suggestions | undefined;
  toolLabel: string;
}) {
  const utils = trpc.useUtils();
  const side: TransformSide = resource.direction === 'PULL' ? 'reverseTransform' : 'transform';
  const previewDirection = resource.direction === 'PULL' ? 'toLocal' : 'toExternal';
  const [rows, setRows] = useState<MappingRow[]>(() => rowsFromMappings(resource.fieldMappings, side));
  const [savedJson, setSavedJson] = useState(() => JSON.stringify(mappingsFromRows(rows, side)));
  const [rowErrors, setRowErrors] = useState<Record<string, string>>({});
  const [formErrors, setFormErrors] = useState<string[]>([]);
  const [status, setStatus] = useState<string | null>(null);
  const [sampleText, setSampleText] = useState('');
  const list = useRef<HTMLOListElement>(null);
  const ids = useId();

  const mappings = useMemo(() => mappingsFromRows(rows, side), [rows, side]);
  const dirty = JSON.stringify(mappings) !== savedJson;
  const sample = parseSample(sampleText);
  // Pull mappings read an external record: nothing to preview until one is given.
  const canPreview = !sample.error && (previewDirection === 'toExternal' || sample.sample !== undefined);
  const previewInput = useDebounced(
    JSON.stringify({ mapping: mappings, sample: sample.sample ?? null }),
    PREVIEW_DELAY_MS,
  );
  const parsedPreviewInput = JSON.parse(previewInput) as {
    mapping: Record<string, unknown>[];
    sample: Record<string, unknown> | null;
  };
  const preview = trpc.resources.previewMapping.useQuery(
    {
      resourceId: resource.id,
      mapping: parsedPreviewInput.mapping,
      ...(parsedPreviewInput.sample ? { sample: parsedPreviewInput.sample } : {}),
      direction: previewDirection,
    },
    { enabled: canPreview, placeholderData: keepPreviousData, retry: false, staleTime: 60_000 },
  );
  const previewStale = previewInput !== JSON.stringify({ mapping: mappings, sample: sample.sample ?? null });
  const previewErrors = new Map<number, string>();
  for (const problem of preview.data?.errors ?? []) {
    if (problem.index !== null && !previewErrors.has(problem.index)) previewErrors.set(problem.index, problem.message);
  }

  const update = trpc.resources.update.useMutation({
    onSuccess: async (saved) => {
      const next = rowsFromMappings(saved.fieldMappings, side);
      setRows(next);
      setSavedJson(JSON.stringify(mappingsFromRows(next, side)));
      setRowErrors({});
      setFormErrors([]);
      setStatus('Mappings saved.');
      await Promise.all([
        utils.resources.list.invalidate({ integrationId: resource.integrationId }),
        utils.resources.suggestMappings.invalidate({ resourceId: resource.id }),
      ]);
    },
    onError: (error) => {
      const parsed = apiErrorOf(error);
      const found: Record<string, string> = {};
      const other: string[] = [];
      for (const message of parsed?.fields.fieldMappings ?? []) {
        const index = mappingRowOf(message);
        const row = index === null ? undefined : rows[index];
        if (row && !found[row.key]) found[row.key] = message;
        else other.push(message);
      }
      for (const [field, messages] of Object.entries(parsed?.fields ?? {})) {
        if (field !== 'fieldMappings') other.push(...messages);
      }
      if (!Object.keys(found).length && !other.length && parsed) other.push(parsed.message);
      setRowErrors(found);
      setFormErrors(other);
      setStatus(null);
      focusFirstInvalid(found);
    },
  });

  const focusFirstInvalid = (found: Record<string, string>) => {
    const index = rows.findIndex((row) => found[row.key]);
    if (index < 0) return;
    requestAnimationFrame(() => list.current?.querySelector<HTMLElement>(`[data-row="${index}"] input`)?.focus());
  };

  const save = () => {
    setStatus(null);
    const found: Record<string, string> = {};
    for (const row of rows) {
      const problem = checkRow(row);
      if (problem) found[row.key] = problem;
    }
    setRowErrors(found);
    setFormErrors([]);
    if (Object.keys(found).length) return focusFirstInvalid(found);
    update.mutate({ id: resource.id, fieldMappings: mappings });
  };

  const setRow = (index: number) => (row: MappingRow) => {
    setRows((current) => current.map((existing, i) => (i === index ? row : existing)));
    setStatus(null);
  };
  const removeRow = (index: number) => () => {
    setRows((current) => current.filter((_, i) => i !== index));
    setStatus('Mapping removed (not saved yet).');
  };
  const addRows = (added: { local: string; external: string; type: string }[]) => {
    setRows((current) => [
      ...current,
      ...added.map((suggestion) => ({
        ...emptyRow(),
        key: rowKey(),
        local: suggestion.local,
        external: suggestion.external,
        kind: suggestedKind(suggestion.type),
      })),
    ]);
    setStatus(
      added.length === 1
        ? `Added ${added[0]?.local} ↔ ${added[0]?.external} (not saved yet).`
        : `Added ${added.length} suggested mappings (not saved yet).`,
    );
  };

  const outputKey = (row: MappingRow) =>
    previewDirection === 'toExternal' ? row.external.trim() : (row.local.split(',')[0]?.trim() ?? '');
  const output = preview.data?.output ?? null;
  const mappedLocal = new Set(rows.flatMap((row) => row.local.split(',').map((part) => part.trim())));
  const mappedExternal = new Set(rows.map((row) => row.external.trim()));

  return (
    <div className="mapping-editor">
      <MappingSuggestions
        resourceId={resource.id}
        suggestions={suggestions}
        toolLabel={toolLabel}
        isMapped={(suggestion) => mappedLocal.has(suggestion.local) || mappedExternal.has(suggestion.external)}
        onApply={addRows}
      />
      <datalist id={`${ids}-local`}>
        {(suggestions?.localColumns ?? []).map((column) => (
          <option key={column} value={column} />
        ))}
      </datalist>
      <datalist id={`${ids}-external`}>
        {(suggestions?.fields ?? []).map((field) => (
          <option key={field.name} value={field.name} />
        ))}
      </datalist>

      <section className="panel" aria-labelledby="mapping-rows-title">
        <h3 id="mapping-rows-title">
          Fields <span className="muted">({rows.length})</span>
        </h3>
        {formErrors.length ? (
          <div role="alert" className="form-error">
            {formErrors.map((message) => (
              <p key={message}>{message}</p>
            ))}
          </div>
        ) : null}
        {rows.length === 0 ? <p className="muted">No fields mapped yet: apply suggestions or add a field.</p> : null}
        <ol className="mapping-rows" ref={list}>
          {rows.map((row, index) => (
            <MappingRowFields
              key={row.key}
              row={row}
              index={index}
              onChange={setRow(index)}
              onRemove={removeRow(index)}
              error={rowErrors[row.key] ?? null}
              previewError={previewStale ? null : (previewErrors.get(index) ?? null)}
              preview={output ? output[outputKey(row)] : undefined}
              hasPreview={output !== null && !previewErrors.has(index)}
              localListId={`${ids}-local`}
              externalListId={`${ids}-external`}
              toolLabel={toolLabel}
            />
          ))}
        </ol>
        <div className="form__actions">
          <Button variant="secondary" onClick={() => setRows((current) => [...current, emptyRow()])}>
            Add field
          </Button>
          <Button onClick={save} busy={update.isPending} disabled={!dirty && !Object.keys(rowErrors).length}>
            Save mappings
          </Button>
          <span role="status" className="action-result">
            {status ?? (dirty ? 'Unsaved changes' : '')}
          </span>
        </div>
      </section>

      <section className="panel" aria-labelledby="mapping-preview-title">
        <h3 id="mapping-preview-title">Preview</h3>
        <details className="sample">
          <summary>Sample record</summary>
          <div className="field">
            <label htmlFor={`${ids}-sample`}>
              {previewDirection === 'toExternal' ? 'A row of the table (JSON)' : `A ${toolLabel} record (JSON)`}
            </label>
            <textarea
              id={`${ids}-sample`}
              rows={4}
              spellCheck={false}
              value={sampleText}
              onChange={(event) => setSampleText(event.target.value)}
              aria-invalid={sample.error ? true : undefined}
              aria-describedby={`${ids}-sample-hint`}
            />
            <p id={`${ids}-sample-hint`} className={sample.error ? 'field-error' : 'field-hint'}>
              {sample.error ??
                (previewDirection === 'toExternal'
                  ? 'Leave empty to use the first row of the table.'
                  : 'Pull mappings need a record from the tool to preview.')}
            </p>
          </div>
          {preview.data?.sample ? (
            <pre className="code-block" aria-label="Sample record used">
              {JSON.stringify(preview.data.sample, null, 2)}
            </pre>
          ) : null}
        </details>
        <div aria-live="polite" aria-busy={preview.isFetching || previewStale}>
          {!canPreview ? (
            <p className="muted">Give a sample record to see a preview.</p>
          ) : preview.isError ? (
            <ErrorState title="Could not preview">{preview.error.message}</ErrorState>
          ) : preview.data?.sampleSource === 'none' ? (
            <p className="muted">The table has no rows yet: give a sample record to see a preview.</p>
          ) : output ? (
            <>
              <p className="muted" role="status">
                {preview.data?.ok
                  ? 'Every mapping worked on the sample.'
                  : `${preview.data?.errors.length ?? 0} of ${rows.length} mappings failed on the sample.`}
                {previewStale || preview.isFetching ? ' Updating…' : ''}
              </p>
              <pre className="code-block" aria-label="Mapped record">
                {JSON.stringify(output, null, 2)}
              </pre>
            </>
          ) : (
            <p className="muted">Loading the preview…</p>
          )}
        </div>
      </section>
    </div>
  );
}
