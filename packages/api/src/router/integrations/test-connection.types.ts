import { z } from 'zod';
import { AuthType, IntegrationType } from '@syncbridge/db';

/**
 * An integration's base URL: http(s) only, without `user:password@` (credentials belong in the
 * encrypted credentials, not in a column stored and shown in clear). Internal addresses are refused
 * by the service (OUTBOUND_ALLOWLIST), which needs DNS.
 */
export const ZBaseUrl = z
  .url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' })
  .max(2000)
  .refine((value) => {
    const url = new URL(value);
    return url.username === '' && url.password === '';
  }, 'must not contain a user name or password: put them in the credentials');

/** The add-integration wizard's unsaved form: nothing of it is stored. */
export const ZConnectionDraft = z.object({
  type: z.enum(IntegrationType),
  baseUrl: ZBaseUrl.nullish(),
  authType: z.enum(AuthType).optional(),
  /** Same shape as on create (not imported from there: create-integration.types imports this file). */
  credentials: z.record(z.string(), z.unknown()).nullish(),
  settings: z.record(z.string(), z.unknown()).optional(),
});

/** `{ id }` tests a stored integration with its stored credentials; a draft tests the given ones. */
export const ZTestConnectionInput = z.union([z.object({ id: z.uuid() }), ZConnectionDraft]);
export type TTestConnectionInput = z.infer<typeof ZTestConnectionInput>;

export const ZConnectionTestResult = z.object({
  ok: z.boolean(),
  /** connected; auth_failed (credentials refused); unreachable (no answer: refused, DNS, timeout); error (anything else). */
  status: z.enum(['connected', 'auth_failed', 'unreachable', 'error']),
  latencyMs: z.number().int().nonnegative(),
  apiVersion: z.string().optional(),
  /** true accepted, false refused, null not known (the service was not reached or failed first). */
  credentialsValid: z.boolean().nullable(),
  /** For people; never contains a credential. */
  message: z.string(),
});
export type TConnectionTestResult = z.infer<typeof ZConnectionTestResult>;

export const ZTestConnectionOutput = ZConnectionTestResult;
export type TTestConnectionOutput = z.infer<typeof ZTestConnectionOutput>;
