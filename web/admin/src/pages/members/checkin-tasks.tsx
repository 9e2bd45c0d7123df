import { useCallback, useEffect, useMemo, useState } from 'react';
import { Alert, Button, Card, Col, Form, Input, InputNumber, Modal, Row, Select, Space, Switch, Table, Tabs, Tag, message } from 'antd';
import { api, call, type Schemas } from '../../api';
import { Chart } from '../../Chart';
import { useI18n } from '../../i18n';
import { useAuth } from '../../auth';
import { PageTitle, errText, showError } from '../../ui';
import { FormError, applyApiErrors, useLoad } from '../promotions/shared';

type Settings = Schemas['CheckinSettings'];
type Task = Schemas['TaskConfig'];

/** 签到与任务: the check-in rules (daily points, streak bonus ladder, 补签 window) with daily check-ins, and the task centre's tasks. */
export default function CheckinTasksPage() {
  const { tr } = useI18n();
  const { me } = useAuth();
  const canWrite = !!me?.permissions.includes('members.write');
  return (
    <div data-testid="checkin-tasks-page">
      <PageTitle>{tr('签到与任务', 'Check-in & tasks')}</PageTitle>
      <Tabs
        items={[
          { key: 'checkin', label: tr('签到规则', 'Check-in rules'), children: <CheckinRules canWrite={canWrite} /> },
          { key: 'tasks', label: tr('任务配置', 'Tasks'), children: <TaskList canWrite={canWrite} /> },
        ]}
      />
    </div>
  );
}

function CheckinRules({ canWrite }: { canWrite: boolean }) {
  const { tr } = useI18n();
  const [form] = Form.useForm();
  const [settings, setSettings] = useState<Settings | null>(null);
  const [stats, setStats] = useState<Schemas['CheckinStats'] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const load = useCallback(async () => {
    try {
      const [s, st] = await Promise.all([
        call(api.GET('/admin/v1/checkin/settings')),
        call(api.GET('/admin/v1/checkin/stats', { params: { query: { days: 30 } } })),
      ]);
      setSettings(s);
      setStats(st);
      form.setFieldsValue({ ...s, cycle: s.cycleDays ?? 0 });
    } catch (e) {
      setError(errText(e));
    }
  }, [form]);
  useEffect(() => {
    void load();
  }, [load]);

  const save = async () => {
    setError(null);
    let v;
    try {
      v = await form.validateFields();
    } catch {
      return;
    }
    setBusy(true);
    try {
      const body: Schemas['UpdateCheckinRulesInput'] = {
        enabled: v.enabled,
        dailyPoints: v.dailyPoints,
        cycleDays: v.cycle ? v.cycle : null,
        bonuses: (v.bonuses ?? []).filter((b: { day?: number; points?: number }) => b?.day && b?.points),
        makeupWindowDays: v.makeupWindowDays,
      };
      const s = await call(api.PUT('/admin/v1/checkin/settings', { body }));
      setSettings(s);
      void message.success(tr('已保存', 'Saved'));
    } catch (e) {
      setError(applyApiErrors(form, e));
    } finally {
      setBusy(false);
    }
  };

  const option = useMemo(
    () => ({
      tooltip: { trigger: 'axis' },
      legend: { data: [tr('签到人数', 'Check-ins'), tr('补签', 'Make-ups')] },
      grid: { left: 40, right: 20, top: 40, bottom: 30 },
      xAxis: { type: 'category', data: (stats?.days ?? []).map((d) => d.day.slice(5)) },
      yAxis: { type: 'value', minInterval: 1 },
      series: [
        {
          name: tr('签到人数', 'Check-ins'),
          type: 'bar',
          data: (stats?.days ?? []).map((d) => d.checkins),
          itemStyle: { color: '#e4393c' },
        },
        { name: tr('补签', 'Make-ups'), type: 'line', data: (stats?.days ?? []).map((d) => d.makeups), itemStyle: { color: '#faad14' } },
      ],
    }),
    [stats, tr],
  );
  const today = stats?.days[stats.days.length - 1];

  return (
    <Row gutter={16}>
      <Col xs={24} lg={11}>
        <Card title={tr('签到规则', 'Rules')} size="small">
          <FormError error={error} />
          <Form form={form} layout="vertical" disabled={!canWrite} data-testid="checkin-rules-form">
            <Form.Item name="enabled" label={tr('开启签到', 'Check-in on')} valuePropName="checked">
              <Switch data-testid="checkin-enabled" />
            </Form.Item>
            <Form.Item name="dailyPoints" label={tr('每日签到积分', 'Points per check-in')} rules={[{ required: true }]}>
              <InputNumber min={0} max={100000} precision={0} data-testid="checkin-daily-points" />
            </Form.Item>
            <Form.Item
              name="cycle"
              label={tr('连签周期', 'Streak cycle')}
              extra={tr('周期结束后从第1天重新计算奖励', 'After the cycle the ladder starts again at day 1')}
            >
              <Select
                style={{ width: 200 }}
                options={[
                  { value: 7, label: tr('7天一个周期', '7-day cycle') },
                  { value: 14, label: tr('14天一个周期', '14-day cycle') },
                  { value: 30, label: tr('30天一个周期', '30-day cycle') },
                  { value: 0, label: tr('不循环（按连签天数）', 'No cycle (milestones)') },
                ]}
              />
            </Form.Item>
            <Form.Item label={tr('连签奖励', 'Streak bonuses')}>
              <Form.List name="bonuses">
                {(fields, { add, remove }) => (
                  <>
                    {fields.map((f) => (
                      <Space key={f.key} align="baseline">
                        <Form.Item name={[f.name, 'day']} rules={[{ required: true, message: tr('填写天数', 'Day') }]}>
                          <InputNumber min={1} max={365} precision={0} addonBefore={tr('第', 'Day')} addonAfter={tr('天', '')} />
                        </Form.Item>
                        <Form.Item name={[f.name, 'points']} rules={[{ required: true, message: tr('填写积分', 'Points') }]}>
                          <InputNumber min={1} max={100000} precision={0} addonBefore="+" addonAfter={tr('积分', 'pts')} />
                        </Form.Item>
                        <a onClick={() => remove(f.name)}>{tr('删除', 'Remove')}</a>
                      </Space>
                    ))}
                    <Button size="small" onClick={() => add()} data-testid="checkin-add-bonus">
                      {tr('添加连签奖励', 'Add a bonus')}
                    </Button>
                  </>
                )}
              </Form.List>
            </Form.Item>
            <Form.Item
              name="makeupWindowDays"
              label={tr('可补签天数', 'Make-up window (days)')}
              extra={tr('本月内最近 N 天的漏签可用补签卡补签；0 表示不允许补签', 'Missed days of this month within N days; 0 = none')}
              rules={[{ required: true }]}
            >
              <InputNumber min={0} max={31} precision={0} />
            </Form.Item>
            {canWrite && (
              <Button type="primary" loading={busy} onClick={() => void save()} data-testid="checkin-save">
                {tr('保存规则', 'Save rules')}
              </Button>
            )}
          </Form>
          {settings?.updatedAt === null && (
            <Alert
              style={{ marginTop: 12 }}
              type="info"
              showIcon
              message={tr('当前为默认规则，保存后生效为自定义规则', 'The defaults apply until you save')}
            />
          )}
        </Card>
      </Col>
      <Col xs={24} lg={13}>
        <Card
          title={tr('近30天签到', 'Check-ins, last 30 days')}
          size="small"
          extra={today && <span data-testid="checkin-today-count">{tr(`今日签到 ${today.checkins} 人`, `${today.checkins} today`)}</span>}
        >
          <Chart option={option} />
        </Card>
      </Col>
    </Row>
  );
}

function TaskList({ canWrite }: { canWrite: boolean }) {
  const { tr, label } = useI18n();
  const [items, setItems] = useState<Task[]>([]);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<unknown>(null);
  const [editing, setEditing] = useState<Task | 'new' | null>(null);
  const reload = useCallback(async () => {
    setLoading(true);
    try {
      setItems((await call(api.GET('/admin/v1/tasks'))).items);
      setError(null);
    } catch (e) {
      setError(e);
    } finally {
      setLoading(false);
    }
  }, []);
  useEffect(() => {
    void reload();
  }, [reload]);

  const toggle = async (t: Task) => {
    try {
      await call(api.PATCH('/admin/v1/tasks/{taskId}', { params: { path: { taskId: t.id } }, body: { enabled: !t.enabled } }));
      void reload();
    } catch (e) {
      showError(e);
    }
  };

  return (
    <div>
      {canWrite && (
        <Button type="primary" style={{ marginBottom: 12 }} onClick={() => setEditing('new')} data-testid="task-new">
          {tr('新建任务', 'New task')}
        </Button>
      )}
      {error ? <Alert type="error" message={errText(error)} /> : null}
      <Table<Task>
        rowKey="id"
        loading={loading}
        dataSource={items}
        pagination={false}
        columns={[
          { title: tr('任务', 'Task'), dataIndex: 'title', render: (v: string, t) => <span data-testid={`task-row-${t.id}`}>{v}</span> },
          { title: tr('类型', 'Kind'), dataIndex: 'kind', render: (k: string) => label('taskKind', k) },
          { title: tr('周期', 'Period'), dataIndex: 'period', render: (p: string) => <Tag>{label('taskPeriod', p)}</Tag> },
          {
            title: tr('目标', 'Target'),
            render: (_, t) =>
              t.kind === 'browse_product'
                ? tr(`${t.targetCount} 件 × ${t.browseSeconds}秒`, `${t.targetCount} × ${t.browseSeconds}s`)
                : t.targetCount,
          },
          { title: tr('奖励', 'Reward'), render: (_, t) => `${label('taskRewardKind', t.reward.kind)} · ${t.reward.text}` },
          { title: tr('今日领取', 'Paid today'), dataIndex: 'claimedToday' },
          { title: tr('累计领取', 'Paid in all'), dataIndex: 'claimedTotal' },
          { title: tr('排序', 'Order'), dataIndex: 'sortOrder' },
          {
            title: tr('状态', 'Status'),
            render: (_, t) => (
              <Switch checked={t.enabled} disabled={!canWrite} onChange={() => void toggle(t)} data-testid={`task-enabled-${t.id}`} />
            ),
          },
          {
            title: '',
            render: (_, t) =>
              canWrite && (
                <a onClick={() => setEditing(t)} data-testid={`task-edit-${t.id}`}>
                  {tr('编辑', 'Edit')}
                </a>
              ),
          },
        ]}
      />
      {editing && (
        <TaskModal
          task={editing === 'new' ? null : editing}
          onClose={() => setEditing(null)}
          onSaved={() => {
            setEditing(null);
            void reload();
          }}
        />
      )}
    </div>
  );
}

function TaskModal({ task, onClose, onSaved }: { task: Task | null; onClose: () => void; onSaved: () => void }) {
  const { tr, labelOptions } = useI18n();
  const [form] = Form.useForm();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const kind = Form.useWatch('kind', form) as Task['kind'] | undefined;
  const rewardKind = Form.useWatch('rewardKind', form) as Task['reward']['kind'] | undefined;
  const coupons = useLoad(
    async () =>
      (await call(api.GET('/admin/v1/coupon-templates', { params: { query: { limit: 100, channel: 'task', status: 'active' } } }))).items,
    [],
  );
  const initial = task
    ? {
        title: task.title,
        description: task.description ?? '',
        kind: task.kind,
        period: task.period,
        targetCount: task.targetCount,
        browseSeconds: task.browseSeconds ?? 15,
        rewardKind: task.reward.kind,
        points: task.reward.points ?? undefined,
        couponTemplateId: task.reward.couponTemplateId ?? undefined,
        cards: task.reward.cards ?? undefined,
        sortOrder: task.sortOrder,
      }
    : { kind: 'browse_product', period: 'daily', targetCount: 1, browseSeconds: 15, rewardKind: 'points', points: 10, sortOrder: 0 };

  const submit = async () => {
    setError(null);
    let v;
    try {
      v = await form.validateFields();
    } catch {
      return;
    }
    const reward: Schemas['TaskRewardInput'] =
      v.rewardKind === 'points'
        ? { kind: 'points', points: v.points }
        : v.rewardKind === 'coupon'
          ? { kind: 'coupon', couponTemplateId: v.couponTemplateId }
          : { kind: 'makeup_cards', cards: v.cards };
    const common = {
      title: v.title,
      description: v.description || null,
      targetCount: v.targetCount,
      browseSeconds: v.kind === 'browse_product' ? v.browseSeconds : null,
      reward,
      sortOrder: v.sortOrder ?? 0,
    };
    setBusy(true);
    try {
      if (task) await call(api.PATCH('/admin/v1/tasks/{taskId}', { params: { path: { taskId: task.id } }, body: common }));
      else await call(api.POST('/admin/v1/tasks', { body: { ...common, kind: v.kind, period: v.period, enabled: true } }));
      void message.success(tr('已保存', 'Saved'));
      onSaved();
    } catch (e) {
      setError(applyApiErrors(form, e, { reward: 'rewardKind' }));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open
      title={task ? tr('编辑任务', 'Edit task') : tr('新建任务', 'New task')}
      onCancel={onClose}
      onOk={() => void submit()}
      confirmLoading={busy}
      okButtonProps={{ 'data-testid': 'task-save' } as never}
      destroyOnClose
    >
      <FormError error={error} />
      <Form form={form} layout="vertical" initialValues={initial}>
        <Form.Item name="title" label={tr('任务名称', 'Title')} rules={[{ required: true, max: 40 }]}>
          <Input data-testid="task-title" placeholder={tr('如：浏览商品15秒', 'e.g. Browse a product for 15 s')} />
        </Form.Item>
        <Form.Item name="description" label={tr('说明（选填）', 'Description (optional)')} rules={[{ max: 200 }]}>
          <Input />
        </Form.Item>
        <Space wrap>
          <Form.Item name="kind" label={tr('任务类型', 'Kind')} rules={[{ required: true }]}>
            <Select style={{ width: 180 }} disabled={!!task} options={labelOptions('taskKind')} data-testid="task-kind" />
          </Form.Item>
          <Form.Item
            name="period"
            label={tr('周期', 'Period')}
            rules={[
              { required: true },
              {
                validator: (_, p) =>
                  p === 'daily' && (kind === 'first_order' || kind === 'complete_profile')
                    ? Promise.reject(new Error(tr('该类型只能是新手任务', 'Only as a one-off task')))
                    : Promise.resolve(),
              },
            ]}
          >
            <Select style={{ width: 160 }} disabled={!!task} options={labelOptions('taskPeriod')} data-testid="task-period" />
          </Form.Item>
          <Form.Item name="targetCount" label={tr('目标次数', 'Target count')} rules={[{ required: true }]}>
            <InputNumber min={1} max={100} precision={0} data-testid="task-target" />
          </Form.Item>
          {kind === 'browse_product' && (
            <Form.Item name="browseSeconds" label={tr('每件浏览秒数', 'Seconds per product')} rules={[{ required: true }]}>
              <InputNumber min={3} max={600} precision={0} data-testid="task-browse-seconds" />
            </Form.Item>
          )}
        </Space>
        <Space wrap>
          <Form.Item name="rewardKind" label={tr('奖励', 'Reward')} rules={[{ required: true }]}>
            <Select style={{ width: 140 }} options={labelOptions('taskRewardKind')} data-testid="task-reward-kind" />
          </Form.Item>
          {rewardKind === 'points' && (
            <Form.Item name="points" label={tr('积分', 'Points')} rules={[{ required: true }]}>
              <InputNumber min={1} max={100000} precision={0} data-testid="task-reward-points" />
            </Form.Item>
          )}
          {rewardKind === 'coupon' && (
            <Form.Item name="couponTemplateId" label={tr('优惠券（任务渠道）', "Coupon ('task' channel)")} rules={[{ required: true }]}>
              <Select
                style={{ width: 240 }}
                loading={coupons.loading}
                options={coupons.items.map((c) => ({ value: c.id, label: c.name }))}
                notFoundContent={tr('没有含「任务奖励」渠道的有效券', "No active coupon with the 'task' channel")}
              />
            </Form.Item>
          )}
          {rewardKind === 'makeup_cards' && (
            <Form.Item name="cards" label={tr('补签卡张数', 'Cards')} rules={[{ required: true }]}>
              <InputNumber min={1} max={10} precision={0} />
            </Form.Item>
          )}
          <Form.Item name="sortOrder" label={tr('排序（小的在前）', 'Order (low first)')}>
            <InputNumber min={0} max={10000} precision={0} />
          </Form.Item>
        </Space>
      </Form>
    </Modal>
  );
}
