import type { Env } from './shared/env';
import { createLogger } from './shared/log';
import { getDb } from './shared/db';
import { clockNow } from './shared/clock';
import type { Ctx } from './shared/context';
import { InvalidMessage, type MessageHandler, type QueueMessage } from './shared/events';
import { catalogConsumer } from './domains/catalog/catalog.consumer';
import { handleNotificationsDeadLetter, notificationsConsumer, NOTIFICATIONS_DLQ } from './domains/notifications/notifications.consumer';
import { ordersConsumer } from './flows/orders.consumer';
import { flashSalesConsumer } from './flows/flash-sales.consumer';
import { groupBuysConsumer } from './flows/group-buys.consumer';
import { reviewsConsumer } from './flows/reviews.consumer';

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
  ...reviewsConsumer,
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
  const ctxFor = (id: string, type: string): Ctx => ({
    db: getDb(env.DB),
    env,
    actor: { kind: 'system', name: `queue:${batch.queue}` },
    now: clockNow(),
    requestId: id,
    log: log.child({ msgId: id, type }),
  });
  const settle = (ctx: Ctx, m: Message, e: unknown) => {
    if (e == null) return m.ack();
    if (e instanceof InvalidMessage) {
      // Its payload breaks the contract: no retry can fix it.
      ctx.log.error('message rejected: payload does not match its contract', { err: e.message });
      return m.ack();
    }
    ctx.log.error('consumer failed; will retry', { err: e instanceof Error ? e.message : String(e), attempts: m.attempts });
    m.retry({ delaySeconds: Math.min(60, 2 ** m.attempts) });
  };

  const deadLetter = DEAD_LETTER_HANDLERS[batch.queue];
  // Types whose consumer takes many at once are handled together, after the one-by-one ones.
  const grouped = new Map<MessageHandler, Message[]>();
  for (const m of batch.messages) {
    const msg = m.body as QueueMessage;
    const handler = deadLetter ? undefined : typeof msg?.type === 'string' ? HANDLERS.get(msg.type) : undefined;
    if (handler?.handleMany) {
      grouped.set(handler, [...(grouped.get(handler) ?? []), m]);
      continue;
    }
    const handle = deadLetter ?? handler?.handle;
    if (!handle) {
      log.error('no consumer for message type; dropping', { type: msg?.type });
      m.ack();
      continue;
    }
    const ctx = ctxFor(msg.id, msg.type);
    try {
      await handle(ctx, msg);
      settle(ctx, m, null);
    } catch (e) {
      settle(ctx, m, e);
    }
  }
  for (const [handler, ms] of grouped) {
    const ctx = ctxFor(`batch:${(ms[0]!.body as QueueMessage).id}`, handler.type);
    let answers: (Error | null)[];
    try {
      answers = await handler.handleMany!(
        ctx,
        ms.map((m) => m.body as QueueMessage),
      );
    } catch (e) {
      answers = ms.map(() => (e instanceof Error ? e : new Error(String(e))));
    }
    ms.forEach((m, k) => settle(ctx, m, answers[k] ?? null));
  }
}
