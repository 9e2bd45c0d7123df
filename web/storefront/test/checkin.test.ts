import { describe, expect, it } from 'vitest';
import {
  checkinButton,
  checkinResultText,
  dayMark,
  growthErrorText,
  monthGrid,
  nextBonusText,
  progressPercent,
  shiftMonth,
  taskButton,
  taskHint,
  type CalendarDay,
} from '@/lib/checkin';

const day = (d: string, status: CalendarDay['status'] = 'upcoming', over: Partial<CalendarDay> = {}): CalendarDay => ({
  day: d,
  status,
  points: 0,
  canMakeUp: false,
  ...over,
});

describe('check-in calendar', () => {
  it('lays a month out in Sunday-first weeks, padded at both ends', () => {
    // December 2026 starts on a Tuesday and has 31 days
    const days = Array.from({ length: 31 }, (_, i) => day(`2026-12-${String(i + 1).padStart(2, '0')}`));
    const weeks = monthGrid(days);
    expect(weeks).toHaveLength(5);
    expect(weeks[0]!.slice(0, 2)).toEqual([null, null]);
    expect(weeks[0]![2]!.day).toBe('2026-12-01');
    expect(weeks[4]!.filter(Boolean)).toHaveLength(31 - 3 * 7 - 5);
    expect(weeks.every((w) => w.length === 7)).toBe(true);
  });

  it('marks days and words the button, the next bonus and the result', () => {
    expect(dayMark(day('2026-12-01', 'checked', { points: 25 }))).toBe('+25');
    expect(dayMark(day('2026-12-02', 'missed', { canMakeUp: true }))).toBe('补签');
    expect(dayMark(day('2026-12-03', 'missed'))).toBe('漏签');
    expect(dayMark(day('2026-12-04', 'made_up'))).toBe('已补签');
    expect(checkinButton({ enabled: true, checkedInToday: false, todayReward: { points: 5, bonusPoints: 20 } })).toEqual({
      text: '立即签到 +25积分',
      ready: true,
    });
    expect(checkinButton({ enabled: true, checkedInToday: true, todayReward: { points: 5, bonusPoints: 0 } }).ready).toBe(false);
    expect(checkinButton({ enabled: false, checkedInToday: false, todayReward: { points: 5, bonusPoints: 0 } }).text).toBe('签到暂未开放');
    expect(nextBonusText({ inDays: 1, points: 20, streakDay: 7 }, false)).toBe('今天签到额外得20积分');
    expect(nextBonusText({ inDays: 1, points: 20, streakDay: 7 }, true)).toBe('明天签到额外得20积分');
    expect(nextBonusText({ inDays: 3, points: 20, streakDay: 7 }, true)).toBe('再签3天，额外得20积分');
    expect(checkinResultText({ kind: 'normal', points: 5, bonusPoints: 20 })).toBe('签到成功 +5积分，连签奖励 +20积分');
    expect(checkinResultText({ kind: 'makeup', points: 5, bonusPoints: 0 })).toBe('补签成功 +5积分');
    expect(shiftMonth('2026-12', 1)).toBe('2027-01');
    expect(shiftMonth('2027-01', -1)).toBe('2026-12');
  });

  it('says why a make-up or a claim was refused, in Chinese', () => {
    expect(growthErrorText({ code: 'members.makeup_not_allowed', details: { reason: 'outside_window' } })).toBe('已超出可补签的天数');
    expect(growthErrorText({ code: 'members.no_makeup_card' })).toContain('补签卡不足');
    expect(growthErrorText({ code: 'members.task_not_complete' })).toBe('任务还没完成哦');
    expect(growthErrorText({ code: 'auth.unauthorized', status: 401 })).toBe('请先登录');
  });
});

describe('task centre', () => {
  it('maps states to buttons and progress to a bar', () => {
    expect(taskButton('in_progress')).toEqual({ text: '去完成', action: 'go' });
    expect(taskButton('claimable')).toEqual({ text: '领取', action: 'claim' });
    expect(taskButton('claimed')).toEqual({ text: '已领取', action: 'none' });
    expect(progressPercent(1, 3)).toBe(33);
    expect(progressPercent(5, 3)).toBe(100);
    expect(taskHint({ kind: 'browse_product', target: 3, browseSeconds: 15 })).toBe('浏览3件商品，每件15秒以上');
  });
});
