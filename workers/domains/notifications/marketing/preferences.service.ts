import { and, eq, inArray, sql } from 'drizzle-orm';
import { shopperId, type Ctx } from '../../../shared/context';
import { batchFailure, stmt } from '../../../shared/db';
import { AppError, forbidden } from '../../../shared/errors';
import { newId } from '../../../shared/ids';
import type { MessageSettingsDto, UpdateMyMessageSettingsInput } from './dto';
import { messageOptOuts, messageSettings, subscribeGrants } from './schema';
import { activeWechatTemplates } from './templates.service';
import { TRIGGERS, type TriggerKey } from './triggers';

/** Until an operator changes them: 2 marketing messages a day, 5 a week, quiet 22:00–08:00. */
export const DEFAULT_MESSAGE_SETTINGS: MessageSettingsDto = { dailyCap: 2, weeklyCap: 5, quietStartHour: 22, quietEndHour: 8 };

/** The operator's frequency caps and quiet hours. */
export async function getMessageSettings(ctx: Ctx): Promise<MessageSettingsDto> {
  const [row] = await ctx.db.select().from(messageSettings).where(eq(messageSettings.id, 'default')).limit(1);
  if (!row) return DEFAULT_MESSAGE_SETTINGS;
  return { dailyCap: row.dailyCap, weeklyCap: row.weeklyCap, quietStartHour: row.quietStartHour, quietEndHour: row.quietEndHour };
}

/** updateMessageSettings (staff, members.write). Takes effect for sends decided from now on. */
export async function updateMessageSettings(ctx: Ctx, input: Partial<MessageSettingsDto>): Promise<MessageSettingsDto> {
  if (ctx.actor.kind !== 'staff') throw forbidden('this is for staff');
  const next = { ...(await getMessageSettings(ctx)), ...input };
  if (next.weeklyCap < next.dailyCap) throw validation('weeklyCap', 'the weekly cap cannot be below the daily cap');
  await ctx.db
    .insert(messageSettings)
    .values({ id: 'default', ...next, updatedAt: ctx.now })
    .onConflictDoUpdate({ target: messageSettings.id, set: { ...next, updatedAt: ctx.now } });
  return next;
}

/** A refusal shaped like a schema failure (400 validation.failed with the field's path). */
const validation = (path: string, message: string) =>
  new AppError('validation.failed', 400, `body: ${path} — ${message}`, { in: 'json', issues: [{ path, message, code: 'custom' }] });

/** The topics a shopper switched off ('marketing', 'channel:sms', 'kind:restock', …). */
export async function optOutsOf(ctx: Ctx, userId: string): Promise<Set<string>> {
  const rows = await ctx.db.select({ topic: messageOptOuts.topic }).from(messageOptOuts).where(eq(messageOptOuts.userId, userId));
  return new Set(rows.map((r) => r.topic));
}

/** The mutable (marketing) kinds a shopper sees in 消息设置. */
const MUTABLE_KINDS = (Object.keys(TRIGGERS) as TriggerKey[]).filter((k) => TRIGGERS[k].shopperCanMute);

/** getMyMessageSettings: the shopper's switches and the subscribe messages they can authorise. */
export async function getMyMessageSettings(ctx: Ctx) {
  const userId = shopperId(ctx);
  const [off, templates, grants] = await Promise.all([
    optOutsOf(ctx, userId),
    activeWechatTemplates(ctx),
    ctx.db
      .select({ wxTemplateId: subscribeGrants.wxTemplateId, n: sql<number>`count(*)` })
      .from(subscribeGrants)
      .where(and(eq(subscribeGrants.userId, userId), eq(subscribeGrants.status, 'available')))
      .groupBy(subscribeGrants.wxTemplateId),
  ]);
  const remaining = new Map(grants.map((g) => [g.wxTemplateId, Number(g.n)]));
  return {
    marketing: !off.has('marketing'),
    channels: { wechat_subscribe: !off.has('channel:wechat_subscribe'), sms: !off.has('channel:sms') },
    kinds: MUTABLE_KINDS.map((key) => ({ key, label: TRIGGERS[key].label, enabled: !off.has(`kind:${key}`) })),
    subscribeTemplates: templates
      .filter((t) => t.wxTemplateId)
      .map((t) => ({
        key: t.key as TriggerKey,
        label: TRIGGERS[t.key as TriggerKey]?.label ?? t.name,
        wxTemplateId: t.wxTemplateId!,
        remaining: remaining.get(t.wxTemplateId!) ?? 0,
      })),
  };
}

/**
 * updateMyMessageSettings: switches marketing (all), a channel or a kind on or off. Opt-outs are
 * rows (present = off), so each switch is one idempotent insert or delete.
 */
export async function updateMyMessageSettings(ctx: Ctx, input: UpdateMyMessageSettingsInput) {
  const userId = shopperId(ctx);
  const wanted: [topic: string, on: boolean][] = [];
  if (input.marketing !== undefined) wanted.push(['marketing', input.marketing]);
  for (const [ch, on] of Object.entries(input.channels ?? {})) if (on !== undefined) wanted.push([`channel:${ch}`, on]);
  for (const [key, on] of Object.entries(input.kinds ?? {})) {
    if (!TRIGGERS[key as TriggerKey]?.shopperCanMute) throw validation(`kinds.${key}`, 'service messages cannot be switched off');
    wanted.push([`kind:${key}`, on]);
  }
  const d1 = ctx.env.DB;
  const stmts = wanted.map(([topic, on]) =>
    on
      ? stmt(d1, ctx.db.delete(messageOptOuts).where(and(eq(messageOptOuts.userId, userId), eq(messageOptOuts.topic, topic))))
      : stmt(d1, ctx.db.insert(messageOptOuts).values({ userId, topic, createdAt: ctx.now }).onConflictDoNothing()),
  );
  if (stmts.length) await d1.batch(stmts);
  return getMyMessageSettings(ctx);
}

/**
 * recordSubscribeResults: what `wx.requestSubscribeMessage` answered. Each 'accept' is one send the
 * shopper allowed (a one-time subscription, used up by one message); other answers are kept as
 * refusals. Ids no active template uses are ignored. Idempotent on the Idempotency-Key: a retried
 * report records nothing more.
 */
export async function recordSubscribeResults(
  ctx: Ctx,
  input: { results: { templateId: string; result: 'accept' | 'reject' | 'ban' | 'filter' }[] },
  key: string,
) {
  const userId = shopperId(ctx);
  const known = new Set((await activeWechatTemplates(ctx)).map((t) => t.wxTemplateId));
  const ignored = [...new Set(input.results.filter((r) => !known.has(r.templateId)).map((r) => r.templateId))];
  const rows = input.results
    .filter((r) => known.has(r.templateId))
    // one result per template per report (WeChat answers each id once)
    .filter((r, i, all) => all.findIndex((x) => x.templateId === r.templateId) === i)
    .map((r) => ({
      id: newId('sgr'),
      userId,
      wxTemplateId: r.templateId,
      result: r.result,
      status: r.result === 'accept' ? ('available' as const) : ('refused' as const),
      ref: `${userId}:${key}:${r.templateId}`,
      createdAt: ctx.now,
    }));
  let recorded = 0;
  if (rows.length) {
    const res = await ctx.env.DB.batch(rows.map((r) => stmt(ctx.env.DB, ctx.db.insert(subscribeGrants).values(r).onConflictDoNothing())));
    recorded = res.reduce((n, r) => n + (r.meta.changes ?? 0), 0);
  }
  return { recorded, ignored, settings: await getMyMessageSettings(ctx) };
}

/**
 * Takes one of the shopper's one-time subscriptions to `wxTemplateId` for `sendId`, or finds the
 * one this send already took (a retried delivery). One guarded UPDATE: two sends never take the
 * same grant. False when the shopper has none left.
 */
export async function takeSubscribeGrant(ctx: Ctx, userId: string, wxTemplateId: string, sendId: string): Promise<boolean> {
  const mine = await ctx.db.select({ id: subscribeGrants.id }).from(subscribeGrants).where(eq(subscribeGrants.sendId, sendId)).limit(1);
  if (mine.length) return true;
  try {
    const r = await ctx.env.DB.prepare(
      `UPDATE subscribe_grants SET status = 'used', send_id = ?1, used_at = ?2
       WHERE id = (SELECT id FROM subscribe_grants WHERE user_id = ?3 AND wx_template_id = ?4 AND status = 'available'
                   ORDER BY created_at, id LIMIT 1)
         AND status = 'available'`,
    )
      .bind(sendId, ctx.now, userId, wxTemplateId)
      .run();
    return (r.meta.changes ?? 0) === 1;
  } catch (e) {
    // a concurrent delivery of the same send took one first (send_id is unique)
    if (batchFailure(e) === 'unique') return true;
    throw e;
  }
}

/** Unused one-time subscriptions per template id (the console's send log shows them per shopper). */
export async function availableGrants(ctx: Ctx, userId: string, wxTemplateIds: string[]): Promise<number> {
  if (!wxTemplateIds.length) return 0;
  const [r] = await ctx.db
    .select({ n: sql<number>`count(*)` })
    .from(subscribeGrants)
    .where(
      and(
        eq(subscribeGrants.userId, userId),
        eq(subscribeGrants.status, 'available'),
        inArray(subscribeGrants.wxTemplateId, wxTemplateIds),
      ),
    );
  return Number(r?.n ?? 0);
}

/** Whether the shopper ever allowed a subscribe message (the task centre's 订阅消息 task). */
export async function hasAcceptedSubscription(ctx: Ctx, userId: string): Promise<boolean> {
  const [r] = await ctx.db
    .select({ id: subscribeGrants.id })
    .from(subscribeGrants)
    .where(and(eq(subscribeGrants.userId, userId), eq(subscribeGrants.result, 'accept')))
    .limit(1);
  return !!r;
}
