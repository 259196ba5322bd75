import { useOutletContext } from '@remix-run/react';
import type { RouterOutputs } from '../../trpc.ts';

export type IntegrationSummary = RouterOutputs['integrations']['get'];

/** What the integration layout (routes/integrations.$id.tsx) hands its tabs: the live summary. */
export interface IntegrationOutletContext {
  integration: IntegrationSummary;
}

export function useIntegration(): IntegrationSummary {
  return useOutletContext<IntegrationOutletContext>().integration;
}
