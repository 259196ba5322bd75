// Runs the REST records sandbox on its own port:
//   node packages/connectors/src/cli/rest-sandbox.ts --port 4010 --token demo-token \
//     [--webhook-url http://localhost:3000/api/webhooks/integrations/ID/receive --webhook-secret s]
import { parseArgs } from 'node:util';
import { runStandalone } from '../sandbox-kit/server.ts';
import { createRestSandbox } from '../rest/sandbox/index.ts';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '4010' },
    host: { type: 'string', default: '127.0.0.1' },
    token: { type: 'string', default: 'sandbox-token' },
    'webhook-url': { type: 'string' },
    'webhook-secret': { type: 'string' },
  },
});

const webhookUrl = values['webhook-url'];
const webhookSecret = values['webhook-secret'];
const sandbox = createRestSandbox({
  token: values.token,
  webhook: webhookUrl && webhookSecret ? { url: webhookUrl, secret: webhookSecret } : null,
});
await runStandalone(sandbox.app, { port: Number(values.port), host: values.host, name: 'REST records sandbox' });
