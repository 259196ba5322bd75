import { useState } from 'react';
import { Button } from '../Button.tsx';
import { trpc, type RouterOutputs } from '../../trpc.ts';

type Suggestions = RouterOutputs['resources']['suggestMappings'];
type Suggestion = Suggestions['suggestions'][number];

/**
 * Local columns paired with the tool's fields of the same name (from the last field discovery),
 * each with "Apply suggestion"; and the button that reads the tool's fields (again).
 */
export function MappingSuggestions({
  resourceId,
  suggestions,
  toolLabel,
  isMapped,
  onApply,
}: {
  resourceId: string;
  suggestions: Suggestions | undefined;
  toolLabel: string;
  isMapped: (suggestion: Suggestion) => boolean;
  onApply: (suggestions: Suggestion[]) => void;
}) {
  const utils = trpc.useUtils();
  const [message, setMessage] = useState<string | null>(null);
  const discover = trpc.resources.discoverFields.useMutation({
    onSuccess: async (result) => {
      const drift = result.drift;
      setMessage(
        drift && (drift.added.length || drift.removed.length)
          ? `Found ${result.fields.length} fields: ${drift.added.length} new, ${drift.removed.length} gone${drift.brokenMappings.length ? `; mappings now broken: ${drift.brokenMappings.join(', ')}` : ''}.`
          : `Found ${result.fields.length} fields.`,
      );
      await utils.resources.suggestMappings.invalidate({ resourceId });
    },
    onError: (error) => setMessage(error.message),
  });
  const open = (suggestions?.suggestions ?? []).filter((suggestion) => !isMapped(suggestion));
  return (
    <section className="panel" aria-labelledby="suggestions-title">
      <h3 id="suggestions-title">Suggestions</h3>
      {suggestions?.discovered ? (
        <p className="muted">
          {suggestions.fields.length} {toolLabel} fields, {suggestions.localColumns.length} table columns.
        </p>
      ) : (
        <p className="muted">The {toolLabel} fields have not been read yet.</p>
      )}
      <div className="form__actions">
        <Button
          requires="STAFF"
          variant="secondary"
          busy={discover.isPending}
          onClick={() => discover.mutate({ resourceId })}
        >
          {suggestions?.discovered ? `Read ${toolLabel} fields again` : `Read ${toolLabel} fields`}
        </Button>
        {open.length > 1 ? (
          <Button variant="secondary" onClick={() => onApply(open)}>
            Apply all {open.length} suggestions
          </Button>
        ) : null}
        <span role="status" className={discover.isError ? 'action-result action-result--bad' : 'action-result'}>
          {message}
        </span>
      </div>
      {open.length ? (
        <ul className="suggestions">
          {open.map((suggestion) => (
            <li key={`${suggestion.local}→${suggestion.external}`} className="suggestions__item">
              <span>
                <code>{suggestion.local}</code> ↔ <code>{suggestion.external}</code>{' '}
                <span className="cell-sub">{suggestion.type}</span>
              </span>
              <Button variant="link" onClick={() => onApply([suggestion])}>
                Apply suggestion
                <span className="visually-hidden">
                  {' '}
                  {suggestion.local} to {suggestion.external}
                </span>
              </Button>
            </li>
          ))}
        </ul>
      ) : suggestions?.discovered ? (
        <p className="muted">No more columns with a matching field name.</p>
      ) : null}
    </section>
  );
}
