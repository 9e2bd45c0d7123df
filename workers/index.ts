import { app } from './app';
import type { Env } from './shared/env';
import { handleQueueBatch } from './queue';
import { runScheduled } from './scheduled';

export { SkuStock } from '../durable-objects/sku-stock';

export default {
  fetch: (req, env, ctx) => app.fetch(req, env, ctx),
  queue: (batch, env, ctx) => handleQueueBatch(batch, env, ctx),
  scheduled: (controller, env, ctx) => {
    ctx.waitUntil(runScheduled(controller.scheduledTime, env));
  },
} satisfies ExportedHandler<Env>;
