import { router } from '../../trpc.ts';
import { retryFailedRoute } from './retry-failed.ts';
import { triggerSyncRoute } from './trigger-sync.ts';

export const syncsRouter = router({
  trigger: triggerSyncRoute,
  retryFailed: retryFailedRoute,
});
