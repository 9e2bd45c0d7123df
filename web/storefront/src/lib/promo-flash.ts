/**
 * What the flash-sale page shows for each sale and session (场次), from the API's rows and the
 * server's "now" (see countdown.ts). Pure: no Taro.
 */
import type { OperationResult } from '@edgemall/client/operation-client';
import { phaseOf, toMs, type Phase } from './countdown';

export type FlashSale = OperationResult<'listFlashSales'>['items'][number];

/** What this device learnt from its own attempts, ahead of the next list reload. */
export interface FlashMarks {
  soldOut?: boolean;
  limitReached?: boolean;
}

export type FlashStatusKey = 'upcoming' | 'live' | 'sold_out' | 'ended';

export interface FlashView {
  phase: Phase;
  statusKey: FlashStatusKey;
  /** 即将开始 / 抢购中 / 已抢光 / 已结束 */
  status: string;
  /** the buy button's text */
  buyText: string;
  canBuy: boolean;
  /** 已抢 N% / 仅剩 N 件 / 限量 N 件 */
  progressText: string;
  /** 0–100 for the bar; null when the stock is unknown */
  soldPercent: number | null;
  /** what the countdown counts to (server time), null once ended */
  countdownTarget: string | null;
  countdownLabel: string;
}

const BJ = 8 * 3600_000;
const pad = (n: number) => String(n).padStart(2, '0');
function bj(ms: number) {
  const d = new Date(ms + BJ);
  return {
    day: Math.floor((ms + BJ) / 86400_000),
    md: `${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`,
    hm: `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`,
  };
}

/** "18:30", "明天 10:00" or "12-06 10:00" (Beijing time), relative to `now`. */
export function clockLabel(at: string | number, now: number): string {
  const t = bj(toMs(at));
  const today = bj(now).day;
  if (t.day === today) return t.hm;
  if (t.day === today + 1) return `明天 ${t.hm}`;
  return `${t.md} ${t.hm}`;
}

/** Few enough left to say "仅剩 N 件" instead of the percentage. */
function fewLeft(remaining: number, allocated: number): boolean {
  return remaining > 0 && remaining <= Math.max(3, Math.ceil(allocated / 10));
}

export function flashView(sale: FlashSale, now: number, marks: FlashMarks = {}): FlashView {
  const { phase } = phaseOf(sale, now);
  const known = sale.remaining !== null && sale.allocated > 0;
  const remaining = sale.remaining ?? 0;
  const soldOut = !!marks.soldOut || (known && remaining <= 0);
  const soldPercent = !known
    ? null
    : soldOut
      ? 100
      : Math.min(100, Math.max(0, Math.floor(((sale.allocated - remaining) * 100) / sale.allocated)));

  if (phase === 'ended')
    return {
      phase,
      statusKey: 'ended',
      status: '已结束',
      buyText: '已结束',
      canBuy: false,
      progressText: soldPercent === null ? '' : `已抢 ${soldPercent}%`,
      soldPercent,
      countdownTarget: null,
      countdownLabel: '',
    };

  if (phase === 'upcoming')
    return {
      phase,
      statusKey: 'upcoming',
      status: '即将开始',
      buyText: `${clockLabel(sale.startsAt, now)} 开抢`,
      canBuy: false,
      progressText: `限量 ${sale.allocated} 件`,
      soldPercent: known ? soldPercent : null,
      countdownTarget: sale.startsAt,
      countdownLabel: '距开始',
    };

  if (soldOut)
    return {
      phase,
      statusKey: 'sold_out',
      status: '已抢光',
      buyText: '已抢光',
      canBuy: false,
      progressText: '已抢 100%',
      soldPercent: 100,
      countdownTarget: sale.endsAt,
      countdownLabel: '距结束',
    };

  return {
    phase,
    statusKey: 'live',
    status: '抢购中',
    buyText: marks.limitReached ? '已达限购' : '立即抢购',
    canBuy: !marks.limitReached,
    progressText: !known
      ? `限量 ${sale.allocated} 件`
      : fewLeft(remaining, sale.allocated)
        ? `仅剩 ${remaining} 件`
        : `已抢 ${soldPercent}%`,
    soldPercent,
    countdownTarget: sale.endsAt,
    countdownLabel: '距结束',
  };
}

export interface FlashSession {
  /** the session's start, epoch ms, as a string (a stable tab key) */
  key: string;
  /** "10:00场", "明天 10:00场" */
  label: string;
  phase: Phase;
  items: FlashSale[];
}

/** Sales grouped by start time (one 场次 each), soonest first; labels from roundLabel, or the start time. */
export function flashSessions(items: FlashSale[], now: number): FlashSession[] {
  const groups = new Map<number, FlashSale[]>();
  for (const s of items) {
    const k = toMs(s.startsAt);
    const g = groups.get(k);
    if (g) g.push(s);
    else groups.set(k, [s]);
  }
  return [...groups.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([start, list]) => {
      const phases = list.map((s) => phaseOf(s, now).phase);
      const phase: Phase = phases.includes('live') ? 'live' : phases.every((p) => p === 'ended') ? 'ended' : 'upcoming';
      const named = list.find((s) => s.roundLabel)?.roundLabel;
      const day = clockLabel(start, now);
      const prefix = day.includes(' ') ? `${day.split(' ')[0]} ` : '';
      return { key: String(start), label: named ? `${prefix}${named}` : `${day}场`, phase, items: list };
    });
}

/** Session tabs are shown when the sales come in rounds (场次). */
export function hasRounds(items: FlashSale[]): boolean {
  return items.some((s) => !!s.roundLabel);
}

/** The tab to open: the one holding `highlightId`, else the first live, else the first upcoming, else the first. */
export function defaultSessionKey(sessions: FlashSession[], highlightId?: string): string | undefined {
  const withId = highlightId ? sessions.find((s) => s.items.some((i) => i.id === highlightId)) : undefined;
  return (withId ?? sessions.find((s) => s.phase === 'live') ?? sessions.find((s) => s.phase === 'upcoming') ?? sessions[0])?.key;
}

export const PHASE_TEXT: Record<Phase, string> = { upcoming: '即将开始', live: '抢购中', ended: '已结束' };

/** Whole minutes (at least 1) left to pay before `expiresAt`. */
export function payMinutesLeft(expiresAt: string | null | undefined, now: number): number {
  const ms = toMs(expiresAt) - now;
  if (!Number.isFinite(ms)) return 0;
  return Math.max(1, Math.ceil(ms / 60_000));
}
