import { router } from '../../trpc.ts';
import { resolveConflictRoute } from './resolve-conflict.ts';

export const conflictsRouter = router({
  resolve: resolveConflictRoute,
});
