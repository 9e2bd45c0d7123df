import { describe, expect, it } from 'vitest';
import {
  boardCells,
  boardSize,
  drawButton,
  drawCostText,
  drawErrorText,
  drawsLeftText,
  landingCell,
  lotteryPeriod,
  myDrawStatus,
  refreshesLottery,
  resultView,
  ringPositions,
  spinPlan,
  type Lottery,
  type LotteryPrize,
} from '@/lib/lottery';

const prize = (id: string, kind: LotteryPrize['kind'], name = id): LotteryPrize => ({ id, name, kind, imageUrl: null, available: true });
const DEMO = [
  prize('cpn', 'coupon', '无门槛10元券'),
  prize('pts', 'points', '100积分'),
  prize('cup', 'goods', '316不锈钢保温杯'),
  prize('nil', 'none', '谢谢参与'),
];

type Me = NonNullable<Lottery['me']>;
const lot = (me: Partial<Me> | null, over: Partial<Lottery> = {}) => ({
  state: 'live' as Lottery['state'],
  startsAt: '2026-12-04T10:00:00.000Z',
  freeDrawsPerDay: 1,
  pointsPerDraw: 50,
  me: me === null ? null : { drawsLeftToday: 1, totalDrawsLeft: null, pointsBalance: 0, chancesLeft: 0, nextDrawCost: 0, ...me },
  ...over,
});

describe('board', () => {
  it('is 3×3 up to 8 prizes, 4×4 up to 12', () => {
    expect(boardSize(1)).toBe(3);
    expect(boardSize(8)).toBe(3);
    expect(boardSize(9)).toBe(4);
    expect(boardSize(12)).toBe(4);
  });

  it('walks the ring clockwise from the top-left', () => {
    expect(ringPositions(3)).toEqual([
      [0, 0],
      [0, 1],
      [0, 2],
      [1, 2],
      [2, 2],
      [2, 1],
      [2, 0],
      [1, 0],
    ]);
    expect(ringPositions(4)).toHaveLength(12);
    expect(ringPositions(4).slice(0, 5)).toEqual([
      [0, 0],
      [0, 1],
      [0, 2],
      [0, 3],
      [1, 3],
    ]);
  });

  it("spreads the prizes and fills the gaps with the lottery's own 谢谢参与", () => {
    const cells = boardCells(DEMO);
    expect(cells.map((c) => c.prizeId)).toEqual(['cpn', 'nil', 'pts', 'nil', 'cup', 'nil', 'nil', 'nil']);
    expect(cells.map((c) => c.name)).toEqual([
      '无门槛10元券',
      '谢谢参与',
      '100积分',
      '谢谢参与',
      '316不锈钢保温杯',
      '谢谢参与',
      '谢谢参与',
      '谢谢参与',
    ]);
    expect(cells.map((c) => c.filler)).toEqual([false, true, false, true, false, true, false, true]);
  });

  it('uses an id-less 谢谢参与 when the lottery has none, and a 4×4 ring for 9 prizes', () => {
    const nine = Array.from({ length: 9 }, (_, i) => prize(`p${i}`, 'points'));
    const cells = boardCells(nine);
    expect(cells.map((c) => c.prizeId)).toEqual(['p0', 'p1', 'p2', null, 'p3', 'p4', 'p5', null, 'p6', 'p7', 'p8', null]);
    expect(cells[3]).toEqual({ prizeId: null, name: '谢谢参与', kind: 'none', imageUrl: null, available: true, filler: true });
    expect(boardCells(DEMO.slice(0, 3)).map((c) => c.prizeId)).toEqual(['cpn', null, 'pts', null, null, 'cup', null, null]);
    expect(boardCells(Array.from({ length: 8 }, (_, i) => prize(`q${i}`, 'coupon'))).map((c) => c.prizeId)).toEqual([
      'q0',
      'q1',
      'q2',
      'q3',
      'q4',
      'q5',
      'q6',
      'q7',
    ]);
  });
});

describe('landingCell', () => {
  const cells = boardCells(DEMO);
  it('finds the prize by id', () => {
    expect(landingCell(cells, { id: 'pts', kind: 'points' })).toBe(2);
    expect(landingCell(cells, { id: 'cup', kind: 'goods' }, 5)).toBe(4);
  });
  it('picks the next 谢谢参与 after the lit cell', () => {
    expect(landingCell(cells, { id: 'nil', kind: 'none' })).toBe(1);
    expect(landingCell(cells, { id: 'nil', kind: 'none' }, 1)).toBe(3);
    expect(landingCell(cells, { id: 'nil', kind: 'none' }, 6)).toBe(7);
    expect(landingCell(cells, { id: 'nil', kind: 'none' }, 7)).toBe(1);
  });
  it('lands a 谢谢参与 without id on any none cell; an unknown prize nowhere', () => {
    expect(landingCell(cells, { id: null, kind: 'none' }, 2)).toBe(3);
    expect(landingCell(cells, { id: 'gone', kind: 'none' }, 4)).toBe(5);
    expect(landingCell(cells, { id: 'gone', kind: 'coupon' })).toBe(-1);
  });
});

describe('spinPlan', () => {
  it('goes one lap and on to the target, slowing down at the end', () => {
    expect(spinPlan(-1, 2, 8)).toEqual({
      cells: [0, 1, 2, 3, 4, 5, 6, 7, 0, 1, 2],
      delays: [50, 50, 50, 50, 50, 90, 120, 160, 200, 250, 300],
    });
  });
  it('does a full lap when it starts on the target', () => {
    expect(spinPlan(5, 5, 8)).toEqual({ cells: [6, 7, 0, 1, 2, 3, 4, 5], delays: [50, 50, 90, 120, 160, 200, 250, 300] });
  });
  it('stays under 2 s on the biggest board', () => {
    const p = spinPlan(3, 1, 12);
    expect(p.cells).toHaveLength(22);
    expect(p.cells.at(-1)).toBe(1);
    expect(p.delays.reduce((a, b) => a + b, 0)).toBe(1920);
  });
  it('plans nothing for a cell that is not on the board', () => {
    expect(spinPlan(0, -1, 8)).toEqual({ cells: [], delays: [] });
    expect(spinPlan(0, 8, 8)).toEqual({ cells: [], delays: [] });
  });
});

describe('draw texts', () => {
  it('says the draws left', () => {
    expect(drawsLeftText(lot(null))).toBe('每天1次免费机会');
    expect(drawsLeftText(lot({ drawsLeftToday: 0 }))).toBe('今日剩余0次免费机会');
    expect(drawsLeftText(lot({ drawsLeftToday: 2, totalDrawsLeft: 5 }))).toBe('今日剩余2次免费机会（活动共剩5次）');
    expect(drawsLeftText(lot(null, { freeDrawsPerDay: 0 }))).toBe('登录后参与抽奖');
    expect(drawsLeftText(lot({ drawsLeftToday: 0, chancesLeft: 2 }))).toBe('今日剩余0次免费机会，另有2次额外机会');
  });

  it('says what a draw costs', () => {
    expect(drawCostText(lot(null))).toBe('每天免费抽1次，之后每次消耗50积分');
    expect(drawCostText(lot(null, { pointsPerDraw: 0 }))).toBe('每天免费抽1次');
    expect(drawCostText(lot(null, { freeDrawsPerDay: 0 }))).toBe('每次抽奖消耗50积分');
    expect(drawCostText(lot({}))).toBe('本次免费，免费次数用完后每次消耗50积分');
    expect(drawCostText(lot({}, { pointsPerDraw: 0 }))).toBe('本次免费');
    expect(drawCostText(lot({ drawsLeftToday: 0, nextDrawCost: 50, pointsBalance: 120 }))).toBe(
      '今日免费次数已用完，每次消耗50积分（当前120积分）',
    );
    expect(drawCostText(lot({ drawsLeftToday: 0, nextDrawCost: null, pointsBalance: 30 }))).toBe(
      '积分不足，每次抽奖需50积分（当前30积分）',
    );
    expect(drawCostText(lot({ drawsLeftToday: 0, nextDrawCost: null }, { pointsPerDraw: 0 }))).toBe('今日次数已用完，明天再来');
    expect(drawCostText(lot({ drawsLeftToday: 0, nextDrawCost: null, totalDrawsLeft: 0 }))).toBe('你的抽奖次数已用完');
  });

  it('labels the button', () => {
    expect(drawButton(lot({}))).toEqual({ text: '抽奖', sub: '免费', open: true, ready: true });
    expect(drawButton(lot(null))).toEqual({ text: '抽奖', sub: '登录免费抽', open: true, ready: true });
    expect(drawButton(lot({ nextDrawCost: 50 }))).toEqual({ text: '抽奖', sub: '50积分/次', open: true, ready: true });
    expect(drawButton(lot({ nextDrawCost: null }))).toEqual({ text: '抽奖', sub: '积分不足', open: true, ready: false });
    expect(drawButton(lot({ nextDrawCost: null }, { pointsPerDraw: 0 }))).toEqual({
      text: '抽奖',
      sub: '明天再来',
      open: true,
      ready: false,
    });
    expect(drawButton(lot({ nextDrawCost: null, totalDrawsLeft: 0 }))).toEqual({
      text: '抽奖',
      sub: '次数已用完',
      open: true,
      ready: false,
    });
    expect(drawButton(lot({}, { state: 'upcoming' }))).toEqual({ text: '即将开始', sub: '12-04 18:00 开抽', open: false, ready: false });
    expect(drawButton(lot({}, { state: 'ended' }))).toEqual({ text: '已结束', sub: '下次早点来', open: false, ready: false });
  });

  it('prints the period', () => {
    expect(lotteryPeriod({ startsAt: '2026-12-04T10:00:00.000Z', endsAt: '2027-01-03T15:30:00.000Z' })).toBe('12-04 18:00 至 01-03 23:30');
  });
});

describe('results', () => {
  const r = (
    kind: LotteryPrize['kind'],
    name: string,
    over: { points?: number | null; pointsSpent?: number; fulfilment?: 'none' | 'to_ship' | 'shipped' } = {},
  ) => ({
    prize: { id: 'x', name, kind, imageUrl: null },
    points: over.points ?? null,
    pointsSpent: over.pointsSpent ?? 0,
    fulfilment: over.fulfilment ?? ('none' as const),
  });

  it('reads each kind of prize', () => {
    expect(resultView(r('none', '谢谢参与'))).toEqual({
      kind: 'none',
      title: '谢谢参与',
      sub: '差一点就中了，再试试手气吧',
      action: 'again',
      actionText: '再抽一次',
      spent: '',
    });
    expect(resultView(r('coupon', '无门槛10元券'))).toEqual({
      kind: 'coupon',
      title: '获得 无门槛10元券',
      sub: '已放入「我的优惠券」，下单时抵扣',
      action: 'use',
      actionText: '去使用',
      spent: '',
    });
    expect(resultView(r('coupon', '满99减10')).title).toBe('获得 满99减10优惠券');
    expect(resultView(r('points', '100积分', { points: 100, pointsSpent: 50 }))).toEqual({
      kind: 'points',
      title: '获得 100 积分',
      sub: '已存入你的积分账户',
      action: 'again',
      actionText: '再抽一次',
      spent: '本次消耗50积分',
    });
    expect(resultView(r('goods', '316不锈钢保温杯', { fulfilment: 'to_ship' }))).toEqual({
      kind: 'goods',
      title: '获得 316不锈钢保温杯',
      sub: '实物奖品 · 待发货，我们会尽快为你寄出',
      action: 'prizes',
      actionText: '查看奖品',
      spent: '',
    });
    expect(resultView(r('goods', '保温杯', { fulfilment: 'shipped' })).sub).toBe('实物奖品 · 已发货');
  });

  it('reads past draws', () => {
    expect(myDrawStatus(r('coupon', '券'))).toBe('已发放至券包');
    expect(myDrawStatus(r('points', '100积分', { points: 100 }))).toBe('+100积分 已到账');
    expect(myDrawStatus(r('goods', '杯', { fulfilment: 'to_ship' }))).toBe('待发货');
    expect(myDrawStatus(r('goods', '杯', { fulfilment: 'shipped' }))).toBe('已发货');
    expect(myDrawStatus(r('none', '谢谢参与'))).toBe('未中奖');
  });
});

describe('drawErrorText', () => {
  it('explains the lottery refusals', () => {
    expect(drawErrorText({ code: 'promotions.no_draws_left', status: 409, details: { limit: 'daily', freeDrawsPerDay: 1 } })).toBe(
      '今日抽奖次数已用完，明天再来',
    );
    expect(drawErrorText({ code: 'promotions.no_draws_left', status: 409, details: { limit: 'total', maxDrawsPerUser: 3 } })).toBe(
      '你的抽奖次数已用完',
    );
    expect(drawErrorText({ code: 'promotions.not_enough_points', status: 409, details: { pointsPerDraw: 50, balance: 10 } })).toBe(
      '积分不足，每次抽奖需50积分',
    );
    expect(drawErrorText({ code: 'promotions.not_enough_points', status: 409 })).toBe('积分不足，暂时不能抽奖');
    expect(drawErrorText({ code: 'promotions.lottery_not_open', status: 409, details: { state: 'upcoming' } })).toBe('活动尚未开始');
    expect(drawErrorText({ code: 'promotions.lottery_not_open', status: 409, details: { state: 'ended' } })).toBe('活动已结束');
    expect(drawErrorText({ code: 'promotions.draw_busy', status: 409 })).toBe('参与的人太多了，请稍后再试');
  });
  it('falls back to the shop-wide texts', () => {
    expect(drawErrorText({ code: 'network', status: 0 })).toBe('网络不给力，请稍后再试');
    expect(drawErrorText({ code: 'auth.unauthorized', status: 401 })).toBe('请先登录');
    expect(drawErrorText(undefined)).toBe('操作失败，请稍后再试');
  });
  it('knows which refusals make the page reload the lottery', () => {
    expect(refreshesLottery({ code: 'promotions.no_draws_left' })).toBe(true);
    expect(refreshesLottery({ code: 'promotions.draw_busy' })).toBe(false);
    expect(refreshesLottery(undefined)).toBe(false);
  });
});
