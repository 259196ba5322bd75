// Health scores, history, alert rules and alert channels (F025 "Monitoring & Logging").
export {
  computeHealthScore,
  successRateScore,
  responseTimeScore,
  errorRateScore,
  freshnessScore,
  indicatorStatus,
  healthStatus,
  HEALTH_WEIGHTS,
  DEFAULT_HEALTH_CURVES,
} from './score.ts';
export type {
  HealthInputs,
  HealthCurves,
  HealthScore,
  HealthComponent,
  HealthComponentName,
  HealthStatus,
  IndicatorStatus,
} from './score.ts';
export {
  loadHealth,
  loadHealthMetrics,
  loadHealthHistory,
  healthInputsFrom,
  expectedIntervalMs,
  FREQUENCY_INTERVAL_MS,
  DEFAULT_HEALTH_WINDOW_MS,
  ZHealthHistoryOptions,
} from './load.ts';
export type {
  HealthContext,
  HealthMetrics,
  IntegrationHealth,
  LoadHealthOptions,
  HealthHistory,
  HealthHistoryBucket,
  HealthHistoryOptions,
} from './load.ts';
export {
  evaluateAlertRules,
  matchRules,
  parseAlertRules,
  formatDuration,
  ALERT_RULES,
  ZAlertRulesConfig,
} from './alert-rules.ts';
export type {
  AlertRulesInput,
  AlertRulesConfig,
  EvaluateAlertRulesOptions,
  AlertEvaluation,
  RaisedAlert,
} from './alert-rules.ts';
export {
  createAlertSender,
  signStandardWebhook,
  webhookBody,
  slackPayload,
  emailContent,
  ZAlertChannelsConfig,
  ZStandardWebhookSecret,
  EXTERNAL_CHANNELS,
} from './channels.ts';
export { alertEnvFields, refineAlertEnv, alertChannelsFromEnv, alertEndpoints } from './alert-env.ts';
export type { AlertEnv } from './alert-env.ts';
export type {
  AlertChannel,
  ExternalChannel,
  AlertChannelsConfig,
  AlertChannelsInput,
  AlertMessage,
  AlertSender,
} from './channels.ts';
export { deliverPendingAlerts, channelsForAlert, SEVERITY_CHANNELS } from './notify.ts';
export type { AlertDelivery, DeliverOptions, DeliveryOutcome } from './notify.ts';
