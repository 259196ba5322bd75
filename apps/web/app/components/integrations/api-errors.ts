// Reading a tRPC error the way a form needs it: per-field messages (the server's zod issues,
// `data.zodError.fieldErrors`), the error codes, and a sentence for everything else.

export interface ApiError {
  /** tRPC code: BAD_REQUEST, NOT_FOUND, PRECONDITION_FAILED, … */
  code: string | null;
  /** Our AppError code when there was one: VALIDATION, UPSTREAM_AUTH, … */
  appErrorCode: string | null;
  fields: Record<string, string[]>;
  message: string;
}

interface ErrorData {
  code?: string;
  appErrorCode?: string | null;
  zodError?: { fieldErrors?: Record<string, string[] | undefined> } | null;
}

export function apiErrorOf(error: { message: string; data?: unknown } | null | undefined): ApiError | null {
  if (!error) return null;
  const data = (error.data ?? {}) as ErrorData;
  const fields: Record<string, string[]> = {};
  for (const [field, messages] of Object.entries(data.zodError?.fieldErrors ?? {})) {
    if (messages?.length) fields[field] = messages;
  }
  return { code: data.code ?? null, appErrorCode: data.appErrorCode ?? null, fields, message: error.message };
}

/**
 * The row a resource-save message is about. The service names rows "Mapping 3 (…)" (1-based), and
 * the flattened zod errors keep only the top-level field, so the row comes from the wording.
 */
export function mappingRowOf(message: string): number | null {
  const match = /^Mapping (\d+)\b/.exec(message);
  return match ? Number(match[1]) - 1 : null;
}
