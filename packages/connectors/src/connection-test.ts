import type { ConnectionTestResult, ConnectorError } from './contract.ts';

/**
 * A connector's testConnection(): runs `probe` (the cheapest authenticated request), times it, and
 * answers a failure as `{ ok: false }` with the error classified like any other call's.
 */
export async function timedConnectionTest(
  probe: () => Promise<Omit<ConnectionTestResult, 'latencyMs'>>,
  classify: (error: unknown) => ConnectorError,
): Promise<ConnectionTestResult> {
  const started = performance.now();
  const latencyMs = () => Math.round(performance.now() - started);
  try {
    return { ...(await probe()), latencyMs: latencyMs() };
  } catch (error) {
    const failure = classify(error);
    return { ok: false, latencyMs: latencyMs(), message: `${failure.kind}: ${failure.message}`, error: failure };
  }
}
