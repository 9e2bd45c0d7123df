// 老带新: binding an invitee to an inviter, the devices seen at sign-in, and the rows the reward
// flow (workers/flows/referral-rewards.ts) decides on. Rewards themselves are granted by the flow,
// because a coupon reward reaches into promotions.
import { and, desc, eq, sql } from 'drizzle-orm';
import { type Ctx, shopperId } from '../../../shared/context';
import { sha256Hex } from '../../../shared/crypto';
import { shanghaiDay } from '../../../shared/calendar';
import { conflict, notFound } from '../../../shared/errors';
import { newId } from '../../../shared/ids';
import { getUserCreatedAt } from '../../users/users.service';
import { usersWithOrders } from '../../orders/orders.service';
import { inviterOfCode } from './codes';
import { BIND_WINDOW_HOURS, referralProgramme } from './settings';
import { referralDevices, referrals } from './schema';

export type ReferralRow = typeof referrals.$inferSelect;

const HOUR_MS = 3_600_000;

/** 张三丰 → 张*丰, 微信用户ab12 → 微***2, 张三 → 张*: enough for a friend to recognise, no more. */
export function maskNickname(name: string): string {
  const c = Array.from(name);
  if (c.length <= 1) return '*';
  if (c.length === 2) return `${c[0]}*`;
  return `${c[0]}${'*'.repeat(Math.min(3, c.length - 2))}${c[c.length - 1]}`;
}

const deviceHash = (deviceId: string) => sha256Hex(`device:${deviceId}`);

/** Remembers that this shopper signed in on this device (an install id the client made). */
export async function recordDevice(ctx: Ctx, userId: string, deviceId: string | undefined): Promise<void> {
  if (!deviceId) return;
  await ctx.db
    .insert(referralDevices)
    .values({ userId, deviceHash: await deviceHash(deviceId), firstSeenAt: ctx.now })
    .onConflictDoNothing();
}

/** True when the two shoppers ever signed in on the same device. */
export async function shareDevice(ctx: Ctx, a: string, b: string): Promise<boolean> {
  const row = await ctx.env.DB.prepare(
    'SELECT 1 AS x FROM referral_devices d1 JOIN referral_devices d2 ON d1.device_hash = d2.device_hash WHERE d1.user_id = ?1 AND d2.user_id = ?2 LIMIT 1',
  )
    .bind(a, b)
    .first();
  return row !== null;
}

export async function referralOfInvitee(ctx: Ctx, inviteeId: string): Promise<ReferralRow | null> {
  const [r] = await ctx.db.select().from(referrals).where(eq(referrals.inviteeId, inviteeId)).limit(1);
  return r ?? null;
}

export async function referralById(ctx: Ctx, id: string): Promise<ReferralRow> {
  const [r] = await ctx.db.select().from(referrals).where(eq(referrals.id, id)).limit(1);
  if (!r) throw notFound('members.referral_not_found', `referral ${id}`);
  return r;
}

/** The rewarded referral whose reward this order earned, if any (a refund on it claws back). */
export async function rewardedReferralOfOrder(ctx: Ctx, orderId: string): Promise<ReferralRow | null> {
  const [r] = await ctx.db
    .select()
    .from(referrals)
    .where(and(eq(referrals.orderId, orderId), eq(referrals.status, 'rewarded')))
    .limit(1);
  return r ?? null;
}

/** An inviter's friends, newest first. */
export function referralsOfInviter(ctx: Ctx, inviterId: string, limit: number): Promise<ReferralRow[]> {
  return ctx.db
    .select()
    .from(referrals)
    .where(eq(referrals.inviterId, inviterId))
    .orderBy(desc(referrals.boundAt), desc(referrals.id))
    .limit(limit);
}

/** Counts of an inviter's friends by stored status. */
export async function inviterCounts(ctx: Ctx, inviterId: string): Promise<{ registered: number; rewarded: number; invalid: number }> {
  const rows = await ctx.db
    .select({ status: referrals.status, n: sql<number>`count(*)` })
    .from(referrals)
    .where(eq(referrals.inviterId, inviterId))
    .groupBy(referrals.status);
  const out = { registered: 0, rewarded: 0, invalid: 0 };
  for (const r of rows) out[r.status] = Number(r.n);
  return out;
}

export interface BindRequest {
  inviteeId: string;
  code: string;
  via: 'login' | 'bind';
}

/**
 * Binds the invitee to the code's owner, once ever: the unique invitee_id makes a second binding
 * (a retry, a race, another code) insert nothing. The same code again answers the existing
 * binding (a retried request); another code is 409 members.already_bound. Refused: the programme
 * is off, an unknown code, one's own code, or a pair that would invite each other. Two accounts
 * that share a device are bound but marked 无效 (same_device) at once; the other fraud checks wait
 * for the first order (addresses come later).
 */
export async function bindInvitee(ctx: Ctx, b: BindRequest): Promise<{ referral: ReferralRow; created: boolean }> {
  const existing = await referralOfInvitee(ctx, b.inviteeId);
  if (existing) {
    if (existing.code === b.code) return { referral: existing, created: false };
    throw conflict('members.already_bound', 'you were already invited by someone; an invitation cannot be changed');
  }
  const programme = await referralProgramme(ctx);
  if (!programme.enabled) throw conflict('members.referral_closed', 'the invite programme is not running');
  const inviterId = await inviterOfCode(ctx, b.code);
  if (!inviterId) throw notFound('members.invite_code_not_found', `invite code ${b.code}`);
  if (inviterId === b.inviteeId) throw conflict('members.self_invite', 'you cannot use your own invite code');
  const inviterOwn = await referralOfInvitee(ctx, inviterId);
  if (inviterOwn?.inviterId === b.inviteeId)
    throw conflict('members.referral_circular', 'you invited this friend: you cannot also be their invitee');

  const sameDevice = await shareDevice(ctx, inviterId, b.inviteeId);
  const id = newId('rfl');
  const inserted = await ctx.db
    .insert(referrals)
    .values({
      id,
      inviterId,
      inviteeId: b.inviteeId,
      code: b.code,
      via: b.via,
      status: sameDevice ? 'invalid' : 'registered',
      invalidReason: sameDevice ? 'same_device' : null,
      boundAt: ctx.now,
      decidedAt: sameDevice ? ctx.now : null,
      decidedDay: sameDevice ? shanghaiDay(ctx.now) : null,
    })
    .onConflictDoNothing({ target: referrals.inviteeId })
    .returning({ id: referrals.id });
  const row = await referralOfInvitee(ctx, b.inviteeId);
  if (!row) throw new Error('referral vanished after insert');
  if (inserted.length === 0 && row.code !== b.code)
    throw conflict('members.already_bound', 'you were already invited by someone; an invitation cannot be changed');
  if (inserted.length) ctx.log.info('referral bound', { referralId: id, inviterId, inviteeId: b.inviteeId, via: b.via, sameDevice });
  return { referral: row, created: inserted.length > 0 };
}

/**
 * bindReferral: a shopper who signed in first (no invite link then) enters a friend's code. Only
 * within BIND_WINDOW_HOURS of registering and before any order — otherwise an old customer could
 * be "invited" for the reward. A retry with the same code answers the same binding.
 */
export async function bindMyReferral(ctx: Ctx, input: { inviteCode: string; deviceId?: string }) {
  const me = shopperId(ctx);
  await recordDevice(ctx, me, input.deviceId);
  const existing = await referralOfInvitee(ctx, me);
  if (!existing) {
    const createdAt = await getUserCreatedAt(ctx, me);
    if (createdAt === null || ctx.now - createdAt > BIND_WINDOW_HOURS * HOUR_MS)
      throw conflict('members.bind_window_closed', `an invite code can be entered only within ${BIND_WINDOW_HOURS} hours of registering`);
    if ((await usersWithOrders(ctx, [me])).has(me))
      throw conflict('members.bind_after_order', 'an invite code can be entered only before your first order');
  }
  return (await bindInvitee(ctx, { inviteeId: me, code: input.inviteCode, via: 'bind' })).referral;
}

/** Whether the shopper may still enter a code: not bound, registered recently, no order yet. */
export async function canStillBind(ctx: Ctx, userId: string, bound: boolean): Promise<boolean> {
  if (bound) return false;
  const createdAt = await getUserCreatedAt(ctx, userId);
  if (createdAt === null || ctx.now - createdAt > BIND_WINDOW_HOURS * HOUR_MS) return false;
  return !(await usersWithOrders(ctx, [userId])).has(userId);
}
