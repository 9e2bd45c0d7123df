import { app } from './app';
import type { Env } from './shared/env';
import { handleQueueBatch } from './queue';
import { runScheduled } from './scheduled';
import { clockOffset } from './shared/clock';

export { SkuStock } from '../durable-objects/sku-stock';
export { SupportChat } from '../durable-objects/support-chat';

export default {
  fetch: (req, env, ctx) => app.fetch(req, env, ctx),
  queue: (batch, env, ctx) => handleQueueBatch(batch, env, ctx),
  scheduled: (controller, env, ctx) => {
    // scheduledTime is the real minute; a development server's moved clock runs its cron ahead too.
    ctx.waitUntil(runScheduled(controller.scheduledTime + clockOffset(), env));
  },
} satisfies ExportedHandler<Env>;
