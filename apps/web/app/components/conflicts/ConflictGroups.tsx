import { Link } from '@remix-run/react';
import { DataTable, type Column } from '../DataTable.tsx';
import { RelativeTime } from '../RelativeTime.tsx';
import type { RouterOutputs } from '../../trpc.ts';
import { choiceLabels } from './values.ts';

export type ConflictRow = RouterOutputs['conflicts']['list']['items'][number];

export interface ConflictGroup {
  integrationId: string;
  integrationName: string;
  items: ConflictRow[];
}

/** Conflicts per integration, in the order they came (newest first). */
export function groupByIntegration(items: ConflictRow[]): ConflictGroup[] {
  const groups = new Map<string, ConflictGroup>();
  for (const item of items) {
    let group = groups.get(item.integrationId);
    if (!group) {
      group = { integrationId: item.integrationId, integrationName: item.integrationName, items: [] };
      groups.set(item.integrationId, group);
    }
    group.items.push(item);
  }
  return [...groups.values()];
}

function recordLabel(conflict: ConflictRow): string {
  return `${conflict.resourceType} ${conflict.internalId}`;
}

interface Selection {
  selected: ReadonlySet<string>;
  toggle: (ids: string[], on: boolean) => void;
}

/**
 * One table per integration. With `selection` (staff on the pending queue), each row has a checkbox
 * and each group a "select all" box for bulk resolution.
 */
export function ConflictGroups({
  groups,
  history,
  selection,
}: {
  groups: ConflictGroup[];
  history: boolean;
  selection: Selection | null;
}) {
  const record: Column<ConflictRow> = {
    header: 'Record',
    rowHeader: true,
    cell: (conflict) => (
      <>
        <Link to={`/conflicts/${conflict.id}`} className="cell-title">
          {recordLabel(conflict)}
        </Link>
        <span className="cell-sub">External id {conflict.externalId}</span>
      </>
    ),
  };
  const fields: Column<ConflictRow> = {
    header: 'Changed on both sides',
    cell: (conflict) =>
      conflict.conflictedFields.length ? (
        <span className="field-list">{conflict.conflictedFields.join(', ')}</span>
      ) : (
        <span className="muted">—</span>
      ),
  };
  const pendingColumns: Column<ConflictRow>[] = [
    record,
    fields,
    { header: 'Detected', cell: (conflict) => <RelativeTime date={conflict.createdAt} /> },
  ];
  const historyColumns: Column<ConflictRow>[] = [
    record,
    fields,
    {
      header: 'Resolution',
      cell: (conflict) =>
        conflict.choice ? choiceLabels[conflict.choice] : conflict.resolutionStrategy ? 'By strategy' : '—',
    },
    {
      header: 'Resolved by',
      cell: (conflict) =>
        conflict.resolvedBy?.name ?? conflict.resolvedBy?.email ?? <span className="muted">System</span>,
    },
    { header: 'Resolved', cell: (conflict) => <RelativeTime date={conflict.resolvedAt} empty="—" /> },
  ];
  const columns = history ? historyColumns : pendingColumns;
  const withSelect: Column<ConflictRow>[] = selection
    ? [
        {
          header: 'Select',
          className: 'select-cell',
          cell: (conflict) => (
            <input
              type="checkbox"
              checked={selection.selected.has(conflict.id)}
              onChange={(event) => selection.toggle([conflict.id], event.target.checked)}
              aria-label={`Select ${recordLabel(conflict)}`}
            />
          ),
        },
        ...columns,
      ]
    : columns;

  return (
    <>
      {groups.map((group) => {
        const ids = group.items.map((item) => item.id);
        const all = selection ? ids.every((id) => selection.selected.has(id)) : false;
        const headingId = `conflict-group-${group.integrationId}`;
        return (
          <section key={group.integrationId} className="panel conflict-group" aria-labelledby={headingId}>
            <div className="section-head">
              <h2 id={headingId}>
                {group.integrationName}{' '}
                <span className="muted conflict-group__count">
                  ({group.items.length} {history ? 'resolved' : 'pending'})
                </span>
              </h2>
              {selection ? (
                <label className="filters__check">
                  <input
                    type="checkbox"
                    checked={all}
                    onChange={(event) => selection.toggle(ids, event.target.checked)}
                  />
                  Select all of {group.integrationName}
                </label>
              ) : null}
            </div>
            <DataTable
              caption={`${history ? 'Resolved conflicts' : 'Conflicts waiting for a decision'} of ${group.integrationName}`}
              columns={withSelect}
              rows={group.items}
              rowKey={(conflict) => conflict.id}
            />
          </section>
        );
      })}
    </>
  );
}
