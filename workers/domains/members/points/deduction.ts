// Points (积分抵扣) and stored balance (余额) at checkout: pure arithmetic, no I/O, so the quote
// and the order price the same way and tests can pin every rounding case.
import { apportion } from '../../promotions/engine';
import type { PointsRules } from './rules.service';

export type UsePoints = number | 'max' | undefined;

export interface DeductionLine {
  lineId: string;
  /** What the line costs after promotions and coupons (fen). */
  payable: number;
}

export interface LineDeduction {
  points: number;
  pointsFen: number;
  balanceFen: number;
}

export interface DeductionPlan {
  lines: Map<string, LineDeduction>;
  points: {
    /** the shopper's points balance */
    available: number;
    /** the most this order can take (0 when not usable) and what it is worth */
    maxPoints: number;
    maxAmount: number;
    used: number;
    amount: number;
    usable: boolean;
    /** why points are not usable or not applied; null when they are */
    reason: string | null;
  };
  balance: { available: number; used: number; maxAmount: number };
}

/** Fen that `points` are worth: whole fen, rounded down. */
export const pointsToFen = (points: number, perYuan: number) => Math.floor((points * 100) / perYuan);
/** The fewest points worth `fen` (what a deduction of `fen` costs the shopper). */
export const fenToPoints = (fen: number, perYuan: number) => Math.ceil((fen * perYuan) / 100);

/**
 * Plans the deduction. Each line keeps at least 1 fen for WeChat Pay, so every order still has a
 * payment (and every refund a cash part): an order can never be paid in full by points or balance.
 * Points are capped at `maxSharePercent` of the goods after discounts and used only from
 * `minPoints`; balance pays what is left of the goods (shipping stays with WeChat Pay). Both are
 * apportioned over the lines in proportion to what each line can take (largest remainder), so a
 * partial refund knows each line's share.
 */
export function planDeduction(
  lines: DeductionLine[],
  rules: PointsRules,
  available: { points: number; balance: number },
  want: { usePoints: UsePoints; useBalance: boolean },
): DeductionPlan {
  const room: Record<string, number> = Object.fromEntries(lines.map((l) => [l.lineId, Math.max(0, l.payable - 1)]));
  const goods = lines.reduce((a, l) => a + l.payable, 0);
  const roomTotal = Object.values(room).reduce((a, v) => a + v, 0);
  const out = new Map<string, LineDeduction>(lines.map((l) => [l.lineId, { points: 0, pointsFen: 0, balanceFen: 0 }]));

  // ---- points ----
  const per = rules.pointsPerYuan;
  const capFen = Math.min(Math.floor((goods * rules.maxSharePercent) / 100), roomTotal);
  const maxFen = Math.min(capFen, pointsToFen(available.points, per));
  const maxPoints = fenToPoints(maxFen, per);
  let reason: string | null = null;
  let usable = true;
  if (!rules.enabled) [usable, reason] = [false, '本店暂未开放积分抵扣'];
  else if (available.points <= 0) [usable, reason] = [false, '暂无可用积分'];
  else if (available.points < rules.minPoints) [usable, reason] = [false, `满${rules.minPoints}积分可用`];
  else if (maxFen <= 0) [usable, reason] = [false, '本单不满足积分抵扣条件'];
  else if (maxPoints < rules.minPoints) [usable, reason] = [false, `本单最多可用${maxPoints}积分，未达${rules.minPoints}积分起用`];

  let fen = 0;
  if (usable && want.usePoints !== undefined && want.usePoints !== 0) {
    if (want.usePoints === 'max') fen = maxFen;
    else if (want.usePoints < rules.minPoints) reason = `至少使用${rules.minPoints}积分`;
    else fen = Math.min(maxFen, pointsToFen(want.usePoints, per));
  }
  const points = fen > 0 ? fenToPoints(fen, per) : 0;
  if (fen > 0) {
    const fenOf = apportion(fen, room);
    // Points follow the fen shares; weights × per keep every part within its weight (points ≤ fen·per).
    const ptsOf = apportion(points, Object.fromEntries(Object.entries(fenOf).map(([k, v]) => [k, v * per])));
    for (const [k, d] of out) {
      d.pointsFen = fenOf[k] ?? 0;
      d.points = ptsOf[k] ?? 0;
      room[k] = room[k]! - d.pointsFen;
    }
  }

  // ---- stored balance ----
  const left = Object.values(room).reduce((a, v) => a + v, 0);
  const balanceMax = Math.min(Math.max(0, available.balance), left);
  const balanceUsed = want.useBalance ? balanceMax : 0;
  if (balanceUsed > 0) {
    const balOf = apportion(balanceUsed, room);
    for (const [k, d] of out) d.balanceFen = balOf[k] ?? 0;
  }

  return {
    lines: out,
    points: {
      available: available.points,
      maxPoints: usable ? maxPoints : 0,
      maxAmount: usable ? maxFen : 0,
      used: points,
      amount: fen,
      usable,
      reason,
    },
    balance: { available: Math.max(0, available.balance), used: balanceUsed, maxAmount: balanceMax },
  };
}
