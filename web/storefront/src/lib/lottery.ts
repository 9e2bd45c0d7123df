/**
 * The lucky-draw page (幸运大转盘 / 九宫格): which cell holds which prize, the highlight's path to
 * the won prize, what a draw costs, and how a result and a past draw read. Pure: no Taro.
 */
import type { OperationResult } from '@edgemall/client/operation-client';
import { formatTime } from './format';
import { errorText, type ErrLike } from './error-text';

export type Lottery = OperationResult<'getLottery'>;
export type LotteryPrize = Lottery['prizes'][number];
export type DrawResult = OperationResult<'drawLottery'>;
export type MyDraw = OperationResult<'listMyLotteryDraws'>['items'][number];
export type PrizeKind = LotteryPrize['kind'];

/** What the server names a draw that won nothing (also when the lottery has no 'none' prize). */
export const NOTHING = '谢谢参与';

/** One cell of the board's ring. Cells added to fill the ring are 谢谢参与 (`filler`). */
export interface BoardCell {
  prizeId: string | null;
  name: string;
  kind: PrizeKind;
  imageUrl: string | null;
  available: boolean;
  filler: boolean;
}

/** Side of the square board: 3 (九宫格, 8 prizes around the button) or 4 (12 around) for 9–12 prizes. */
export function boardSize(prizeCount: number): 3 | 4 {
  return prizeCount > 8 ? 4 : 3;
}

/** The ring's cells as [row, col], clockwise from the top-left corner. */
export function ringPositions(size: number): [number, number][] {
  const out: [number, number][] = [];
  const last = size - 1;
  for (let c = 0; c < last; c++) out.push([0, c]);
  for (let r = 0; r < last; r++) out.push([r, last]);
  for (let c = last; c > 0; c--) out.push([last, c]);
  for (let r = last; r > 0; r--) out.push([r, 0]);
  return out;
}

/**
 * The ring's cells: the prizes in their order, spread evenly, the gaps filled with 谢谢参与 (the
 * lottery's own 'none' prize when it has one, so landing on any of them is right). More prizes than
 * the ring holds (cannot happen: at most 12) are cut.
 */
export function boardCells(prizes: readonly LotteryPrize[]): BoardCell[] {
  const slots = ringPositions(boardSize(prizes.length)).length;
  const none = prizes.find((p) => p.kind === 'none');
  const filler: BoardCell = {
    prizeId: none?.id ?? null,
    name: none?.name ?? NOTHING,
    kind: 'none',
    imageUrl: none?.imageUrl ?? null,
    available: true,
    filler: true,
  };
  const cells: BoardCell[] = Array.from({ length: slots }, () => ({ ...filler }));
  const shown = prizes.slice(0, slots);
  shown.forEach((p, i) => {
    cells[Math.floor((i * slots) / shown.length)] = {
      prizeId: p.id,
      name: p.name,
      kind: p.kind,
      imageUrl: p.imageUrl,
      available: p.available,
      filler: false,
    };
  });
  return cells;
}

/**
 * The cell the highlight stops on for a won prize: a cell of that prize id, else (谢谢参与 without
 * an id, or one the board does not show) any 'none' cell; among several, the first one after
 * `from` going clockwise. -1 when the board has no such cell.
 */
export function landingCell(cells: readonly BoardCell[], prize: { id: string | null; kind: PrizeKind }, from = -1): number {
  const n = cells.length;
  const after = (ok: (c: BoardCell) => boolean) => {
    for (let k = 1; k <= n; k++) {
      const i = (((from + k) % n) + n) % n;
      if (ok(cells[i]!)) return i;
    }
    return -1;
  };
  const byId = prize.id === null ? -1 : after((c) => c.prizeId === prize.id);
  if (byId >= 0 || prize.kind !== 'none') return byId;
  return after((c) => c.kind === 'none');
}

/** The slowing-down end of a spin (ms before each of the last steps). */
const TAIL = [90, 120, 160, 200, 250, 300];
const FAST = 50;

export interface SpinPlan {
  /** the cell lit at each step; the last one is the target */
  cells: number[];
  /** ms to wait before each step */
  delays: number[];
}

/**
 * The highlight's walk from cell `from` (-1: none lit yet) to `target`: `laps` full turns and the
 * rest of the way, 50 ms a step, the last six slowing down (90 … 300 ms). One lap of an 8-cell
 * board takes 1.2–1.6 s, of a 12-cell one at most 2 s.
 */
export function spinPlan(from: number, target: number, count: number, laps = 1): SpinPlan {
  if (count <= 0 || target < 0 || target >= count) return { cells: [], delays: [] };
  const start = from < 0 ? -1 : from % count;
  const rest = (((target - start) % count) + count) % count;
  const steps = laps * count + rest;
  const cells: number[] = [];
  const delays: number[] = [];
  for (let i = 1; i <= steps; i++) {
    cells.push((start + i + count) % count);
    const fromEnd = steps - i; // 0 for the last step
    delays.push(fromEnd < TAIL.length ? TAIL[TAIL.length - 1 - fromEnd]! : FAST);
  }
  return { cells, delays };
}

/** "今日剩余1次免费机会" (signed in) / "每天1次免费机会" (signed out), with "活动共剩N次" under a total limit. */
export function drawsLeftText(l: Pick<Lottery, 'freeDrawsPerDay' | 'me'>): string {
  if (!l.me) return l.freeDrawsPerDay > 0 ? `每天${l.freeDrawsPerDay}次免费机会` : '登录后参与抽奖';
  const total = l.me.totalDrawsLeft === null ? '' : `（活动共剩${l.me.totalDrawsLeft}次）`;
  // extra chances exchanged in the points mall (积分商城), used after the free ones
  const extra = l.me.chancesLeft > 0 ? `，另有${l.me.chancesLeft}次额外机会` : '';
  return `今日剩余${l.me.drawsLeftToday}次免费机会${total}${extra}`;
}

/** What the next draw costs, under the board. */
export function drawCostText(l: Pick<Lottery, 'freeDrawsPerDay' | 'pointsPerDraw' | 'me'>): string {
  const free = l.freeDrawsPerDay;
  const pts = l.pointsPerDraw;
  const me = l.me;
  if (!me) {
    if (free > 0 && pts > 0) return `每天免费抽${free}次，之后每次消耗${pts}积分`;
    if (free > 0) return `每天免费抽${free}次`;
    return pts > 0 ? `每次抽奖消耗${pts}积分` : '';
  }
  if (me.nextDrawCost === 0) return pts > 0 ? `本次免费，免费次数用完后每次消耗${pts}积分` : '本次免费';
  if (me.nextDrawCost !== null)
    return `${free > 0 ? '今日免费次数已用完，' : ''}每次消耗${me.nextDrawCost}积分（当前${me.pointsBalance}积分）`;
  if (me.totalDrawsLeft === 0) return '你的抽奖次数已用完';
  if (pts > 0) return `积分不足，每次抽奖需${pts}积分（当前${me.pointsBalance}积分）`;
  return '今日次数已用完，明天再来';
}

export interface DrawButton {
  text: string;
  /** the small line under it: 免费 / 50积分/次 / 明天再来 … */
  sub: string;
  /** the lottery is open (tapping draws, or the server answers why not) */
  open: boolean;
  /** a draw is possible now as far as we know (false: greyed, the server still has the last word) */
  ready: boolean;
}

/** The 抽奖 button in the middle of the board. */
export function drawButton(l: Pick<Lottery, 'state' | 'startsAt' | 'pointsPerDraw' | 'freeDrawsPerDay' | 'me'>): DrawButton {
  if (l.state === 'upcoming') return { text: '即将开始', sub: `${formatTime(l.startsAt)} 开抽`, open: false, ready: false };
  if (l.state !== 'live') return { text: '已结束', sub: '下次早点来', open: false, ready: false };
  const me = l.me;
  if (!me) return { text: '抽奖', sub: l.freeDrawsPerDay > 0 ? '登录免费抽' : `${l.pointsPerDraw}积分/次`, open: true, ready: true };
  if (me.nextDrawCost === 0) return { text: '抽奖', sub: '免费', open: true, ready: true };
  if (me.nextDrawCost !== null) return { text: '抽奖', sub: `${me.nextDrawCost}积分/次`, open: true, ready: true };
  if (me.totalDrawsLeft === 0) return { text: '抽奖', sub: '次数已用完', open: true, ready: false };
  return { text: '抽奖', sub: l.pointsPerDraw > 0 ? '积分不足' : '明天再来', open: true, ready: false };
}

/** "无门槛10元券" stays, "满99减10" → "满99减10优惠券". */
function couponName(name: string): string {
  return name.includes('券') ? name : `${name}优惠券`;
}

export interface ResultView {
  kind: PrizeKind;
  title: string;
  sub: string;
  /** the card's button: 去使用 (coupon) / 查看奖品 (goods) / 再抽一次 */
  action: 'use' | 'prizes' | 'again';
  actionText: string;
  /** "本次消耗50积分", '' for a free draw */
  spent: string;
}

/** The result card after a draw. */
export function resultView(r: Pick<DrawResult, 'prize' | 'points' | 'pointsSpent' | 'fulfilment'>): ResultView {
  const spent = r.pointsSpent > 0 ? `本次消耗${r.pointsSpent}积分` : '';
  switch (r.prize.kind) {
    case 'coupon':
      return {
        kind: 'coupon',
        title: `获得 ${couponName(r.prize.name)}`,
        sub: '已放入「我的优惠券」，下单时抵扣',
        action: 'use',
        actionText: '去使用',
        spent,
      };
    case 'points':
      return {
        kind: 'points',
        title: `获得 ${r.points ?? 0} 积分`,
        sub: '已存入你的积分账户',
        action: 'again',
        actionText: '再抽一次',
        spent,
      };
    case 'goods':
      return {
        kind: 'goods',
        title: `获得 ${r.prize.name}`,
        sub: r.fulfilment === 'shipped' ? '实物奖品 · 已发货' : '实物奖品 · 待发货，我们会尽快为你寄出',
        action: 'prizes',
        actionText: '查看奖品',
        spent,
      };
    default:
      return { kind: 'none', title: NOTHING, sub: '差一点就中了，再试试手气吧', action: 'again', actionText: '再抽一次', spent };
  }
}

/** The status of one of 我的奖品. */
export function myDrawStatus(d: Pick<MyDraw, 'prize' | 'points' | 'fulfilment'>): string {
  switch (d.prize.kind) {
    case 'coupon':
      return '已发放至券包';
    case 'points':
      return `+${d.points ?? 0}积分 已到账`;
    case 'goods':
      return d.fulfilment === 'shipped' ? '已发货' : '待发货';
    default:
      return '未中奖';
  }
}

/** "12-04 21:08 至 01-03 21:09" */
export function lotteryPeriod(l: Pick<Lottery, 'startsAt' | 'endsAt'>): string {
  return `${formatTime(l.startsAt)} 至 ${formatTime(l.endsAt)}`;
}

const ERRORS: Record<string, string> = {
  'promotions.no_draws_left': '今日抽奖次数已用完，明天再来',
  'promotions.not_enough_points': '积分不足，暂时不能抽奖',
  'promotions.lottery_not_open': '活动已结束',
  'promotions.lottery_not_found': '活动不存在或已结束',
  'promotions.draw_busy': '参与的人太多了，请稍后再试',
};

/**
 * A failed draw in words: the lottery's own refusals (with their details: a total limit, the
 * points a draw needs, not started yet), else the shop-wide errorText.
 */
export function drawErrorText(e: unknown): string {
  const err = (e ?? {}) as ErrLike;
  const d = (err.details ?? {}) as Record<string, unknown>;
  switch (err.code) {
    case 'promotions.no_draws_left':
      if (d.limit === 'total') return '你的抽奖次数已用完';
      break;
    case 'promotions.not_enough_points':
      if (typeof d.pointsPerDraw === 'number') return `积分不足，每次抽奖需${d.pointsPerDraw}积分`;
      break;
    case 'promotions.lottery_not_open':
      if (d.state === 'upcoming') return '活动尚未开始';
      break;
  }
  return (err.code && ERRORS[err.code]) || errorText(e);
}

/** The refusals after which the page loads the lottery again (its allowance or state changed). */
export function refreshesLottery(e: unknown): boolean {
  const code = ((e ?? {}) as ErrLike).code ?? '';
  return [
    'promotions.no_draws_left',
    'promotions.not_enough_points',
    'promotions.lottery_not_open',
    'promotions.lottery_not_found',
  ].includes(code);
}
