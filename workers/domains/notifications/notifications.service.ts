import type { Ctx } from '../../shared/context';
import type { Env } from '../../shared/env';
import { fenToYuan } from '../../shared/money';
import { getNotificationContact } from '../users/users.service';
import {
  NoticeDataSchema,
  ORDER_PAID_NOTICE,
  ORDER_SHIPPED_NOTICE,
  REFUND_RESULT_NOTICE,
  type NoticeData,
  type NoticeType,
  type RefundResultStatus,
} from './events';
import { providersFor, wechatConfigured, type Channel, type SendOutcome, type SmsPayload, type WechatSubscribePayload } from './providers';

/*
 * Exactly-once delivery on top of an at-least-once queue. notification_log has one row per
 * message id and only the statuses sent / skipped / failed, so the row's `error` says where a
 * not-yet-final message stands:
 *   status 'failed', error 'in_flight'          a delivery claimed it at updated_at and is sending
 *   status 'failed', error 'retrying: <reason>' the last attempt failed transiently; the queue retries
 *   status 'failed', any other error            final (permanent refusal or dead-lettered)
 *   status 'sent' | 'skipped'                   final
 * A delivery sends only after claiming the row (one atomic upsert), so a redelivered or
 * concurrently delivered message is not sent twice. A claim older than the lease belongs to a
 * delivery that died mid-send; it is taken over — the one case where WeChat may get the message
 * twice, because nothing can make an HTTP call and a D1 write atomic.
 */
const IN_FLIGHT = 'in_flight';
const RETRYING = 'retrying: ';
/** Longer than a healthy send (two HTTP calls of ≤ 10 s each), shorter than the queue's retry budget. */
export const CLAIM_LEASE_MS = 30_000;

export type NoticeKind = 'order_paid' | 'order_shipped' | 'refund_result';
const KIND_OF: Record<NoticeType, NoticeKind> = {
  [ORDER_PAID_NOTICE]: 'order_paid',
  [ORDER_SHIPPED_NOTICE]: 'order_shipped',
  [REFUND_RESULT_NOTICE]: 'refund_result',
};

/** The subscribe-message template configured for each notice (WeChat MP console → 订阅消息). */
function templateIdFor(env: Env, kind: NoticeKind): string | undefined {
  return {
    order_paid: env.WECHAT_TEMPLATE_ORDER_PAID,
    order_shipped: env.WECHAT_TEMPLATE_ORDER_SHIPPED,
    refund_result: env.WECHAT_TEMPLATE_REFUND_RESULT,
  }[kind];
}

/** Mini-program page a subscribe message opens. */
export const ORDER_PAGE = (orderId: string) => `pages/order/detail?id=${orderId}`;

// WeChat checks each keyword's type: thing ≤ 20 characters, character_string ≤ 32, phrase ≤ 5.
const cut = (s: string, max: number) => {
  const chars = [...s];
  return chars.length <= max ? s : `${chars.slice(0, max - 1).join('')}…`;
};
const thing = (s: string) => ({ value: cut(s, 20) });
const charString = (s: string) => ({ value: [...s].slice(0, 32).join('') });
const yuan = (amount: number | undefined) => `¥${fenToYuan(amount ?? 0)}`;

/** "2026年11月25日 20:00" in Beijing time (UTC+8, no daylight saving), the format WeChat's time keyword takes. */
export function beijingTime(ms: number): string {
  const d = new Date(ms + 8 * 3600_000);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getUTCFullYear()}年${d.getUTCMonth() + 1}月${d.getUTCDate()}日 ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}`;
}

const REFUND_PHRASE: Record<RefundResultStatus, string> = { succeeded: '退款成功', closed: '退款关闭', abnormal: '退款异常' };
const REFUND_REMARK: Record<RefundResultStatus, string> = {
  succeeded: '退款已原路退回，请注意查收',
  closed: '退款已关闭，如有疑问请联系客服',
  abnormal: '退款遇到问题，客服正在处理',
};

/**
 * The subscribe-message body. Keyword names are fixed per template, so the templates chosen in
 * the MP console must have these keywords:
 *   order_paid     character_string1 订单号, amount2 支付金额, thing3 温馨提示, time4 支付时间
 *   order_shipped  character_string1 订单号, thing2 快递公司, character_string3 快递单号, thing4 温馨提示
 *   refund_result  character_string1 订单号, amount2 退款金额, phrase3 退款状态, thing4 备注
 */
export function wechatPayload(kind: NoticeKind, d: NoticeData, touser: string, templateId: string, at: number): WechatSubscribePayload {
  const base = { touser, template_id: templateId, page: ORDER_PAGE(d.orderId), lang: 'zh_CN' as const };
  if (kind === 'order_paid')
    return {
      ...base,
      data: {
        character_string1: charString(d.orderNo),
        amount2: { value: yuan(d.amount) },
        thing3: thing('订单已支付，商家正在备货'),
        time4: { value: beijingTime(at) },
      },
    };
  if (kind === 'order_shipped')
    return {
      ...base,
      data: {
        character_string1: charString(d.orderNo),
        thing2: thing(d.carrierName ?? '快递'),
        character_string3: charString(d.trackingNo ?? ''),
        thing4: thing('包裹已发出，请留意物流信息'),
      },
    };
  const status = d.refundStatus ?? 'succeeded';
  return {
    ...base,
    data: {
      character_string1: charString(d.orderNo),
      amount2: { value: yuan(d.amount) },
      phrase3: { value: REFUND_PHRASE[status] },
      thing4: thing(REFUND_REMARK[status]),
    },
  };
}

/** The SMS for phone-only (H5) shoppers: template name plus params; the gateway owns the wording. */
export function smsPayload(kind: NoticeKind, d: NoticeData, phone: string): SmsPayload {
  const params: Record<string, string> = { orderNo: d.orderNo };
  if (kind === 'order_paid') params.amount = fenToYuan(d.amount ?? 0);
  if (kind === 'order_shipped') Object.assign(params, { carrier: d.carrierName ?? '', trackingNo: d.trackingNo ?? '' });
  if (kind === 'refund_result')
    Object.assign(params, { amount: fenToYuan(d.amount ?? 0), status: REFUND_PHRASE[d.refundStatus ?? 'succeeded'] });
  return { phone, template: `edgemall_${kind}`, params };
}

interface Plan {
  channel: Channel;
  template: string;
  /** Sends, returning a final outcome, or throws on a transient failure. */
  run: () => Promise<SendOutcome>;
}

/** Picks the channel (WeChat for shoppers with an openid, else SMS for phone shoppers) and builds its payload. */
async function planDelivery(ctx: Ctx, kind: NoticeKind, d: NoticeData, at: number): Promise<Plan> {
  const providers = providersFor(ctx.env);
  const skip = (channel: Channel, template: string, reason: string): Plan => ({
    channel,
    template,
    run: async () => ({ status: 'skipped', reason }),
  });
  const contact = await getNotificationContact(ctx, d.userId);
  if (contact?.openid) {
    // Dev sends to the log sink, which needs no real template id.
    const templateId = templateIdFor(ctx.env, kind) ?? (wechatConfigured(ctx.env) ? undefined : `dev_${kind}`);
    if (!templateId) return skip(providers.wechat.channel, kind, `no WeChat template configured for ${kind}`);
    const payload = wechatPayload(kind, d, contact.openid, templateId, at);
    return { channel: providers.wechat.channel, template: templateId, run: () => providers.wechat.send(payload, ctx.log) };
  }
  if (contact?.phone) {
    const payload = smsPayload(kind, d, contact.phone);
    return { channel: providers.sms.channel, template: payload.template, run: () => providers.sms.send(payload, ctx.log) };
  }
  return skip('log', kind, contact ? 'the shopper has neither a WeChat openid nor a phone' : 'unknown user');
}

export type DeliveryResult = 'sent' | 'skipped' | 'failed' | 'duplicate';

/**
 * Delivers one notification message once: claims its notification_log row, sends through the
 * provider, records the outcome. Throws on transient failures (the queue retries; after the last
 * retry the message goes to the dead-letter queue) and when another delivery of the same message
 * is in flight (so this copy is retried rather than lost, in case that delivery dies).
 */
export async function deliverNotice(ctx: Ctx, msg: { id: string; type: string; at: number; data: unknown }): Promise<DeliveryResult> {
  const kind = KIND_OF[msg.type as NoticeType];
  const parsed = NoticeDataSchema.safeParse(msg.data);
  if (!kind || !parsed.success) {
    // Retrying cannot fix a malformed message: record it as failed and move on.
    const reason = !kind
      ? `unknown notification type ${msg.type}`
      : `invalid payload: ${parsed.error!.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`;
    ctx.log.error('notification message rejected', { reason });
    await ctx.env.DB.prepare(
      `INSERT INTO notification_log (id, channel, template, user_id, status, attempts, error, created_at, updated_at)
       VALUES (?1, 'log', ?2, ?3, 'failed', 1, ?4, ?5, ?5) ON CONFLICT(id) DO NOTHING`,
    )
      .bind(
        msg.id,
        kind ?? msg.type,
        typeof (msg.data as { userId?: unknown })?.userId === 'string' ? (msg.data as { userId: string }).userId : null,
        reason,
        ctx.now,
      )
      .run();
    return 'failed';
  }
  const d = parsed.data;
  // Cheap early exit for the common redelivery, before looking up the shopper.
  const existing = await logRow(ctx, msg.id);
  if (existing && isFinal(existing)) return 'duplicate';

  const plan = await planDelivery(ctx, kind, d, msg.at);
  const claimed = await ctx.env.DB.prepare(
    `INSERT INTO notification_log (id, channel, template, user_id, status, attempts, error, created_at, updated_at)
     VALUES (?1, ?2, ?3, ?4, 'failed', 1, '${IN_FLIGHT}', ?5, ?5)
     ON CONFLICT(id) DO UPDATE SET attempts = notification_log.attempts + 1, error = '${IN_FLIGHT}', updated_at = ?5,
       channel = excluded.channel, template = excluded.template
     WHERE notification_log.status = 'failed'
       AND (notification_log.error LIKE '${RETRYING}%' OR (notification_log.error = '${IN_FLIGHT}' AND notification_log.updated_at < ?6))
     RETURNING attempts`,
  )
    .bind(msg.id, plan.channel, plan.template, d.userId, ctx.now, ctx.now - CLAIM_LEASE_MS)
    .first<{ attempts: number }>();
  if (!claimed) {
    const row = await logRow(ctx, msg.id);
    if (row && isFinal(row)) return 'duplicate';
    throw new Error('another delivery of this notification is in flight; retrying later');
  }

  let outcome: SendOutcome;
  try {
    outcome = await plan.run();
  } catch (e) {
    const reason = e instanceof Error ? e.message : String(e);
    await ctx.env.DB.prepare('UPDATE notification_log SET error = ?2, updated_at = ?3 WHERE id = ?1')
      .bind(msg.id, `${RETRYING}${reason}`.slice(0, 500), Date.now())
      .run()
      .catch(() => undefined); // the claim then simply expires
    throw e;
  }
  await ctx.env.DB.prepare('UPDATE notification_log SET status = ?2, error = ?3, updated_at = ?4 WHERE id = ?1')
    .bind(msg.id, outcome.status, outcome.status === 'sent' ? null : outcome.reason.slice(0, 500), Date.now())
    .run();
  ctx.log.info('notification delivered', {
    kind,
    channel: plan.channel,
    status: outcome.status,
    attempts: claimed.attempts,
    orderId: d.orderId,
  });
  return outcome.status;
}

/**
 * A message that exhausted its retries (it arrives from the dead-letter queue): its log row
 * becomes a final 'failed' keeping the last error. A row that is already final is left alone.
 */
export async function recordDeadLetter(ctx: Ctx, msg: { id: string; type: string; data: unknown }): Promise<void> {
  const kind = KIND_OF[msg.type as NoticeType] ?? String(msg.type);
  const userId = typeof (msg.data as { userId?: unknown })?.userId === 'string' ? (msg.data as { userId: string }).userId : null;
  const row = await logRow(ctx, msg.id);
  const last = row?.error?.startsWith(RETRYING)
    ? row.error.slice(RETRYING.length)
    : row?.error === IN_FLIGHT
      ? 'a delivery died mid-send'
      : 'no send was attempted';
  const error = `dead-lettered after retries: ${last}`.slice(0, 500);
  // A message that never got as far as choosing a channel records 'log': nothing was sent anywhere.
  await ctx.env.DB.prepare(
    `INSERT INTO notification_log (id, channel, template, user_id, status, attempts, error, created_at, updated_at)
     VALUES (?1, 'log', ?2, ?3, 'failed', 0, ?4, ?5, ?5)
     ON CONFLICT(id) DO UPDATE SET error = ?4, updated_at = ?5
     WHERE notification_log.status = 'failed' AND (notification_log.error = '${IN_FLIGHT}' OR notification_log.error LIKE '${RETRYING}%')`,
  )
    .bind(msg.id, kind, userId, error, ctx.now)
    .run();
  ctx.log.error('notification dead-lettered', { kind, error });
}

interface LogRow {
  status: 'sent' | 'failed' | 'skipped';
  error: string | null;
}

async function logRow(ctx: Ctx, id: string): Promise<LogRow | null> {
  return ctx.env.DB.prepare('SELECT status, error FROM notification_log WHERE id = ?').bind(id).first<LogRow>();
}

function isFinal(r: LogRow): boolean {
  return r.status !== 'failed' || (r.error !== IN_FLIGHT && !r.error?.startsWith(RETRYING));
}
