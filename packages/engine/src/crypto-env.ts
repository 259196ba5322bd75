// The key ring's configuration (ENCRYPTION_KEYS, ENCRYPTION_PRIMARY_KEY_ID), parsed the same way by
// every app's env schema: field checks that never repeat key material, cross-field checks that run
// even when unrelated variables are wrong (so every problem is listed at once), and a transform
// that leaves only a KeyRing in the parsed environment.
import { z } from 'zod';
import { parseKeyRing, type KeyRing } from './crypto.ts';

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

/** Fields to spread into an app's z.object({...}). */
export const encryptionEnvFields = {
  /** Keys for credentials and webhook secrets at rest: "id:base64key,…", each key 32 random bytes. */
  ENCRYPTION_KEYS: z
    .string()
    .check((ctx) => {
      const problem = keyRingProblem(ctx.value);
      if (problem) ctx.issues.push({ code: 'custom', message: problem, input: ctx.value });
    })
    .optional(),
  /** Which of ENCRYPTION_KEYS encrypts new values (default: the first listed). */
  ENCRYPTION_PRIMARY_KEY_ID: z.string().trim().min(1, 'must not be empty').optional(),
};

interface EncryptionEnv {
  ENCRYPTION_KEYS?: string | undefined;
  ENCRYPTION_PRIMARY_KEY_ID?: string | undefined;
}

/** The cross-field checks run whenever both encryption variables are themselves well-formed. */
function encryptionFieldsValid(payload: { issues: readonly { path?: readonly PropertyKey[] }[] }): boolean {
  return !payload.issues.some((issue) => String(issue.path?.[0] ?? '').startsWith('ENCRYPTION_'));
}

/** Adds the cross-field checks to an app's env schema. */
export function refineEncryptionEnv<S extends z.ZodType<EncryptionEnv>>(schema: S): S {
  return schema
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
    );
}

/** The transform: key material leaves the parsed environment as a KeyRing (never as raw keys). */
export function withKeyRing<T extends EncryptionEnv>(
  env: T,
): Omit<T, keyof EncryptionEnv> & { keyRing: KeyRing | null } {
  const { ENCRYPTION_KEYS, ENCRYPTION_PRIMARY_KEY_ID, ...rest } = env;
  return { ...rest, keyRing: ENCRYPTION_KEYS ? parseKeyRing(ENCRYPTION_KEYS, ENCRYPTION_PRIMARY_KEY_ID) : null };
}
