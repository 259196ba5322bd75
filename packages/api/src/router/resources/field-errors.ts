import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { AppError } from '@syncbridge/engine';

/**
 * Runs a save whose VALIDATION errors carry per-field issues (a ZodError as cause) and rethrows
 * them as BAD_REQUEST with that ZodError as the cause, so the errorFormatter hands the form
 * `data.zodError.fieldErrors` exactly as for an input that failed its schema.
 */
export async function withFieldErrors<T>(save: () => Promise<T>): Promise<T> {
  try {
    return await save();
  } catch (error) {
    if (error instanceof AppError && error.code === 'VALIDATION' && error.cause instanceof z.ZodError) {
      throw new TRPCError({ code: 'BAD_REQUEST', message: error.message, cause: error.cause });
    }
    throw error;
  }
}
