import { router } from '../../trpc.ts';
import { acknowledgeAlertRoute } from './acknowledge-alert.ts';
import { getHealthHistoryRoute } from './get-health-history.ts';
import { getHealthRoute } from './get-health.ts';
import { listAlertsRoute } from './list-alerts.ts';

export const alertsRouter = router({
  list: listAlertsRoute,
  acknowledge: acknowledgeAlertRoute,
  health: getHealthRoute,
  healthHistory: getHealthHistoryRoute,
});
