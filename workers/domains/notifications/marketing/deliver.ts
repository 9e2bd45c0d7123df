import type { Ctx } from '../../../shared/context';
import { getNotificationContact } from '../../users/users.service';
import { beijingTime } from '../notifications.service';
import { providersFor, type SendOutcome } from '../providers';
import { optOutsOf, takeSubscribeGrant } from './preferences.service';
import { renderSms, renderWechatData } from './render';
import { sendRow, type SendRow } from './send.service';
import { templateRow } from './templates.service';
import { TRIGGERS, type TriggerKey } from './triggers';

/** A delivery that claimed a send and then died is taken over after this long. */
export const SEND_LEASE_MS = 30_000;

const FINAL = new Set(['sent', 'skipped', 'failed', 'capped']);

export type TemplatedDelivery = 'sent' | 'skipped' | 'failed' | 'duplicate' | 'not_due' | 'missing';

/**
 * Delivers one templated send (a `notifications.templated_send` message) exactly once: claims the
 * row ('queued' → 'sending', one guarded UPDATE), checks the shopper still wants it (opt-outs are
 * read again: they may have unsubscribed during quiet hours), takes a one-time subscription for a
 * subscribe message, renders and sends through the providers, records the outcome. Throws on a
 * transient failure (the row goes back to 'queued' and the queue retries).
 */
export async function deliverTemplatedSend(ctx: Ctx, sendId: string): Promise<TemplatedDelivery> {
  const row = await sendRow(ctx, sendId);
  if (!row) {
    ctx.log.error('templated send not found; dropping its message', { sendId });
    return 'missing';
  }
  if (FINAL.has(row.status)) return 'duplicate';
  if (row.status === 'scheduled') return 'not_due'; // the cron queues it when its quiet hours end
  const claimed = await ctx.env.DB.prepare(
    `UPDATE message_sends SET status = 'sending', attempts = attempts + 1, updated_at = ?2
     WHERE id = ?1 AND (status = 'queued' OR (status = 'sending' AND updated_at < ?3))
     RETURNING id`,
  )
    .bind(sendId, ctx.now, ctx.now - SEND_LEASE_MS)
    .first<{ id: string }>();
  if (!claimed) {
    const again = await sendRow(ctx, sendId);
    if (again && FINAL.has(again.status)) return 'duplicate';
    throw new Error('another delivery of this send is in flight; retrying later');
  }
  const finish = async (o: SendOutcome) => {
    await ctx.env.DB.prepare(`UPDATE message_sends SET status = ?2, reason = ?3, updated_at = ?4, sent_at = ?5 WHERE id = ?1`)
      .bind(sendId, o.status, o.status === 'sent' ? null : o.reason.slice(0, 500), ctx.now, o.status === 'sent' ? ctx.now : null)
      .run();
    ctx.log.info('templated message delivered', { sendId, key: row.templateKey, channel: row.channel, status: o.status });
    return o.status;
  };

  let run: () => Promise<SendOutcome>;
  try {
    const prepared = await prepare(ctx, row);
    if ('status' in prepared) return finish(prepared);
    run = prepared.run;
  } catch (e) {
    await backToQueue(ctx, sendId, e);
    throw e;
  }
  let outcome: SendOutcome;
  try {
    outcome = await run();
  } catch (e) {
    await backToQueue(ctx, sendId, e);
    throw e;
  }
  return finish(outcome);
}

async function backToQueue(ctx: Ctx, sendId: string, e: unknown) {
  const reason = `retrying: ${e instanceof Error ? e.message : String(e)}`.slice(0, 500);
  await ctx.env.DB.prepare(`UPDATE message_sends SET status = 'queued', reason = ?2, updated_at = ?3 WHERE id = ?1 AND status = 'sending'`)
    .bind(sendId, reason, ctx.now)
    .run()
    .catch(() => undefined); // the lease then simply expires
}

/** Either a final outcome decided without sending, or the send to run. */
async function prepare(ctx: Ctx, row: SendRow): Promise<SendOutcome | { run: () => Promise<SendOutcome> }> {
  const skip = (reason: string): SendOutcome => ({ status: 'skipped', reason });
  if (!row.templateId || !row.channel) return skip('nothing to send');
  if (row.purpose === 'marketing') {
    const off = await optOutsOf(ctx, row.userId);
    if (off.has('marketing')) return skip('unsubscribed: the shopper turned off marketing messages');
    if (off.has(`kind:${row.templateKey}`))
      return skip(`unsubscribed: the shopper turned off ${TRIGGERS[row.templateKey as TriggerKey]?.label ?? row.templateKey}`);
    if (off.has(`channel:${row.channel}`))
      return skip(`unsubscribed: the shopper turned off ${row.channel === 'sms' ? 'SMS' : 'subscribe messages'}`);
  }
  const template = await templateRow(ctx, row.templateId);
  if (template.status !== 'active') return skip('the template was disabled');
  const contact = await getNotificationContact(ctx, row.userId);
  const vars: Record<string, string> = { ...row.vars, time: beijingTime(ctx.now) };
  const providers = providersFor(ctx.env);
  if (row.channel === 'wechat_subscribe') {
    if (!contact?.openid) return skip('the shopper has no WeChat openid');
    if (!(await takeSubscribeGrant(ctx, row.userId, template.wxTemplateId!, row.id)))
      return skip('no one-time subscription left (用户未订阅或已用完)');
    const page = template.page?.replace(/\$\{(\w+)\}/g, (_, n: string) => encodeURIComponent(vars[n] ?? ''));
    const payload = {
      touser: contact.openid,
      template_id: template.wxTemplateId!,
      ...(page ? { page } : {}),
      data: renderWechatData(template.fields ?? {}, vars),
      lang: 'zh_CN' as const,
    };
    return { run: () => providers.wechat.send(payload, ctx.log) };
  }
  if (!contact?.phone) return skip('the shopper has no phone');
  const sms = renderSms(template.smsSign!, template.smsText!, vars);
  const payload = { phone: contact.phone, template: template.smsTemplateCode!, sign: template.smsSign!, params: sms.params };
  return { run: () => providers.sms.send(payload, ctx.log) };
}
