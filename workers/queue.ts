import type { Env } from './shared/env';
import { createLogger } from './shared/log';
import { getDb } from './shared/db';
import type { Ctx } from './shared/context';
import { InvalidMessage, type MessageHandler, type QueueMessage } from './shared/events';
import { catalogConsumer } from './domains/catalog/catalog.consumer';
import { handleNotificationsDeadLetter, notificationsConsumer, NOTIFICATIONS_DLQ } from './domains/notifications/notifications.consumer';
import { ordersConsumer } from './flows/orders.consumer';
import { flashSalesConsumer } from './flows/flash-sales.consumer';
import { groupBuysConsumer } from './flows/group-buys.consumer';

/*
 * Dispatch only: message type → its consumer. A type `<d>.<event>` is declared in
 * domains/<d>/events.ts and handled in domains/<d>/<d>.consumer.ts when its work stays in that
 * domain, or in flows/<d>.consumer.ts when it spans domains (domains never import flows).
 * Nothing but index.ts imports this file.
 */
const CONSUMERS: MessageHandler[] = [
  ...catalogConsumer,
  ...notificationsConsumer,
  ...ordersConsumer,
  ...flashSalesConsumer,
  ...groupBuysConsumer,
];
const HANDLERS = new Map<string, MessageHandler>();
for (const h of CONSUMERS) {
  if (HANDLERS.has(h.type)) throw new Error(`two consumers for ${h.type}`);
  HANDLERS.set(h.type, h);
}

/** Dead-letter queues carry the original messages, so they are routed by queue name instead. */
const DEAD_LETTER_HANDLERS: Record<string, (ctx: Ctx, msg: QueueMessage) => Promise<void>> = {
  [NOTIFICATIONS_DLQ]: handleNotificationsDeadLetter,
};

/** The message types some consumer handles (the message catalogue's test reads it). */
export const handledTypes = (): string[] => [...HANDLERS.keys()];

/** Routes each message to its consumer; failures retry that message only. */
export async function handleQueueBatch(batch: MessageBatch, env: Env, _ec: ExecutionContext): Promise<void> {
  const log = createLogger({ service: 'edgemall', queue: batch.queue });
  for (const m of batch.messages) {
    const msg = m.body as QueueMessage;
    const deadLetter = DEAD_LETTER_HANDLERS[batch.queue];
    const handle = deadLetter ?? (typeof msg?.type === 'string' ? HANDLERS.get(msg.type)?.handle : undefined);
    if (!handle) {
      log.error('no consumer for message type; dropping', { type: msg?.type });
      m.ack();
      continue;
    }
    const ctx: Ctx = {
      db: getDb(env.DB),
      env,
      actor: { kind: 'system', name: `queue:${batch.queue}` },
      now: Date.now(),
      requestId: msg.id,
      log: log.child({ msgId: msg.id, type: msg.type }),
    };
    try {
      await handle(ctx, msg);
      m.ack();
    } catch (e) {
      if (e instanceof InvalidMessage) {
        // Its payload breaks the contract: no retry can fix it.
        ctx.log.error('message rejected: payload does not match its contract', { err: e.message });
        m.ack();
        continue;
      }
      ctx.log.error('consumer failed; will retry', { err: e instanceof Error ? e.message : String(e), attempts: m.attempts });
      m.retry({ delaySeconds: Math.min(60, 2 ** m.attempts) });
    }
  }
}
