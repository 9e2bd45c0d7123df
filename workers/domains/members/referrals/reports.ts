// The console's side of 老带新: programme settings, the leaderboard, the fraud report and the
// binding lookup (members.read / members.write).
import { desc, eq, inArray, or } from 'drizzle-orm';
import type { Ctx } from '../../../shared/context';
import { DAY_MS, shanghaiDateStart } from '../../../shared/calendar';
import { D1_IN_CHUNK, inChunks, iso } from '../../../shared/db';
import { badRequest } from '../../../shared/errors';
import { getNicknames } from '../../users/users.service';
import { templateRow } from '../../promotions/coupons/templates.service';
import type { AdminReferralDto, ReferralSettingsDto, ReferralSettingsInput } from './dto';
import { existingInviteCode, inviterOfCode } from './codes';
import { INVALID_REASON_TEXT, referralProgramme, saveReferralProgramme, settingsDto } from './settings';
import { REFERRAL_INVALID_REASONS, referralRewards, referrals, type ReferralInvalidReason } from './schema';
import { couponNamesOf, grantLabel } from './view';

/** getReferralSettings */
export async function getReferralSettings(ctx: Ctx): Promise<ReferralSettingsDto> {
  const p = await referralProgramme(ctx);
  return settingsDto(p, await couponNamesOf(ctx, p));
}

/**
 * updateReferralSettings: a coupon reward must name an active template whose channels include
 * 'referral' (400 members.coupon_not_referral otherwise), so a reward never silently grants nothing.
 */
export async function updateReferralSettings(ctx: Ctx, input: ReferralSettingsInput): Promise<ReferralSettingsDto> {
  for (const [path, r] of [
    ['inviterReward', input.inviterReward],
    ['inviteeReward', input.inviteeReward],
  ] as const) {
    if (r.type !== 'coupon') continue;
    const t = await templateRow(ctx, r.couponTemplateId).catch(() => null);
    if (!t || t.status !== 'active' || !t.channels.includes('referral'))
      throw badRequest('members.coupon_not_referral', "the coupon template must exist, be active and include the 'referral' channel", {
        path: `${path}.couponTemplateId`,
      });
  }
  await saveReferralProgramme(ctx, input);
  ctx.log.info('referral programme updated', { enabled: input.enabled, staffId: ctx.actor.kind === 'staff' ? ctx.actor.staffId : null });
  return getReferralSettings(ctx);
}

const periodBounds = (q: { from: string; to: string }) => ({ start: shanghaiDateStart(q.from), end: shanghaiDateStart(q.to) + DAY_MS });

/** getReferralLeaderboard: inviters by rewarded invites, then reward amount, over Beijing days [from, to]. */
export async function referralLeaderboard(ctx: Ctx, q: { from: string; to: string }) {
  const { start, end } = periodBounds(q);
  const d1 = ctx.env.DB;
  const [counts, amounts, totals] = await Promise.all([
    d1
      .prepare(
        `SELECT inviter_id AS id,
                sum(status = 'rewarded' AND decided_day BETWEEN ?1 AND ?2) AS rewarded,
                sum(bound_at >= ?3 AND bound_at < ?4) AS bound
           FROM referrals WHERE decided_day BETWEEN ?1 AND ?2 OR (bound_at >= ?3 AND bound_at < ?4)
          GROUP BY inviter_id`,
      )
      .bind(q.from, q.to, start, end)
      .all<{ id: string; rewarded: number; bound: number }>(),
    d1
      .prepare(
        `SELECT user_id AS id,
                coalesce(sum(CASE WHEN kind = 'points' THEN amount - clawed_back END), 0) AS points,
                coalesce(sum(CASE WHEN kind = 'cash' THEN amount - clawed_back END), 0) AS cash,
                coalesce(sum(CASE WHEN kind = 'coupon' THEN amount - clawed_back END), 0) AS couponValue
           FROM referral_rewards WHERE side = 'inviter' AND created_at >= ?1 AND created_at < ?2
          GROUP BY user_id`,
      )
      .bind(start, end)
      .all<{ id: string; points: number; cash: number; couponValue: number }>(),
    d1
      .prepare(
        `SELECT sum(bound_at >= ?3 AND bound_at < ?4) AS bound,
                sum(status = 'rewarded' AND decided_day BETWEEN ?1 AND ?2) AS rewarded,
                sum(status = 'invalid' AND decided_day BETWEEN ?1 AND ?2) AS blocked
           FROM referrals WHERE decided_day BETWEEN ?1 AND ?2 OR (bound_at >= ?3 AND bound_at < ?4)`,
      )
      .bind(q.from, q.to, start, end)
      .first<{ bound: number | null; rewarded: number | null; blocked: number | null }>(),
  ]);
  const rows = new Map<string, { inviterId: string; rewarded: number; bound: number; points: number; cash: number; couponValue: number }>();
  const row = (id: string) => {
    let r = rows.get(id);
    if (!r) rows.set(id, (r = { inviterId: id, rewarded: 0, bound: 0, points: 0, cash: 0, couponValue: 0 }));
    return r;
  };
  for (const c of counts.results) Object.assign(row(c.id), { rewarded: Number(c.rewarded ?? 0), bound: Number(c.bound ?? 0) });
  for (const a of amounts.results)
    Object.assign(row(a.id), { points: Number(a.points), cash: Number(a.cash), couponValue: Number(a.couponValue) });
  const top = [...rows.values()]
    .filter((r) => r.rewarded > 0 || r.bound > 0 || r.points > 0 || r.cash > 0 || r.couponValue > 0)
    .sort(
      (a, b) =>
        b.rewarded - a.rewarded || b.cash + b.points - (a.cash + a.points) || b.bound - a.bound || a.inviterId.localeCompare(b.inviterId),
    )
    .slice(0, 50);
  const names = await getNicknames(
    ctx,
    top.map((r) => r.inviterId),
  );
  const sum = (k: 'points' | 'cash' | 'couponValue') => amounts.results.reduce((s, a) => s + Number(a[k]), 0);
  return {
    from: q.from,
    to: q.to,
    items: top.map((r) => ({ ...r, nickname: names.get(r.inviterId) ?? r.inviterId })),
    totals: {
      bound: Number(totals?.bound ?? 0),
      rewarded: Number(totals?.rewarded ?? 0),
      blocked: Number(totals?.blocked ?? 0),
      points: sum('points'),
      cash: sum('cash'),
      couponValue: sum('couponValue'),
    },
  };
}

/** getReferralFraudReport: blocked rewards by reason and by day, and the inviters with the most blocked invites. */
export async function referralFraudReport(ctx: Ctx, q: { from: string; to: string }) {
  const d1 = ctx.env.DB;
  const [reasons, days, inviters] = await Promise.all([
    d1
      .prepare(
        "SELECT invalid_reason AS reason, count(*) AS n FROM referrals WHERE status = 'invalid' AND decided_day BETWEEN ?1 AND ?2 GROUP BY invalid_reason",
      )
      .bind(q.from, q.to)
      .all<{ reason: ReferralInvalidReason; n: number }>(),
    d1
      .prepare(
        "SELECT decided_day AS day, sum(status = 'invalid') AS blocked, sum(status = 'rewarded') AS rewarded FROM referrals WHERE decided_day BETWEEN ?1 AND ?2 GROUP BY decided_day ORDER BY decided_day",
      )
      .bind(q.from, q.to)
      .all<{ day: string; blocked: number; rewarded: number }>(),
    d1
      .prepare(
        `SELECT inviter_id AS id, sum(status = 'invalid') AS blocked, count(*) AS decided FROM referrals
          WHERE decided_day BETWEEN ?1 AND ?2 GROUP BY inviter_id HAVING blocked > 0 ORDER BY blocked DESC, decided DESC, inviter_id LIMIT 50`,
      )
      .bind(q.from, q.to)
      .all<{ id: string; blocked: number; decided: number }>(),
  ]);
  const ids = inviters.results.map((i) => i.id);
  const perReason = await inChunks(
    ids,
    D1_IN_CHUNK,
    async (part) =>
      (
        await d1
          .prepare(
            `SELECT inviter_id AS id, invalid_reason AS reason, count(*) AS n FROM referrals
            WHERE status = 'invalid' AND decided_day BETWEEN ?1 AND ?2 AND inviter_id IN (${part.map((_, i) => `?${i + 3}`).join(',')})
            GROUP BY inviter_id, invalid_reason`,
          )
          .bind(q.from, q.to, ...part)
          .all<{ id: string; reason: string; n: number }>()
      ).results,
  );
  const names = await getNicknames(ctx, ids);
  const count = new Map(reasons.results.map((r) => [r.reason, Number(r.n)]));
  return {
    from: q.from,
    to: q.to,
    byReason: REFERRAL_INVALID_REASONS.map((reason) => ({ reason, label: INVALID_REASON_TEXT[reason], count: count.get(reason) ?? 0 })),
    byDay: days.results.map((d) => ({ day: d.day, blocked: Number(d.blocked), rewarded: Number(d.rewarded) })),
    inviters: inviters.results.map((i) => ({
      inviterId: i.id,
      nickname: names.get(i.id) ?? i.id,
      blocked: Number(i.blocked),
      decided: Number(i.decided),
      reasons: Object.fromEntries(perReason.filter((r) => r.id === i.id).map((r) => [r.reason, Number(r.n)])),
    })),
  };
}

/** listReferrals: the bindings of a shopper (as inviter or invitee), of an invite code, or of an order, with their grants. */
export async function lookupReferrals(ctx: Ctx, q: { userId?: string; code?: string; orderId?: string }) {
  const conds = [];
  let inviterCode: string | null = null;
  if (q.userId) {
    conds.push(eq(referrals.inviterId, q.userId), eq(referrals.inviteeId, q.userId));
    inviterCode = await existingInviteCode(ctx, q.userId);
  }
  if (q.code) {
    const owner = await inviterOfCode(ctx, q.code);
    inviterCode = owner ? q.code : inviterCode;
    conds.push(eq(referrals.code, q.code));
  }
  if (q.orderId) conds.push(eq(referrals.orderId, q.orderId));
  const rows = await ctx.db
    .select()
    .from(referrals)
    .where(or(...conds))
    .orderBy(desc(referrals.boundAt))
    .limit(100);
  const grants = await inChunks(
    rows.map((r) => r.id),
    D1_IN_CHUNK,
    (part) => ctx.db.select().from(referralRewards).where(inArray(referralRewards.referralId, part)),
  );
  const names = await getNicknames(
    ctx,
    rows.flatMap((r) => [r.inviterId, r.inviteeId]),
  );
  const p = await referralProgramme(ctx);
  const couponNames = await couponNamesOf(ctx, p);
  const items: AdminReferralDto[] = rows.map((r) => ({
    id: r.id,
    inviterId: r.inviterId,
    inviterNickname: names.get(r.inviterId) ?? r.inviterId,
    inviteeId: r.inviteeId,
    inviteeNickname: names.get(r.inviteeId) ?? r.inviteeId,
    code: r.code,
    via: r.via,
    status: r.status,
    reason: r.invalidReason,
    reasonText: r.invalidReason ? INVALID_REASON_TEXT[r.invalidReason] : null,
    boundAt: iso(r.boundAt)!,
    orderId: r.orderId,
    decidedAt: iso(r.decidedAt),
    clawedBackAt: iso(r.clawedBackAt),
    clawbackNote: r.clawbackNote,
    rewards: grants
      .filter((g) => g.referralId === r.id)
      .map((g) => {
        const reward = g.side === 'inviter' ? p.inviterReward : p.inviteeReward;
        const name = reward.type === 'coupon' ? couponNames.get(reward.couponTemplateId) : null;
        return {
          id: g.id,
          userId: g.userId,
          side: g.side,
          kind: g.kind,
          amount: g.amount,
          label: `${g.side === 'inviter' ? '邀请奖励' : '新人首单奖励'} ${grantLabel(g, name)}`,
          friend: null,
          createdAt: iso(g.createdAt)!,
          clawedBack: g.clawedBack,
          shortfall: g.shortfall,
        };
      }),
  }));
  return { inviterCode, items };
}
