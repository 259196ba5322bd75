import type { JobHandler } from './jobs/context.ts';
import { runHealthCheck } from './jobs/health-check.ts';
import type { QueueName } from './queues.ts';

/** One handler per queue; a queue added to QueueName without one here does not compile. */
export const HANDLERS: { readonly [Name in QueueName]: JobHandler } = {
  'maintenance.health-check': runHealthCheck,
};
