// Shared machinery for vendor sandboxes. Express lives only here and in `<system>/sandbox/`
// folders, reached through `@syncbridge/connectors/sandboxes`, never from the connectors entry.
export { startSandbox, runStandalone } from './server.ts';
export type { SandboxApp, SandboxServer, StartSandboxOptions, RunStandaloneOptions } from './server.ts';
export { createFaultInjector } from './faults.ts';
export type { FaultConfig, FaultInjector, FaultInjectorOptions, FaultKind } from './faults.ts';
export { createRateLimiter, SlidingWindowLog } from './rate-limiter.ts';
export type { RateLimitConfig, RateLimitDecision, RateLimiter, RateLimiterOptions } from './rate-limiter.ts';
export { createRequestCounter, maxInWindow } from './counters.ts';
export type { RequestCounter } from './counters.ts';
export { createWebhookSender } from './webhook-sender.ts';
export type {
  DeliverManyOptions,
  DeliveryAttempt,
  DeliveryResult,
  WebhookDelivery,
  WebhookSender,
  WebhookSenderOptions,
  WebhookSignContext,
  WebhookSigner,
} from './webhook-sender.ts';
export { defaultErrorResponse, defaultRateLimitResponse, sendVendorResponse } from './responses.ts';
export type { RateLimitInfo, VendorResponse } from './responses.ts';
export { seededRng, resolveRng, shuffled } from './rng.ts';
export type { Rng, RandomnessOptions } from './rng.ts';
export { requestTime, systemClock } from './clock.ts';
export type { Clock } from './clock.ts';
