import type { TIntegrationSummary } from '@syncbridge/api';

/**
 * An integration as the dashboard reads it. The figures after the summary come from
 * integrations.list when the API provides them; until then the cells show a dash.
 */
export type DashboardIntegration = TIntegrationSummary & {
  /** 0–100 */
  healthScore?: number | null;
  /** 0–1, over the recent window the API chooses. */
  successRate?: number | null;
  pendingConflicts?: number | null;
};
