/**
 * 积分 and 余额 for the shopper's screens: what each ledger reason is called, how an entry reads,
 * and the checkout's 积分抵扣 / 余额 rows. Pure: no Taro.
 */
import { formatFen } from './format';

const REASONS: Record<string, string> = {
  order: '购物奖励',
  review: '评价奖励',
  checkin: '签到奖励',
  checkin_streak: '连续签到奖励',
  task: '任务奖励',
  invite: '邀请好友奖励',
  referral_rebate: '邀请返现',
  adjust: '客服调整',
  mall: '积分商城兑换',
  mall_refund: '积分商城退回',
  checkout: '下单抵扣',
  checkout_refund: '订单退回',
  expire: '积分过期',
  birthday: '生日礼',
  lottery_draw: '抽奖消耗',
  lottery_prize: '抽奖奖励',
};

/** The shopper-facing name of a ledger reason ("checkout" → 下单抵扣); unknown reasons by their sign. */
export function reasonText(reason: string, delta: number): string {
  return REASONS[reason] ?? (reason.startsWith('lottery') ? '抽奖' : delta > 0 ? '获得积分' : '使用积分');
}

/** "+500" / "-120" for points; "+¥10.00" / "-¥3.00" for balance (fen). */
export function deltaText(delta: number, kind: 'points' | 'balance'): string {
  const sign = delta > 0 ? '+' : '-';
  return kind === 'points' ? `${sign}${Math.abs(delta)}` : `${sign}${formatFen(Math.abs(delta))}`;
}

/** One ledger row's title: the reason, with a staff member's words after it (客服调整 · 双十一补偿). */
export function entryTitle(e: { reason: string; delta: number; note?: string | null }): string {
  const base = reasonText(e.reason, e.delta);
  return e.note ? `${base} · ${e.note}` : base;
}

/** "本月底（12-31）将有 150 积分过期" — or null when nothing is about to expire. */
export function expiringText(x: { points: number; lastDay: string } | null | undefined): string | null {
  if (!x || x.points <= 0) return null;
  const [, m, d] = x.lastDay.split('-');
  return `${x.points} 积分将于 ${Number(m)}月${Number(d)}日 后过期，请尽快使用`;
}

/** "100积分=¥1" for the rules line. */
export function rateText(pointsPerYuan: number): string {
  return `${pointsPerYuan}积分=¥1`;
}

/** The checkout's 积分抵扣 row: "可用 3000 积分抵 ¥30.00", or why points cannot be used. */
export function pointsRowText(p: {
  usable: boolean;
  maxPoints: number;
  maxAmount: number;
  reason: string | null;
  available: number;
}): string {
  if (p.usable && p.maxPoints > 0) return `可用 ${p.maxPoints} 积分抵 ${formatFen(p.maxAmount)}`;
  return p.reason ?? (p.available > 0 ? `共 ${p.available} 积分，本单不可用` : '暂无可用积分');
}

/** The checkout's 余额 row: "可用 ¥20.00" (or 暂无余额). */
export function balanceRowText(b: { available: number; maxAmount: number }): string {
  if (b.available <= 0) return '暂无余额';
  return b.maxAmount < b.available
    ? `余额 ${formatFen(b.available)}，本单可用 ${formatFen(b.maxAmount)}`
    : `可用 ${formatFen(b.available)}`;
}
