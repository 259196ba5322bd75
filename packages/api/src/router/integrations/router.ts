import { router } from '../../trpc.ts';
import { createIntegrationRoute } from './create-integration.ts';
import { deleteIntegrationRoute } from './delete-integration.ts';
import { getIntegrationRoute } from './get-integration.ts';
import { listIntegrationsRoute } from './list-integrations.ts';
import { rotateWebhookSecretRoute } from './rotate-webhook-secret.ts';
import { testConnectionRoute } from './test-connection.ts';
import { updateIntegrationRoute } from './update-integration.ts';

export const integrationsRouter = router({
  list: listIntegrationsRoute,
  get: getIntegrationRoute,
  create: createIntegrationRoute,
  update: updateIntegrationRoute,
  delete: deleteIntegrationRoute,
  testConnection: testConnectionRoute,
  rotateWebhookSecret: rotateWebhookSecretRoute,
});
