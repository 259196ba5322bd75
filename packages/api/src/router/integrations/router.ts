import { router } from '../../trpc.ts';
import { listIntegrationsRoute } from './list-integrations.ts';

export const integrationsRouter = router({
  list: listIntegrationsRoute,
});
