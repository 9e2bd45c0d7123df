/**
 * The check-in calendar (签到日历) and the task centre (任务中心) in shoppers' words: the month grid,
 * the bonus ladder, task buttons and Chinese error texts. Pure: no Taro, so unit tests read it directly.
 */
import { errorText } from './error-text';

export type DayStatus = 'checked' | 'made_up' | 'missed' | 'today' | 'upcoming' | 'none';
export interface CalendarDay {
  day: string;
  status: DayStatus;
  points: number;
  canMakeUp: boolean;
}

/** The month's days laid out in weeks starting on Sunday (日 一 … 六): null cells pad the first and last week. */
export function monthGrid(days: CalendarDay[]): (CalendarDay | null)[][] {
  if (!days.length) return [];
  const lead = new Date(`${days[0]!.day}T00:00:00Z`).getUTCDay();
  const cells: (CalendarDay | null)[] = [...Array<null>(lead).fill(null), ...days];
  while (cells.length % 7) cells.push(null);
  const weeks: (CalendarDay | null)[][] = [];
  for (let i = 0; i < cells.length; i += 7) weeks.push(cells.slice(i, i + 7));
  return weeks;
}

export const WEEKDAYS = ['日', '一', '二', '三', '四', '五', '六'];

/** "2026-12-07" → "12月7日" */
export const dayText = (day: string) => `${Number(day.slice(5, 7))}月${Number(day.slice(8, 10))}日`;
/** "2026-12" → "2026年12月" */
export const monthText = (month: string) => `${month.slice(0, 4)}年${Number(month.slice(5, 7))}月`;

/** The month before / after "2026-12". */
export function shiftMonth(month: string, by: number): string {
  const y = Number(month.slice(0, 4));
  const m = Number(month.slice(5, 7)) - 1 + by;
  const d = new Date(Date.UTC(y, m, 1));
  return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
}

/** What a day cell shows under its date. */
export function dayMark(d: CalendarDay): string {
  switch (d.status) {
    case 'checked':
      return d.points > 0 ? `+${d.points}` : '已签';
    case 'made_up':
      return '已补签';
    case 'missed':
      return d.canMakeUp ? '补签' : '漏签';
    case 'today':
      return '待签到';
    default:
      return '';
  }
}

/** The big button: 签到 +N积分 before, 已签到 after. */
export function checkinButton(c: { enabled: boolean; checkedInToday: boolean; todayReward: { points: number; bonusPoints: number } }) {
  if (!c.enabled) return { text: '签到暂未开放', ready: false };
  if (c.checkedInToday) return { text: '今日已签到', ready: false };
  const total = c.todayReward.points + c.todayReward.bonusPoints;
  return { text: total > 0 ? `立即签到 +${total}积分` : '立即签到', ready: true };
}

/** "再签2天可得20积分" / "明天签到可得…" for the next streak bonus. */
export function nextBonusText(b: { inDays: number; points: number; streakDay: number } | null, checkedInToday: boolean): string {
  if (!b) return '坚持签到，积分天天领';
  if (b.inDays === 1) return checkedInToday ? `明天签到额外得${b.points}积分` : `今天签到额外得${b.points}积分`;
  return `再签${b.inDays}天，额外得${b.points}积分`;
}

/** The result line after a check-in: "签到成功 +5积分", plus the bonus. */
export function checkinResultText(r: { points: number; bonusPoints: number; kind: 'normal' | 'makeup' }): string {
  const head = r.kind === 'makeup' ? '补签成功' : '签到成功';
  return r.bonusPoints > 0 ? `${head} +${r.points}积分，连签奖励 +${r.bonusPoints}积分` : `${head} +${r.points}积分`;
}

const MAKEUP_REASON: Record<string, string> = {
  not_past: '只能补签今天之前的日期',
  outside_window: '已超出可补签的天数',
  other_month: '只能补签本月的日期',
  before_signup: '注册前的日期不能补签',
  disabled: '暂不支持补签',
};

const TEXT: Record<string, string> = {
  'members.checkin_disabled': '签到暂未开放',
  'members.checkin_busy': '签到的人太多了，请稍后再试',
  'members.no_makeup_card': '补签卡不足，完成任务可获得补签卡',
  'members.task_not_complete': '任务还没完成哦',
  'members.task_reward_unavailable': '奖励已发完，请稍后再试',
  'members.task_not_found': '任务不存在或已下线',
  'members.task_events_limited': '今天的浏览次数已达上限',
  'members.task_events_rate_limited': '操作太频繁，请稍后再试',
};

/** Chinese text for a check-in or task error (falls back to the shop-wide texts). */
export function growthErrorText(e: unknown): string {
  const err = (e ?? {}) as { code?: string; details?: { reason?: string } };
  if (err.code === 'members.makeup_not_allowed') return MAKEUP_REASON[err.details?.reason ?? ''] ?? '这一天不能补签';
  return (err.code && TEXT[err.code]) || errorText(e);
}

export type TaskState = 'in_progress' | 'claimable' | 'claimed';
export type TaskKind = 'browse_product' | 'share_product' | 'write_review' | 'complete_profile' | 'first_order' | 'subscribe_messages';

/** The task's button: 去完成 / 领取 / 已领取. */
export function taskButton(state: TaskState): { text: string; action: 'go' | 'claim' | 'none' } {
  if (state === 'claimable') return { text: '领取', action: 'claim' };
  if (state === 'claimed') return { text: '已领取', action: 'none' };
  return { text: '去完成', action: 'go' };
}

export const TASK_STATE_TEXT: Record<TaskState, string> = { in_progress: '进行中', claimable: '可领取', claimed: '已领取' };

/** How to do a task: the hint under its title when the operator gave no description. */
export function taskHint(t: { kind: TaskKind; target: number; browseSeconds: number | null }): string {
  switch (t.kind) {
    case 'browse_product':
      return `浏览${t.target}件商品，每件${t.browseSeconds ?? 15}秒以上`;
    case 'share_product':
      return t.target > 1 ? `分享${t.target}件商品给好友` : '分享商品给好友';
    case 'write_review':
      return '确认收货后评价晒单';
    case 'complete_profile':
      return '完善头像、昵称等个人资料';
    case 'first_order':
      return '首单确认收货且售后期结束后可领取';
    case 'subscribe_messages':
      return '订阅订单与活动消息提醒';
  }
}

/** Where 去完成 leads for each kind. */
export function taskDestination(kind: TaskKind): 'home' | 'orders' | 'mine' {
  if (kind === 'write_review') return 'orders';
  if (kind === 'complete_profile' || kind === 'subscribe_messages') return 'mine';
  return 'home';
}

/** "领取成功 +10积分" for a claim's reward text. */
export const claimText = (rewardText: string) => `领取成功，获得${rewardText}`;

/** Width of a progress bar in percent (0–100). */
export const progressPercent = (progress: number, target: number) =>
  target > 0 ? Math.min(100, Math.round((progress / target) * 100)) : 0;
