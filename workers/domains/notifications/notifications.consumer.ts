import type { Ctx } from '../../shared/context';
import { on, type MessageHandler, type QueueMessage } from '../../shared/events';
import { NOTICES, TemplatedSend } from './events';
import { deliverNotice, recordDeadLetter } from './notifications.service';
import { deliverTemplatedSend } from './marketing/deliver';

/** Dead-letter queue of the notifications consumer (wrangler.toml `dead_letter_queue`). */
export const NOTIFICATIONS_DLQ = 'edgemall-notifications-dlq';

/**
 * `notifications.*` messages: one shopper notification each, sent once per message id. A thrown
 * error makes the queue retry the message with backoff; after the last retry it is dead-lettered.
 * deliverNotice validates the payload against the contract itself, so a malformed message is
 * recorded as failed in notification_log (not only logged).
 */
export const notificationsConsumer: MessageHandler[] = [
  ...NOTICES.map((def) => ({
    type: def.type,
    async handle(ctx: Ctx, msg: QueueMessage) {
      const result = await deliverNotice(ctx, msg);
      if (result === 'duplicate') ctx.log.info('notification already handled; redelivery ignored');
    },
  })),
  // Templated (marketing / service) sends, from the MARKETING queue: exactly once per send row.
  on(TemplatedSend, async (ctx, d) => {
    const result = await deliverTemplatedSend(ctx, d.sendId);
    if (result === 'duplicate') ctx.log.info('templated send already handled; redelivery ignored');
  }),
];

/**
 * Everything arriving on the dead-letter queue (the original messages, after their retries ran
 * out): recorded as failed in notification_log, never sent again automatically.
 */
export async function handleNotificationsDeadLetter(ctx: Ctx, msg: QueueMessage): Promise<void> {
  if (typeof msg?.id !== 'string') {
    ctx.log.error('dead-lettered message without an id; dropping', { type: msg?.type });
    return;
  }
  await recordDeadLetter(ctx, msg);
}
