// What the shopper's 邀请有礼 page shows (getReferral) and the public preview of an invite code.
import { desc, eq } from 'drizzle-orm';
import { type Ctx, shopperId } from '../../../shared/context';
import { iso } from '../../../shared/db';
import { notFound } from '../../../shared/errors';
import { getNicknames } from '../../users/users.service';
import { usersWithOrders } from '../../orders/orders.service';
import { templateRow } from '../../promotions/coupons/templates.service';
import type { MyReferralDto } from './dto';
import { inviteCodeOf, inviterOfCode } from './codes';
import { canStillBind, inviterCounts, maskNickname, referralOfInvitee, referralsOfInviter, type ReferralRow } from './referrals.service';
import { INVALID_REASON_TEXT, referralProgramme, rewardView, rulesText, shareTitle, type ReferralProgramme } from './settings';
import { referralRewards, type ReferralReward } from './schema';
import type { RewardRow } from './rewards';

const LIST_LIMIT = 100;
/** The page a shared card or a scanned code opens (a subpackage page: the mini-program's main package stays small). */
export const INVITE_PAGE = 'member/invite/index';

/** Names of the coupon templates the programme grants (a deleted template shows as 优惠券). */
export async function couponNamesOf(ctx: Ctx, p: Pick<ReferralProgramme, 'inviterReward' | 'inviteeReward'>): Promise<Map<string, string>> {
  const ids = [p.inviterReward, p.inviteeReward].flatMap((r) => (r.type === 'coupon' ? [r.couponTemplateId] : []));
  const names = new Map<string, string>();
  for (const id of new Set(ids)) {
    const t = await templateRow(ctx, id).catch(() => null);
    if (t) names.set(id, t.name);
  }
  return names;
}

const couponName = (names: Map<string, string>, r: ReferralReward) =>
  r.type === 'coupon' ? (names.get(r.couponTemplateId) ?? null) : null;

/** 200积分 · ¥5.00余额 · 优惠券「满50减10」 */
export function grantLabel(g: Pick<RewardRow, 'kind' | 'amount'>, couponName?: string | null): string {
  if (g.kind === 'points') return `${g.amount}积分`;
  if (g.kind === 'cash') return `¥${(g.amount / 100).toFixed(2)}余额`;
  return couponName ? `优惠券「${couponName}」` : '优惠券';
}

/** A friend's status as the inviter sees it: 已下单 is a registered friend with an order placed. */
function friendStatus(r: ReferralRow, ordered: Set<string>): 'registered' | 'ordered' | 'rewarded' | 'invalid' {
  if (r.status === 'registered') return ordered.has(r.inviteeId) ? 'ordered' : 'registered';
  return r.status;
}

/** getReferral: my code and share data, the rules, who invited me, my friends and my rewards. */
export async function getMyReferral(ctx: Ctx): Promise<MyReferralDto> {
  const me = shopperId(ctx);
  const [p, code, friends, counts, mine, invitedBy] = await Promise.all([
    referralProgramme(ctx),
    inviteCodeOf(ctx, me),
    referralsOfInviter(ctx, me, LIST_LIMIT),
    inviterCounts(ctx, me),
    ctx.db.select().from(referralRewards).where(eq(referralRewards.userId, me)).orderBy(desc(referralRewards.createdAt)).limit(LIST_LIMIT),
    referralOfInvitee(ctx, me),
  ]);
  const [names, couponNames, ordered, totals, canBind] = await Promise.all([
    getNicknames(ctx, [me, ...friends.map((f) => f.inviteeId), ...(invitedBy ? [invitedBy.inviterId] : [])]),
    couponNamesOf(ctx, p),
    usersWithOrders(
      ctx,
      friends.filter((f) => f.status === 'registered').map((f) => f.inviteeId),
    ),
    ctx.env.DB.prepare(
      "SELECT coalesce(sum(CASE WHEN kind = 'points' THEN amount - clawed_back END), 0) AS points, coalesce(sum(CASE WHEN kind = 'cash' THEN amount - clawed_back END), 0) AS cash, coalesce(sum(CASE WHEN kind = 'coupon' AND clawed_back = 0 THEN 1 END), 0) AS coupons FROM referral_rewards WHERE user_id = ?1",
    )
      .bind(me)
      .first<{ points: number; cash: number; coupons: number }>(),
    canStillBind(ctx, me, invitedBy !== null),
  ]);
  // 已下单 among registered friends beyond the listed 100 is not counted: the list is what matters.
  const orderedCount = friends.filter((f) => f.status === 'registered' && ordered.has(f.inviteeId)).length;
  const inviterView = rewardView(p.inviterReward, couponName(couponNames, p.inviterReward));
  const inviteeView = rewardView(p.inviteeReward, couponName(couponNames, p.inviteeReward));
  const nickname = maskNickname(names.get(me) ?? '好友');
  const friendOf = new Map(friends.map((f) => [f.id, f.inviteeId]));
  const path = `/${INVITE_PAGE}?inviteCode=${code}`;
  return {
    enabled: p.enabled,
    code,
    share: {
      title: shareTitle(p, nickname, inviteeView.label),
      imageUrl: p.shareImageUrl,
      path,
      qrPage: INVITE_PAGE,
      qrScene: `i=${code}`,
      h5Path: path,
    },
    rules: rulesText(p, inviterView.label, inviteeView.label),
    inviterReward: inviterView,
    inviteeReward: inviteeView,
    invitedBy: invitedBy ? { nickname: maskNickname(names.get(invitedBy.inviterId) ?? '好友'), boundAt: iso(invitedBy.boundAt)! } : null,
    canBind: p.enabled && canBind,
    friends: friends.map((f) => ({
      id: f.id,
      nickname: maskNickname(names.get(f.inviteeId) ?? '好友'),
      boundAt: iso(f.boundAt)!,
      status: friendStatus(f, ordered),
      reason: f.invalidReason,
      reasonText: f.invalidReason ? INVALID_REASON_TEXT[f.invalidReason] : null,
    })),
    rewards: mine.map((g) => {
      const inviteeId = g.side === 'inviter' ? friendOf.get(g.referralId) : undefined;
      const reward = g.side === 'inviter' ? p.inviterReward : p.inviteeReward;
      return {
        id: g.id,
        side: g.side,
        kind: g.kind,
        amount: g.amount,
        label: `${g.side === 'inviter' ? '邀请奖励' : '新人首单奖励'} ${grantLabel(g, couponName(couponNames, reward))}`,
        friend: inviteeId ? maskNickname(names.get(inviteeId) ?? '好友') : null,
        createdAt: iso(g.createdAt)!,
        clawedBack: g.clawedBack,
        shortfall: g.shortfall,
      };
    }),
    totals: {
      invited: counts.registered + counts.rewarded + counts.invalid,
      ordered: orderedCount,
      rewarded: counts.rewarded,
      invalid: counts.invalid,
      points: Number(totals?.points ?? 0),
      cash: Number(totals?.cash ?? 0),
      coupons: Number(totals?.coupons ?? 0),
    },
  };
}

/** getInvitePreview (public): whose code this is and what a new shopper gets, for the landing view. */
export async function getInvitePreview(ctx: Ctx, code: string) {
  const inviterId = await inviterOfCode(ctx, code);
  if (!inviterId) throw notFound('members.invite_code_not_found', `invite code ${code}`);
  const [p, names] = await Promise.all([referralProgramme(ctx), getNicknames(ctx, [inviterId])]);
  const couponNames = await couponNamesOf(ctx, p);
  const invitee = rewardView(p.inviteeReward, couponName(couponNames, p.inviteeReward));
  const inviter = maskNickname(names.get(inviterId) ?? '好友');
  return { enabled: p.enabled, inviter, inviteeReward: invitee, title: shareTitle(p, inviter, invitee.label) };
}
