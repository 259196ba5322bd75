import { z } from 'zod';
import { ZAlertItem } from './list-alerts.types.ts';

export const ZAcknowledgeAlertInput = z.object({ id: z.uuid() });
export type TAcknowledgeAlertInput = z.infer<typeof ZAcknowledgeAlertInput>;

export const ZAcknowledgeAlertOutput = ZAlertItem;
export type TAcknowledgeAlertOutput = z.infer<typeof ZAcknowledgeAlertOutput>;
