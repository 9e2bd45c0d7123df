import { useEffect, useRef, useState } from 'react';
import Taro from '@tarojs/taro';
import { View, Text, Button } from '@tarojs/components';
import { api } from '@/api';
import { ensureLogin, isLoggedIn, onSessionChange } from '@/api/session';
import { useApi } from '@/hooks/use-api';
import { go } from '@/lib/nav';
import {
  WEEKDAYS,
  checkinButton,
  checkinResultText,
  dayMark,
  dayText,
  growthErrorText,
  monthGrid,
  monthText,
  nextBonusText,
  shiftMonth,
  type CalendarDay,
} from '@/lib/checkin';
import { PageState } from '@/components/page-state';
import './index.css';

/** 每日签到: today's button, the streak and bonus ladder, the month calendar with 补签 (make-up cards), the rules. */
export default function CheckinPage() {
  const [signedIn, setSignedIn] = useState(isLoggedIn());
  useEffect(() => onSessionChange(() => setSignedIn(isLoggedIn())), []);
  useEffect(() => {
    if (!signedIn) void ensureLogin();
  }, [signedIn]);
  const [month, setMonth] = useState<string | undefined>(undefined);
  const cal = useApi(() => api.call('getCheckinCalendar', { query: month ? { month } : {} }), [month, signedIn], {
    enabled: signedIn,
    refreshOnShow: true,
  });
  const [result, setResult] = useState<string | null>(null);
  const busy = useRef(false);
  const [working, setWorking] = useState(false);

  async function run(fn: () => Promise<{ points: number; bonusPoints: number; kind: 'normal' | 'makeup'; alreadyCheckedIn: boolean }>) {
    if (busy.current) return;
    busy.current = true;
    setWorking(true);
    try {
      const r = await fn();
      setResult(r.alreadyCheckedIn ? '今天已经签到过了' : checkinResultText(r));
      await cal.reload();
    } catch (e) {
      void Taro.showToast({ title: growthErrorText(e), icon: 'none', duration: 2500 });
      void cal.reload();
    } finally {
      busy.current = false;
      setWorking(false);
    }
  }

  const checkIn = () => run(() => api.call('checkIn'));

  async function makeUp(d: CalendarDay) {
    const c = cal.data;
    if (!c || !d.canMakeUp) return;
    if (c.makeupCards < 1) {
      void Taro.showToast({ title: '补签卡不足，完成任务可获得补签卡', icon: 'none', duration: 2500 });
      return;
    }
    const ok = await Taro.showModal({
      title: '补签',
      content: `使用1张补签卡补签${dayText(d.day)}？（剩余${c.makeupCards}张）`,
      confirmText: '补签',
      confirmColor: '#e4393c',
    });
    if (ok.confirm) await run(() => api.call('makeUpCheckin', { body: { day: d.day } }));
  }

  if (!signedIn)
    return (
      <View className="checkin">
        <PageState empty emptyText="登录后签到领积分" emptyAction={{ text: '去登录', onClick: () => void ensureLogin() }} />
      </View>
    );
  const c = cal.data;
  if (!c) return <PageState loading={cal.loading} error={cal.error} onRetry={() => void cal.reload()} />;

  const btn = checkinButton(c);
  const thisMonth = c.today.slice(0, 7);
  return (
    <View className="checkin">
      <View className="checkin__head">
        <Text className="checkin__streak" data-testid="checkin-streak" data-streak={c.currentStreak}>
          已连续签到 <Text className="checkin__streak-num">{c.currentStreak}</Text> 天
        </Text>
        <Text className="checkin__next" data-testid="checkin-next">
          {nextBonusText(c.nextBonus, c.checkedInToday)}
        </Text>
        <View className="checkin__ladder">
          {c.ladder.map((s) => (
            <View
              key={s.streakDay}
              className={`checkin__step${s.reached ? ' checkin__step--on' : ''}${s.bonusPoints > 0 ? ' checkin__step--bonus' : ''}`}
              data-testid="checkin-ladder-step"
              data-reached={s.reached ? 'true' : 'false'}
            >
              <Text className="checkin__step-pts">+{s.points + s.bonusPoints}</Text>
              <Text className="checkin__step-day">第{s.streakDay}天</Text>
            </View>
          ))}
        </View>
        <Button
          className={`checkin__btn${btn.ready ? '' : ' checkin__btn--off'}`}
          data-testid="checkin-button"
          data-state={c.checkedInToday ? 'done' : btn.ready ? 'ready' : 'off'}
          disabled={working}
          onClick={() => btn.ready && void checkIn()}
        >
          {working ? '请稍候…' : btn.text}
        </Button>
      </View>

      <View className="checkin__card">
        <View className="checkin__month">
          <Text className="checkin__month-nav" data-testid="checkin-prev-month" onClick={() => setMonth(shiftMonth(c.month, -1))}>
            ‹ 上月
          </Text>
          <Text className="checkin__month-title" data-testid="checkin-month">
            {monthText(c.month)}
          </Text>
          <Text
            className={`checkin__month-nav${c.month >= thisMonth ? ' checkin__month-nav--off' : ''}`}
            onClick={() => c.month < thisMonth && setMonth(shiftMonth(c.month, 1))}
          >
            下月 ›
          </Text>
        </View>
        <View className="checkin__week">
          {WEEKDAYS.map((w) => (
            <Text key={w} className="checkin__weekday">
              {w}
            </Text>
          ))}
        </View>
        {monthGrid(c.days).map((week, i) => (
          <View key={i} className="checkin__week">
            {week.map((d, j) =>
              d ? (
                <View
                  key={d.day}
                  className={`checkin__day checkin__day--${d.status}${d.canMakeUp ? ' checkin__day--makeup' : ''}`}
                  data-testid="checkin-day"
                  data-day={d.day}
                  data-status={d.status}
                  onClick={() => void makeUp(d)}
                >
                  <Text className="checkin__day-num">{d.day === c.today ? '今' : Number(d.day.slice(8))}</Text>
                  <Text className="checkin__day-mark">{dayMark(d)}</Text>
                </View>
              ) : (
                <View key={`pad-${j}`} className="checkin__day checkin__day--pad" />
              ),
            )}
          </View>
        ))}
        <View className="checkin__cards" data-testid="checkin-cards" data-cards={c.makeupCards}>
          <Text>
            补签卡 <Text className="checkin__cards-num">{c.makeupCards}</Text> 张
          </Text>
          <Text className="checkin__muted">
            {c.makeupWindowDays > 0 ? `点击本月近${c.makeupWindowDays}天内漏签的日期补签` : '暂不支持补签'}
          </Text>
        </View>
      </View>

      <View className="checkin__card checkin__link" data-testid="checkin-tasks" onClick={() => void go('tasks')}>
        <Text>做任务赚积分、领补签卡</Text>
        <Text className="checkin__muted">去任务中心 ›</Text>
      </View>

      <View className="checkin__card">
        <Text className="checkin__section">签到规则</Text>
        <Text className="checkin__rule">1. 每天（北京时间0点起）可签到一次，每次得{c.rules.dailyPoints}积分</Text>
        {c.rules.bonuses.length > 0 && (
          <Text className="checkin__rule">
            2. 连续签到奖励：{c.rules.bonuses.map((b) => `第${b.day}天额外+${b.points}`).join('，')}
            {c.rules.cycleDays ? `，每${c.rules.cycleDays}天为一个周期` : ''}
          </Text>
        )}
        <Text className="checkin__rule">3. 中断一天连续天数将重新计算；补签可恢复连续天数，每次消耗1张补签卡</Text>
        {c.makeupWindowDays > 0 && <Text className="checkin__rule">4. 仅可补签本月内最近{c.makeupWindowDays}天的漏签日期</Text>}
      </View>

      {result && (
        <View className="checkin__mask" catchMove>
          <View className="checkin__mask-bg" onClick={() => setResult(null)} />
          <View className="checkin__result" data-testid="checkin-result">
            <Text className="checkin__result-icon">✓</Text>
            <Text className="checkin__result-text" data-testid="checkin-result-text">
              {result}
            </Text>
            <Button className="checkin__btn" data-testid="checkin-result-close" onClick={() => setResult(null)}>
              知道了
            </Button>
          </View>
        </View>
      )}
    </View>
  );
}
