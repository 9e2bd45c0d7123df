import { createRoute, z } from '@hono/zod-openapi';
import { createRouter, ctxOf, jsonContent } from '../../shared/http';
import { checkHealth } from './health.service';

const CheckSchema = z.object({ ok: z.boolean(), ms: z.number(), detail: z.string().optional() });
const HealthSchema = z
  .object({
    status: z.enum(['ok', 'degraded']),
    environment: z.string(),
    time: z.string(),
    checks: z.object({ d1: CheckSchema, durableObject: CheckSchema, r2: CheckSchema, queues: CheckSchema }),
  })
  .openapi('Health');

export const healthRoutes = createRouter();

healthRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/health',
    operationId: 'getHealth',
    tags: ['Platform'],
    summary: 'Status of every binding (D1, Durable Object, R2, queue producers)',
    responses: { 200: jsonContent(HealthSchema), 503: jsonContent(HealthSchema, 'a binding is failing') },
  }),
  async (c) => {
    const h = await checkHealth(ctxOf(c));
    return h.status === 'ok' ? c.json(h, 200) : c.json(h, 503);
  },
);
