import { router } from '../../trpc.ts';
import { checkHealthRoute } from './check-health.ts';

export const healthRouter = router({
  check: checkHealthRoute,
});
