import { and, desc, eq, sql } from 'drizzle-orm';
import type { Ctx } from '../../../shared/context';
import { iso } from '../../../shared/db';
import { shanghaiDay, shanghaiDayStart } from '../../../shared/calendar';
import { envelope, emit } from '../../../shared/events';
import { newId } from '../../../shared/ids';
import { decodeCursor, olderThanCursor, toPage } from '../../../shared/pagination';
import { getNotificationContact } from '../../users/users.service';
import { TemplatedSend } from '../events';
import type { MessageSendDto } from './dto';
import { availableGrants, getMessageSettings, optOutsOf } from './preferences.service';
import { missingVars, mondayOf, releaseTime } from './render';
import { messageSends, SEND_STATUSES } from './schema';
import { activeTemplates, type TemplateRow } from './templates.service';
import { TRIGGERS, type TriggerKey } from './triggers';

/*
 * Templated sends. Deciding a send is one INSERT: its ref is unique (a repeated call with the same
 * ref answers the first decision) and, for marketing, the same statement counts the shopper's
 * sends of that Beijing day and week and writes 'capped' instead of 'queued' once a cap is
 * reached — SQLite runs one statement at a time, so a burst cannot slip past the cap. Marketing
 * created in quiet hours is written 'scheduled' with the end of the quiet period as due_at and
 * counts against that day; the cron (releaseDueSends) queues it then. Delivery (deliver.ts) runs
 * on the MARKETING queue, apart from the transactional notices.
 */

/** The statuses that use up a cap: going out or gone out. */
const COUNTED = `('scheduled', 'queued', 'sending', 'sent')`;

export interface TemplatedMessage {
  userId: string;
  /** The trigger (template key): 'restock', 'price_drop', 'win_back', … */
  templateKey: TriggerKey;
  /** The trigger's variables, as text (money already in yuan). `time` is filled at delivery. */
  vars: Record<string, string | number>;
  /** Idempotency: the same ref is decided once, ever (e.g. `restock:<subscriptionId>`). */
  ref: string;
}

export interface SendDecision {
  sendId: string;
  status: MessageSendDto['status'];
  reason: string | null;
  /** true when this ref had been decided before: nothing new happened */
  replayed: boolean;
}

type Plan =
  | { status: 'queued' | 'scheduled'; template: TemplateRow; dueAt: number }
  | { status: 'skipped' | 'failed'; template: TemplateRow | null; reason: string };

/** Picks the channel: a subscribe message when the shopper allowed one, else an SMS to their phone. */
async function plan(ctx: Ctx, m: TemplatedMessage, vars: Record<string, string>): Promise<Plan> {
  const [templates, contact] = await Promise.all([activeTemplates(ctx, m.templateKey), getNotificationContact(ctx, m.userId)]);
  if (!contact) return { status: 'skipped', template: null, reason: 'unknown shopper' };
  const anyTemplate = templates.get('wechat_subscribe') ?? templates.get('sms') ?? null;
  if (!anyTemplate) return { status: 'skipped', template: null, reason: `no active template for ${m.templateKey}` };
  const marketing = anyTemplate.purpose === 'marketing';
  const off = marketing ? await optOutsOf(ctx, m.userId) : new Set<string>();
  if (off.has('marketing'))
    return { status: 'skipped', template: anyTemplate, reason: 'unsubscribed: the shopper turned off marketing messages' };
  if (off.has(`kind:${m.templateKey}`))
    return { status: 'skipped', template: anyTemplate, reason: `unsubscribed: the shopper turned off ${TRIGGERS[m.templateKey].label}` };

  const reasons: string[] = [];
  let chosen: TemplateRow | null = null;
  const wx = templates.get('wechat_subscribe');
  if (wx && contact.openid) {
    if (off.has('channel:wechat_subscribe')) reasons.push('subscribe messages turned off');
    else if ((await availableGrants(ctx, m.userId, [wx.wxTemplateId!])) === 0)
      reasons.push('no one-time subscription to the template (未授权订阅消息)');
    else chosen = wx;
  }
  const sms = templates.get('sms');
  if (!chosen && sms && contact.phone) {
    if (off.has('channel:sms')) reasons.push('SMS turned off');
    else chosen = sms;
  }
  if (!chosen) {
    if (!reasons.length) reasons.push('no channel: the shopper has no WeChat openid / phone for the active templates');
    return { status: 'skipped', template: anyTemplate, reason: reasons.join('; ') };
  }
  const missing = missingVars([...Object.values(chosen.fields ?? {}), chosen.page, chosen.smsText], { ...vars, time: '-' });
  if (missing.length) return { status: 'failed', template: chosen, reason: `missing variables: ${missing.join(', ')}` };
  if (chosen.purpose !== 'marketing') return { status: 'queued', template: chosen, dueAt: ctx.now };
  const settings = await getMessageSettings(ctx);
  const dueAt = releaseTime(ctx.now, settings.quietStartHour, settings.quietEndHour);
  return { status: dueAt > ctx.now ? 'scheduled' : 'queued', template: chosen, dueAt };
}

async function byRef(ctx: Ctx, ref: string) {
  const [row] = await ctx.db.select().from(messageSends).where(eq(messageSends.ref, ref)).limit(1);
  return row ?? null;
}

/**
 * Sends a templated message to a shopper — the entry point for other slices (restock, price drop,
 * new arrivals, win-back, tasks). Renders from the trigger's active template on the shopper's
 * channel (subscribe message if they allowed one, else SMS); marketing templates obey the opt-outs,
 * the frequency caps (atomically, per Beijing day and week) and quiet hours (deferred to their end,
 * never dropped). Idempotent per `ref`. Never throws for the shopper's situation: every decision
 * is recorded in message_sends with its status and returned.
 */
export async function sendMarketingMessage(ctx: Ctx, m: TemplatedMessage): Promise<SendDecision> {
  if (!(m.templateKey in TRIGGERS)) throw new Error(`sendMarketingMessage: unknown template key ${m.templateKey}`);
  if (!m.ref || m.ref.length > 200) throw new Error('sendMarketingMessage: ref must be 1–200 characters');
  const prior = await byRef(ctx, m.ref);
  if (prior) return { sendId: prior.id, status: prior.status, reason: prior.reason, replayed: true };

  const vars = Object.fromEntries(Object.entries(m.vars).map(([k, v]) => [k, String(v)]));
  const p = await plan(ctx, m, vars);
  const dueAt = 'dueAt' in p ? p.dueAt : ctx.now;
  const day = shanghaiDay(dueAt);
  const settings = p.status === 'queued' || p.status === 'scheduled' ? await getMessageSettings(ctx) : null;
  const capped = !!settings && p.template?.purpose === 'marketing';
  const id = newId('msg');
  await ctx.env.DB.prepare(
    `WITH counts AS (
       SELECT (SELECT count(*) FROM message_sends WHERE user_id = ?3 AND day = ?11 AND purpose = 'marketing' AND status IN ${COUNTED}) AS d,
              (SELECT count(*) FROM message_sends WHERE user_id = ?3 AND week = ?12 AND purpose = 'marketing' AND status IN ${COUNTED}) AS w)
     INSERT INTO message_sends (id, ref, user_id, template_key, template_id, channel, purpose, vars, status, reason, day, week, due_at, attempts, created_at, updated_at)
     SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8,
       CASE WHEN ?15 = 1 AND d >= ?13 THEN 'capped' WHEN ?15 = 1 AND w >= ?14 THEN 'capped' ELSE ?9 END,
       CASE WHEN ?15 = 1 AND d >= ?13 THEN 'daily cap of ' || CAST(?13 AS INTEGER) || ' reached'
            WHEN ?15 = 1 AND w >= ?14 THEN 'weekly cap of ' || CAST(?14 AS INTEGER) || ' reached' ELSE ?10 END,
       ?11, ?12, ?16, 0, ?17, ?17
     FROM counts WHERE 1
     ON CONFLICT(ref) DO NOTHING`,
  )
    .bind(
      id,
      m.ref,
      m.userId,
      m.templateKey,
      p.template?.id ?? null,
      p.status === 'queued' || p.status === 'scheduled' ? p.template.channel : null,
      p.template?.purpose ?? TRIGGERS[m.templateKey].purpose,
      JSON.stringify(vars),
      p.status,
      'reason' in p ? p.reason : null,
      day,
      mondayOf(day),
      settings?.dailyCap ?? 0,
      settings?.weeklyCap ?? 0,
      capped ? 1 : 0,
      dueAt,
      ctx.now,
    )
    .run();
  const row = (await byRef(ctx, m.ref))!;
  if (row.id !== id) return { sendId: row.id, status: row.status, reason: row.reason, replayed: true };
  if (row.status === 'queued') await enqueue(ctx, [row.id]);
  ctx.log.info('templated message decided', { sendId: id, key: m.templateKey, status: row.status, channel: row.channel });
  return { sendId: row.id, status: row.status, reason: row.reason, replayed: false };
}

/** Puts due sends on the MARKETING queue; a failure leaves them 'queued' for the cron's sweep. */
async function enqueue(ctx: Ctx, ids: string[]): Promise<void> {
  try {
    if (ids.length === 1) await emit(ctx, TemplatedSend, { sendId: ids[0]! }, { id: ids[0]! });
    else
      for (let i = 0; i < ids.length; i += 100)
        await ctx.env.MARKETING.sendBatch(
          ids.slice(i, i + 100).map((sendId) => ({ body: envelope(TemplatedSend, { sendId }, sendId, ctx.now) })),
        );
  } catch (e) {
    ctx.log.error('templated sends not queued; the cron sweep re-queues them', {
      count: ids.length,
      err: e instanceof Error ? e.message : String(e),
    });
  }
}

/** A queued or in-flight send untouched this long lost its queue message: the sweep re-queues it. */
export const STALE_MS = 10 * 60_000;
/** Deliveries a send gets before the sweep gives up on it. */
export const MAX_ATTEMPTS = 5;

/**
 * Cron: queues the scheduled sends whose quiet hours are over, and re-queues sends whose queue
 * message was lost (emit failed, retries ran out) — at most MAX_ATTEMPTS deliveries each.
 * Idempotent: a row moves from 'scheduled' to 'queued' once (guarded UPDATE … RETURNING).
 */
export async function releaseDueSends(ctx: Ctx): Promise<{ released: number; requeued: number; gaveUp: number }> {
  const d1 = ctx.env.DB;
  const released = await d1
    .prepare(
      `UPDATE message_sends SET status = 'queued', updated_at = ?1
       WHERE id IN (SELECT id FROM message_sends WHERE status = 'scheduled' AND due_at <= ?1 ORDER BY due_at LIMIT 500)
         AND status = 'scheduled'
       RETURNING id`,
    )
    .bind(ctx.now)
    .all<{ id: string }>();
  const gaveUp = await d1
    .prepare(
      `UPDATE message_sends SET status = 'failed', reason = 'gave up after ' || attempts || ' attempts: ' || coalesce(reason, 'no answer'), updated_at = ?1
       WHERE status IN ('queued', 'sending') AND due_at <= ?1 AND updated_at < ?2 AND attempts >= ?3
       RETURNING id`,
    )
    .bind(ctx.now, ctx.now - STALE_MS, MAX_ATTEMPTS)
    .all<{ id: string }>();
  const stale = await d1
    .prepare(
      `UPDATE message_sends SET updated_at = ?1, status = 'queued'
       WHERE id IN (SELECT id FROM message_sends WHERE status IN ('queued', 'sending') AND due_at <= ?1 AND updated_at < ?2 LIMIT 200)
       RETURNING id`,
    )
    .bind(ctx.now, ctx.now - STALE_MS)
    .all<{ id: string }>();
  const ids = [...released.results, ...stale.results].map((r) => r.id);
  if (ids.length) await enqueue(ctx, ids);
  return { released: released.results.length, requeued: stale.results.length, gaveUp: gaveUp.results.length };
}

export type SendRow = typeof messageSends.$inferSelect;

export const sendDto = (r: SendRow): MessageSendDto => ({
  id: r.id,
  ref: r.ref,
  userId: r.userId,
  templateKey: r.templateKey,
  templateId: r.templateId,
  channel: r.channel,
  purpose: r.purpose,
  vars: r.vars,
  status: r.status,
  reason: r.reason,
  dueAt: iso(r.dueAt)!,
  attempts: r.attempts,
  createdAt: iso(r.createdAt)!,
  sentAt: iso(r.sentAt),
});

/** listMessageSends (staff, members.read): the send log, newest first, with today's counts by status. */
export async function listMessageSends(
  ctx: Ctx,
  q: { limit: number; cursor?: string; status?: SendRow['status']; userId?: string; templateKey?: string },
) {
  const cur = decodeCursor(q.cursor);
  const rows = await ctx.db
    .select()
    .from(messageSends)
    .where(
      and(
        q.status ? eq(messageSends.status, q.status) : undefined,
        q.userId ? eq(messageSends.userId, q.userId) : undefined,
        q.templateKey ? eq(messageSends.templateKey, q.templateKey) : undefined,
        olderThanCursor(messageSends, cur),
      ),
    )
    .orderBy(desc(messageSends.createdAt), desc(messageSends.id))
    .limit(q.limit + 1);
  const page = toPage(rows, q.limit, (r) => ({ v: r.createdAt, id: r.id }));
  const counts = await ctx.db
    .select({ status: messageSends.status, n: sql<number>`count(*)` })
    .from(messageSends)
    .where(sql`${messageSends.createdAt} >= ${shanghaiDayStart(ctx.now)}`)
    .groupBy(messageSends.status);
  return {
    items: page.items.map(sendDto),
    nextCursor: page.nextCursor,
    today: Object.fromEntries(counts.map((c) => [c.status, Number(c.n)])),
  };
}

/** One send (tests, the delivery). */
export async function sendRow(ctx: Ctx, id: string): Promise<SendRow | null> {
  const [row] = await ctx.db.select().from(messageSends).where(eq(messageSends.id, id)).limit(1);
  return row ?? null;
}

/** How many sends of one trigger are in each status (the win-back report's notice counts). */
export async function sendStatusCounts(ctx: Ctx, templateKey: TriggerKey): Promise<Record<SendRow['status'], number>> {
  const rows = await ctx.db
    .select({ status: messageSends.status, n: sql<number>`count(*)` })
    .from(messageSends)
    .where(eq(messageSends.templateKey, templateKey))
    .groupBy(messageSends.status);
  const out = Object.fromEntries(SEND_STATUSES.map((s) => [s, 0])) as Record<SendRow['status'], number>;
  for (const r of rows) out[r.status] = r.n;
  return out;
}
