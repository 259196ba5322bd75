import { formatCount } from '../../format.ts';

/** What the integrations list shows after a delete (navigation state, so it shows once). */
export interface DeletedState {
  deleted: { name: string; removed: { resources: number; mappings: number; syncLogs: number; conflicts: number } };
}

export function deletedStateOf(state: unknown): DeletedState['deleted'] | null {
  const deleted = (state as Partial<DeletedState> | null)?.deleted;
  return deleted && typeof deleted.name === 'string' ? deleted : null;
}

/** "Removed 2 resources, 1,000 record mappings, 12 log lines and 3 conflicts." */
export function removedSentence(removed: DeletedState['deleted']['removed']): string {
  const part = (count: number, one: string, many: string) => `${formatCount(count)} ${count === 1 ? one : many}`;
  return `Removed ${part(removed.resources, 'resource', 'resources')}, ${part(removed.mappings, 'record mapping', 'record mappings')}, ${part(removed.syncLogs, 'log line', 'log lines')} and ${part(removed.conflicts, 'conflict', 'conflicts')}.`;
}
