import { useEffect, useRef, useState } from 'react';
import Taro from '@tarojs/taro';
import { View, Text, Button } from '@tarojs/components';
import { api } from '@/api';
import { ensureLogin, isLoggedIn, onSessionChange } from '@/api/session';
import { useApi } from '@/hooks/use-api';
import { go } from '@/lib/nav';
import { TASK_STATE_TEXT, claimText, growthErrorText, progressPercent, taskButton, taskDestination, taskHint } from '@/lib/checkin';
import { PageState } from '@/components/page-state';
import './index.css';

async function loadTasks() {
  const [tasks, points] = await Promise.all([api.call('listTasks'), api.call('getMyPoints', { query: { limit: 1 } }).catch(() => null)]);
  return { tasks, points: points?.balance ?? null };
}
type Task = Awaited<ReturnType<typeof loadTasks>>['tasks']['items'][number];

/** 任务中心: 每日任务 and 新手任务 with progress bars; 去完成 leads to where the task is done, 领取 pays the reward once. */
export default function TasksPage() {
  const [signedIn, setSignedIn] = useState(isLoggedIn());
  useEffect(() => onSessionChange(() => setSignedIn(isLoggedIn())), []);
  useEffect(() => {
    if (!signedIn) void ensureLogin();
  }, [signedIn]);
  const data = useApi(loadTasks, [signedIn], { enabled: signedIn, refreshOnShow: true });
  const busy = useRef(false);
  const [claiming, setClaiming] = useState<string | null>(null);

  async function act(t: Task) {
    const btn = taskButton(t.state);
    if (btn.action === 'go') {
      const to = taskDestination(t.kind);
      void go(to);
      return;
    }
    if (btn.action !== 'claim' || busy.current) return;
    busy.current = true;
    setClaiming(t.id);
    try {
      const r = await api.call('claimTaskReward', { path: { taskId: t.id } });
      void Taro.showToast({ title: r.alreadyClaimed ? '已经领取过了' : claimText(r.reward.text), icon: 'none', duration: 2500 });
      await data.reload();
    } catch (e) {
      void Taro.showToast({ title: growthErrorText(e), icon: 'none', duration: 2500 });
      void data.reload();
    } finally {
      busy.current = false;
      setClaiming(null);
    }
  }

  if (!signedIn)
    return (
      <View className="tasks">
        <PageState empty emptyText="登录后做任务领奖励" emptyAction={{ text: '去登录', onClick: () => void ensureLogin() }} />
      </View>
    );
  const d = data.data;
  if (!d) return <PageState loading={data.loading} error={data.error} onRetry={() => void data.reload()} />;

  const groups = [
    { key: 'daily', title: '每日任务', sub: '每天0点（北京时间）刷新', items: d.tasks.items.filter((t) => t.period === 'daily') },
    { key: 'once', title: '新手任务', sub: '每个任务仅可领取一次', items: d.tasks.items.filter((t) => t.period === 'once') },
  ].filter((g) => g.items.length > 0);

  return (
    <View className="tasks">
      <View className="tasks__head">
        <View>
          <Text className="tasks__points" data-testid="tasks-points">
            {d.points ?? '--'}
          </Text>
          <Text className="tasks__points-label">我的积分</Text>
        </View>
        <Button className="tasks__checkin" data-testid="tasks-checkin" onClick={() => void go('checkin')}>
          去签到
        </Button>
      </View>
      {groups.length === 0 && <PageState empty emptyText="暂时没有任务，过会儿再来看看" />}
      {groups.map((g) => (
        <View key={g.key} className="tasks__card" data-testid={`tasks-group-${g.key}`}>
          <View className="tasks__card-head">
            <Text className="tasks__card-title">{g.title}</Text>
            <Text className="tasks__muted">{g.sub}</Text>
          </View>
          {g.items.map((t) => {
            const btn = taskButton(t.state);
            return (
              <View key={t.id} className="tasks__item" data-testid="task-item" data-task-id={t.id} data-state={t.state} data-kind={t.kind}>
                <View className="tasks__body">
                  <View className="tasks__title-row">
                    <Text className="tasks__title">{t.title}</Text>
                    <Text className="tasks__reward">{t.reward.text}</Text>
                  </View>
                  <Text className="tasks__hint">{t.description || taskHint(t)}</Text>
                  <View className="tasks__bar">
                    <View className="tasks__bar-fill" style={{ width: `${progressPercent(t.progress, t.target)}%` }} />
                  </View>
                  <Text className="tasks__progress" data-testid="task-progress">
                    {TASK_STATE_TEXT[t.state]} {t.progress}/{t.target}
                  </Text>
                </View>
                <Button
                  className={`tasks__btn tasks__btn--${btn.action}`}
                  data-testid="task-action"
                  data-action={btn.action}
                  disabled={btn.action === 'none' || claiming === t.id}
                  onClick={() => void act(t)}
                >
                  {claiming === t.id ? '领取中' : btn.text}
                </Button>
              </View>
            );
          })}
        </View>
      ))}
    </View>
  );
}
