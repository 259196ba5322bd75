import { router } from '../../trpc.ts';
import { bulkResolveConflictsRoute } from './bulk-resolve-conflicts.ts';
import { getConflictRoute } from './get-conflict.ts';
import { listConflictsRoute } from './list-conflicts.ts';
import { resolveConflictRoute } from './resolve-conflict.ts';

export const conflictsRouter = router({
  list: listConflictsRoute,
  get: getConflictRoute,
  resolve: resolveConflictRoute,
  bulkResolve: bulkResolveConflictsRoute,
});
