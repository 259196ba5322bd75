import { router } from '../../trpc.ts';
import { getLogRoute } from './get-log.ts';
import { listLogsRoute } from './list-logs.ts';

export const logsRouter = router({
  list: listLogsRoute,
  get: getLogRoute,
});
