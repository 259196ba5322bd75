import { parseKeyRing } from '@syncbridge/engine';
import { z } from 'zod';

// The only module of the web app that reads process.env: parsed once at start, then passed down.
export const EnvSchema = z
  .object({
    DATABASE_URL: z.url({
      protocol: /^postgres(ql)?$/,
      error: (issue) => (issue.input === undefined ? 'is required' : 'must be a postgres:// connection string'),
    }),
    PORT: z.coerce.number().int().min(0).max(65_535).default(3000),
    HOST: z.string().min(1).default('0.0.0.0'),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    NODE_ENV: z.enum(['development', 'production', 'test']).default('production'),
    // ── Auth ──
    /** First start only: creates this ADMIN when the users table is empty (with ADMIN_PASSWORD). */
    ADMIN_EMAIL: z.email('must be an email address').optional(),
    ADMIN_PASSWORD: z.string().min(12, 'must have at least 12 characters').optional(),
    /** The session cookie's Secure flag; set to false only for plain-http localhost. */
    SESSION_COOKIE_SECURE: z.stringbool({ error: 'must be true or false' }).default(true),
    /**
     * Keys for credentials and webhook secrets at rest: "id:base64key,…", each key 32 random bytes.
     * Needed once any integration stores secrets; the same value as the worker's.
     */
    ENCRYPTION_KEYS: z
      .string()
      .check((ctx) => {
        const problem = keyRingProblem(ctx.value);
        if (problem) ctx.issues.push({ code: 'custom', message: problem, input: ctx.value });
      })
      .optional(),
    /** Which of ENCRYPTION_KEYS encrypts new values (default: the first listed). */
    ENCRYPTION_PRIMARY_KEY_ID: z.string().trim().min(1, 'must not be empty').optional(),
  })
  .refine((env) => !env.ADMIN_EMAIL === !env.ADMIN_PASSWORD, {
    path: ['ADMIN_PASSWORD'],
    message: 'ADMIN_EMAIL and ADMIN_PASSWORD go together',
  })
  .refine((env) => !env.ENCRYPTION_PRIMARY_KEY_ID || env.ENCRYPTION_KEYS, {
    path: ['ENCRYPTION_PRIMARY_KEY_ID'],
    message: 'is set but ENCRYPTION_KEYS is not',
    when: encryptionFieldsValid,
  })
  .refine(
    (env) =>
      !env.ENCRYPTION_KEYS ||
      !env.ENCRYPTION_PRIMARY_KEY_ID ||
      parseKeyRing(env.ENCRYPTION_KEYS).has(env.ENCRYPTION_PRIMARY_KEY_ID),
    {
      path: ['ENCRYPTION_PRIMARY_KEY_ID'],
      message: 'is not one of the ENCRYPTION_KEYS ids',
      when: encryptionFieldsValid,
    },
  )
  // The key material leaves the parsed environment as a key ring: nothing downstream (or a log line
  // of the environment) ever holds the raw keys.
  .transform(({ ENCRYPTION_KEYS, ENCRYPTION_PRIMARY_KEY_ID, ...env }) => ({
    ...env,
    keyRing: ENCRYPTION_KEYS ? parseKeyRing(ENCRYPTION_KEYS, ENCRYPTION_PRIMARY_KEY_ID) : null,
  }));

/** The cross-field checks run whenever both encryption variables are themselves well-formed. */
function encryptionFieldsValid(payload: { issues: readonly { path?: readonly PropertyKey[] }[] }): boolean {
  return !payload.issues.some((issue) => String(issue.path?.[0] ?? '').startsWith('ENCRYPTION_'));
}

/** parseKeyRing's complaint about a key list, if any; it never repeats key material. */
function keyRingProblem(spec: string): string | null {
  try {
    parseKeyRing(spec);
    return null;
  } catch (error) {
    const message = error instanceof Error ? error.message : 'is not a valid key list';
    // "The primary encryption key is not in the key ring" on a list with no keys at all.
    return /primary/i.test(message) ? 'must list at least one id:base64key' : message;
  }
}

export type Env = z.infer<typeof EnvSchema>;

export class EnvError extends Error {
  override name = 'EnvError';
}

/** Parses the environment, failing with one line per bad variable (never echoing values). */
export function parseEnv(source: Record<string, string | undefined>): Env {
  // An empty string means "unset" (`PORT= tsx server.ts`), so defaults apply.
  const values = Object.fromEntries(Object.entries(source).filter(([, value]) => value !== ''));
  const result = EnvSchema.safeParse(values);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
  throw new EnvError(`Invalid environment:\n${problems.join('\n')}`);
}

/** Reads process.env once. Also fixes NODE_ENV so React and Express pick their production builds by default. */
export function loadEnv(): Env {
  const env = parseEnv(process.env);
  process.env.NODE_ENV = env.NODE_ENV;
  return env;
}
