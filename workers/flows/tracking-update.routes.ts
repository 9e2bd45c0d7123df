import { createRoute, z } from '@hono/zod-openapi';
import { createRouter, ctxOf, errorResponses, jsonBody, jsonContent, ErrorSchema } from '../shared/http';
import { SIGNATURE_HEADER, verifyTrackingSignature } from '../domains/logistics/webhook-signature';
import { TrackingWebhookInput, TrackingWebhookResult } from '../domains/logistics/dto';
import { applyTrackingUpdate } from './tracking-update';

export const logisticsWebhookRoutes = createRouter();

logisticsWebhookRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/webhooks/logistics/tracking',
    operationId: 'receiveTrackingEvents',
    tags: ['Logistics webhooks'],
    middleware: verifyTrackingSignature,
    summary: 'Carrier tracking events (signed); appended to the shipment timeline, delivered moves the order on',
    description:
      `Header \`${SIGNATURE_HEADER}: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>" with the shared secret>\`. ` +
      'Signatures older than 5 minutes are refused. Repeated events are ignored (counted as duplicates); the status never moves back from delivered.',
    request: {
      headers: z.object({ 'x-edgemall-signature': z.string().openapi({ example: 't=1714550400,v1=5f2b…' }) }),
      body: jsonBody(TrackingWebhookInput),
    },
    responses: {
      200: jsonContent(TrackingWebhookResult),
      400: errorResponses[400],
      401: errorResponses[401],
      404: errorResponses[404],
      503: { description: 'webhook secret not configured', content: { 'application/json': { schema: ErrorSchema } } },
    },
  }),
  async (c) => {
    const input = c.req.valid('json');
    const ctx = { ...ctxOf(c), actor: { kind: 'system' as const, name: `carrier:${input.carrierCode}` } };
    const r = await applyTrackingUpdate(ctx, input);
    return c.json({ accepted: r.accepted, duplicates: r.duplicates }, 200);
  },
);
