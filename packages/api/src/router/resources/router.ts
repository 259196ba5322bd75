import { router } from '../../trpc.ts';

export const resourcesRouter = router({});
