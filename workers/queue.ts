import type { Env } from './shared/env';
import { createLogger } from './shared/log';
import { getDb } from './shared/db';
import type { Ctx } from './shared/context';
import { handleCatalogMessage } from './domains/catalog/catalog.consumer';
import { handleOrdersMessage } from './flows/payment.consumer';
import { handleNotificationsDeadLetter, handleNotificationsMessage, NOTIFICATIONS_DLQ } from './domains/notifications/notifications.consumer';
import { handleSettlementMessage } from './flows/settlement';
import { handleGroupBuysMessage } from './flows/group-buy-outcome';
import { handleFlashSalesMessage } from './flows/flash-order';

/** Every queue message carries its type; the type's prefix names the domain that handles it. */
export interface QueueMessage<T = unknown> {
  type: string;
  /** Unique per logical event, so consumers can dedupe redeliveries. */
  id: string;
  at: number;
  data: T;
}

type Handler = (ctx: Ctx, msg: QueueMessage) => Promise<void>;

const HANDLERS: Record<string, Handler> = {
  catalog: handleCatalogMessage,
  orders: handleOrdersMessage,
  notifications: handleNotificationsMessage,
  settlement: handleSettlementMessage,
  group_buys: handleGroupBuysMessage,
  flash_sales: handleFlashSalesMessage,
};

/** Dead-letter queues carry the original messages, so they are routed by queue name instead. */
const DEAD_LETTER_HANDLERS: Record<string, Handler> = {
  [NOTIFICATIONS_DLQ]: handleNotificationsDeadLetter,
};

/** Routes each message to its domain's consumer; failures retry that message only. */
export async function handleQueueBatch(batch: MessageBatch, env: Env, _ec: ExecutionContext): Promise<void> {
  const log = createLogger({ service: 'edgemall', queue: batch.queue });
  for (const m of batch.messages) {
    const msg = m.body as QueueMessage;
    const domain = typeof msg?.type === 'string' ? msg.type.split('.')[0]! : '';
    const handler = DEAD_LETTER_HANDLERS[batch.queue] ?? HANDLERS[domain];
    if (!handler) {
      log.error('no consumer for message type; dropping', { type: msg?.type });
      m.ack();
      continue;
    }
    const ctx: Ctx = { db: getDb(env.DB), env, actor: { kind: 'system', name: `queue:${batch.queue}` }, now: Date.now(), requestId: msg.id, log: log.child({ msgId: msg.id, type: msg.type }) };
    try {
      await handler(ctx, msg);
      m.ack();
    } catch (e) {
      ctx.log.error('consumer failed; will retry', { err: e instanceof Error ? e.message : String(e), attempts: m.attempts });
      m.retry({ delaySeconds: Math.min(60, 2 ** m.attempts) });
    }
  }
}
