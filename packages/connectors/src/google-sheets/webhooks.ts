// The Sheets API has no webhooks for cell values: Drive push notifications (files.watch) only say
// "the file changed", carry no rows, and need a verified HTTPS domain. Changes are found by polling
// (a full read of the tab, diffed by the engine), so there is nothing here to verify or parse.
import type { WebhookChange, WebhookRequest, WebhookVerification } from '../contract.ts';

export function verifySheetsWebhook(_request: WebhookRequest, _secret: string): WebhookVerification {
  return { ok: false, reason: 'malformed' };
}

export function parseSheetsWebhook(_request: WebhookRequest): WebhookChange[] {
  return [];
}
