import { useCallback, useEffect, useMemo, useState } from 'react';
import {
  Alert,
  Button,
  Card,
  Col,
  DatePicker,
  Form,
  Input,
  InputNumber,
  Modal,
  Row,
  Select,
  Space,
  Statistic,
  Switch,
  Table,
  Tabs,
  Tag,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { api, call, type Schemas } from '../../api';
import { Chart } from '../../Chart';
import { useAuth } from '../../auth';
import { useI18n } from '../../i18n';
import { CodeTag, MoneyInput, PageTitle, errText, fmtTime, formatFen, showError } from '../../ui';

type Settings = Schemas['ReferralSettings'];
type RewardInput = Schemas['ReferralRewardInput'];
type RewardView = Schemas['ReferralRewardView'];
type Period = { from: string; to: string };

const beijingDay = (d: Dayjs) => d.format('YYYY-MM-DD');
const lastDays = (n: number): Period => ({ from: beijingDay(dayjs().subtract(n - 1, 'day')), to: beijingDay(dayjs()) });

/** 老带新 in the console: 邀请设置, 邀请排行榜, 风控报告 and a binding lookup (members.read; changes need members.write). */
export default function ReferralsPage() {
  const { t, tr } = useI18n();
  return (
    <div data-testid="referrals-page">
      <PageTitle>{t('nav.referrals')}</PageTitle>
      <Tabs
        items={[
          {
            key: 'settings',
            label: <span data-testid="referrals-tab-settings">{tr('邀请设置', 'Settings')}</span>,
            children: <SettingsTab />,
          },
          {
            key: 'board',
            label: <span data-testid="referrals-tab-board">{tr('邀请排行榜', 'Leaderboard')}</span>,
            children: <LeaderboardTab />,
          },
          { key: 'fraud', label: <span data-testid="referrals-tab-fraud">{tr('风控报告', 'Fraud report')}</span>, children: <FraudTab /> },
          { key: 'lookup', label: <span data-testid="referrals-tab-lookup">{tr('绑定查询', 'Lookup')}</span>, children: <LookupTab /> },
        ]}
      />
    </div>
  );
}

/** The API's view of a reward → the form's input. */
function toInput(v: RewardView): RewardInput {
  if (v.type === 'points') return { type: 'points', points: v.points ?? 0, perYuan: v.perYuan ?? 0 };
  if (v.type === 'coupon') return { type: 'coupon', couponTemplateId: v.couponTemplateId ?? '' };
  if (v.type === 'cash') return { type: 'cash', amount: v.amount ?? 0 };
  return { type: 'none' };
}

function RewardEditor({
  value,
  onChange,
  templates,
  testId,
  disabled,
}: {
  value: RewardInput;
  onChange: (r: RewardInput) => void;
  templates: { value: string; label: string }[];
  testId: string;
  disabled: boolean;
}) {
  const { tr, label } = useI18n();
  return (
    <Space wrap>
      <Select
        style={{ width: 140 }}
        value={value.type}
        disabled={disabled}
        data-testid={`${testId}-type`}
        options={(['none', 'points', 'coupon', 'cash'] as const).map((k) => ({ value: k, label: label('referralReward', k) }))}
        onChange={(type) =>
          onChange(
            type === 'points'
              ? { type, points: 200, perYuan: 0 }
              : type === 'coupon'
                ? { type, couponTemplateId: templates[0]?.value ?? '' }
                : type === 'cash'
                  ? { type, amount: 500 }
                  : { type: 'none' },
          )
        }
      />
      {value.type === 'points' && (
        <>
          <InputNumber
            min={0}
            max={1_000_000}
            value={value.points}
            disabled={disabled}
            addonAfter={tr('积分', 'pts')}
            data-testid={`${testId}-points`}
            onChange={(v) => onChange({ ...value, points: Number(v ?? 0) })}
          />
          <InputNumber
            min={0}
            max={100}
            value={value.perYuan}
            disabled={disabled}
            addonBefore={tr('首单每元再送', 'Per yuan')}
            addonAfter={tr('积分', 'pts')}
            data-testid={`${testId}-per-yuan`}
            onChange={(v) => onChange({ ...value, perYuan: Number(v ?? 0) })}
          />
        </>
      )}
      {value.type === 'coupon' && (
        <Select
          style={{ minWidth: 260 }}
          value={value.couponTemplateId || undefined}
          disabled={disabled}
          placeholder={tr('选择渠道含「邀请有礼」的券', "Pick a template with the 'referral' channel")}
          options={templates}
          onChange={(couponTemplateId) => onChange({ type: 'coupon', couponTemplateId })}
        />
      )}
      {value.type === 'cash' && (
        <MoneyInput
          value={value.amount}
          disabled={disabled}
          testId={`${testId}-cash`}
          onChange={(fen) => onChange({ type: 'cash', amount: fen ?? 0 })}
        />
      )}
    </Space>
  );
}

function SettingsTab() {
  const { tr } = useI18n();
  const { can } = useAuth();
  const writable = can('members.write');
  const [s, setS] = useState<Settings | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [draft, setDraft] = useState<Schemas['ReferralSettingsInput'] | null>(null);
  const [templates, setTemplates] = useState<{ value: string; label: string }[]>([]);
  const [saving, setSaving] = useState(false);

  const load = useCallback(() => {
    call(api.GET('/admin/v1/referrals/settings'))
      .then((r) => {
        setS(r);
        setDraft({
          enabled: r.enabled,
          inviterReward: toInput(r.inviterReward),
          inviteeReward: toInput(r.inviteeReward),
          dailyCap: r.dailyCap,
          minOrderAmount: r.minOrderAmount,
          shareTitle: r.shareTitle,
          shareImageUrl: r.shareImageUrl,
          extraRules: r.extraRules,
        });
      })
      .catch(setError);
  }, []);
  useEffect(load, [load]);
  useEffect(() => {
    if (!can('promotions.write')) return;
    call(api.GET('/admin/v1/coupon-templates', { params: { query: { channel: 'referral', status: 'active', limit: 100 } } }))
      .then((r) => setTemplates(r.items.map((x) => ({ value: x.id, label: x.name }))))
      .catch(() => setTemplates([]));
  }, [can]);

  if (error) return <Alert type="error" message={errText(error)} />;
  if (!draft || !s) return null;
  const set = (patch: Partial<typeof draft>) => setDraft({ ...draft, ...patch });
  const save = async () => {
    setSaving(true);
    try {
      const r = await call(api.PUT('/admin/v1/referrals/settings', { body: draft }));
      setS(r);
      void Modal.success({
        title: tr('已保存', 'Saved'),
        content: tr('新的奖励对之后完成的邀请生效', 'New rewards apply to invites decided from now on'),
      });
    } catch (e) {
      showError(e);
    } finally {
      setSaving(false);
    }
  };
  return (
    <Form layout="horizontal" labelCol={{ span: 4 }} wrapperCol={{ span: 18 }} data-testid="referral-settings">
      <Form.Item label={tr('活动开关', 'Running')}>
        <Switch checked={draft.enabled} disabled={!writable} data-testid="referral-enabled" onChange={(enabled) => set({ enabled })} />
      </Form.Item>
      <Form.Item label={tr('邀请人奖励', 'Inviter gets')} extra={s.inviterReward.label}>
        <RewardEditor
          value={draft.inviterReward}
          onChange={(inviterReward) => set({ inviterReward })}
          templates={templates}
          testId="referral-inviter"
          disabled={!writable}
        />
      </Form.Item>
      <Form.Item
        label={tr('新人奖励', 'Invitee gets')}
        extra={tr(
          `当前：${s.inviteeReward.label}。「首单每元再送」填与日常积分相同的比例即为首单积分翻倍`,
          `Now: ${s.inviteeReward.label}`,
        )}
      >
        <RewardEditor
          value={draft.inviteeReward}
          onChange={(inviteeReward) => set({ inviteeReward })}
          templates={templates}
          testId="referral-invitee"
          disabled={!writable}
        />
      </Form.Item>
      <Form.Item
        label={tr('每日奖励上限', 'Daily cap')}
        extra={tr('每位邀请人每个自然日（北京时间）最多奖励的好友数', 'Rewarded invites per inviter per Beijing day')}
      >
        <InputNumber
          min={1}
          max={1000}
          value={draft.dailyCap}
          disabled={!writable}
          data-testid="referral-cap"
          onChange={(v) => set({ dailyCap: Number(v ?? 1) })}
        />
      </Form.Item>
      <Form.Item
        label={tr('首单门槛', 'Minimum first order')}
        extra={tr('好友首单实付（扣除退款）需达到的金额，0 = 大于0元即可', 'Fen the first order must keep')}
      >
        <MoneyInput
          value={draft.minOrderAmount}
          disabled={!writable}
          testId="referral-min"
          onChange={(fen) => set({ minOrderAmount: fen ?? 0 })}
        />
      </Form.Item>
      <Form.Item
        label={tr('分享标题', 'Share title')}
        extra={tr('{nickname} 替换为邀请人昵称，{reward} 替换为新人奖励', '{nickname} and {reward} are filled in')}
      >
        <Input
          value={draft.shareTitle}
          maxLength={60}
          disabled={!writable}
          data-testid="referral-title"
          onChange={(e) => set({ shareTitle: e.target.value })}
        />
      </Form.Item>
      <Form.Item label={tr('分享图片', 'Share image')} extra={tr('留空则由小程序/H5 生成海报', 'Empty: the client draws the poster')}>
        <Input
          value={draft.shareImageUrl ?? ''}
          disabled={!writable}
          placeholder="https://…"
          onChange={(e) => set({ shareImageUrl: e.target.value.trim() || null })}
        />
      </Form.Item>
      <Form.Item label={tr('补充规则', 'Extra rules')}>
        <Input.TextArea
          rows={3}
          maxLength={1000}
          value={draft.extraRules}
          disabled={!writable}
          onChange={(e) => set({ extraRules: e.target.value })}
        />
      </Form.Item>
      <Form.Item wrapperCol={{ offset: 4 }}>
        <Space>
          <Button type="primary" loading={saving} disabled={!writable} data-testid="referral-save" onClick={() => void save()}>
            {tr('保存', 'Save')}
          </Button>
          <span>
            {s.updatedAt
              ? tr(`上次修改 ${fmtTime(s.updatedAt)}`, `Updated ${fmtTime(s.updatedAt)}`)
              : tr('尚未配置（活动关闭）', 'Not configured (off)')}
          </span>
        </Space>
      </Form.Item>
    </Form>
  );
}

function PeriodPicker({ value, onChange }: { value: Period; onChange: (p: Period) => void }) {
  return (
    <DatePicker.RangePicker
      allowClear={false}
      value={[dayjs(value.from), dayjs(value.to)]}
      onChange={(v) => v?.[0] && v[1] && onChange({ from: beijingDay(v[0]), to: beijingDay(v[1]) })}
    />
  );
}

function LeaderboardTab() {
  const { tr } = useI18n();
  const [period, setPeriod] = useState<Period>(lastDays(30));
  const [board, setBoard] = useState<Schemas['ReferralLeaderboard'] | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    call(api.GET('/admin/v1/referrals/leaderboard', { params: { query: period } }))
      .then((b) => {
        setBoard(b);
        setError(null);
      })
      .catch(setError);
  }, [period]);
  const top = board?.items.slice(0, 10) ?? [];
  const option = useMemo(
    () => ({
      tooltip: {},
      grid: { left: 100, right: 24, top: 16, bottom: 24 },
      xAxis: { type: 'value' },
      yAxis: { type: 'category', data: top.map((i) => i.nickname).reverse() },
      series: [
        { type: 'bar', name: tr('已奖励', 'Rewarded'), data: top.map((i) => i.rewarded).reverse(), itemStyle: { color: '#e4393c' } },
      ],
    }),
    [top, tr],
  );
  return (
    <div data-testid="referral-leaderboard">
      <Space style={{ marginBottom: 16 }}>
        <PeriodPicker value={period} onChange={setPeriod} />
      </Space>
      {error ? <Alert type="error" message={errText(error)} /> : null}
      {board && (
        <Row gutter={16} style={{ marginBottom: 16 }}>
          <Col span={4}>
            <Statistic title={tr('新绑定好友', 'Bound')} value={board.totals.bound} />
          </Col>
          <Col span={4}>
            <Statistic title={tr('已奖励邀请', 'Rewarded')} value={board.totals.rewarded} />
          </Col>
          <Col span={4}>
            <Statistic title={tr('拦截邀请', 'Blocked')} value={board.totals.blocked} />
          </Col>
          <Col span={4}>
            <Statistic title={tr('发放积分', 'Points')} value={board.totals.points} />
          </Col>
          <Col span={4}>
            <Statistic title={tr('发放返现', 'Cash')} value={formatFen(board.totals.cash)} />
          </Col>
          <Col span={4}>
            <Statistic title={tr('发放券面额', 'Coupon value')} value={formatFen(board.totals.couponValue)} />
          </Col>
        </Row>
      )}
      {top.length > 0 && (
        <Card size="small" title={tr('邀请人 Top 10（已奖励邀请数）', 'Top 10 inviters')} style={{ marginBottom: 16 }}>
          <Chart option={option} style={{ height: 40 + top.length * 28 }} />
        </Card>
      )}
      <Table
        rowKey="inviterId"
        size="small"
        pagination={false}
        dataSource={board?.items ?? []}
        columns={[
          { title: '#', render: (_, __, i) => i + 1, width: 48 },
          { title: tr('邀请人', 'Inviter'), render: (_, r) => `${r.nickname}（${r.inviterId}）` },
          { title: tr('已奖励', 'Rewarded'), dataIndex: 'rewarded' },
          { title: tr('新绑定', 'Bound'), dataIndex: 'bound' },
          { title: tr('积分', 'Points'), dataIndex: 'points' },
          { title: tr('返现', 'Cash'), dataIndex: 'cash', render: (v: number) => formatFen(v) },
          { title: tr('券面额', 'Coupons'), dataIndex: 'couponValue', render: (v: number) => formatFen(v) },
        ]}
      />
    </div>
  );
}

function FraudTab() {
  const { tr, label } = useI18n();
  const [period, setPeriod] = useState<Period>(lastDays(30));
  const [report, setReport] = useState<Schemas['ReferralFraudReport'] | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    call(api.GET('/admin/v1/referrals/fraud-report', { params: { query: period } }))
      .then((r) => {
        setReport(r);
        setError(null);
      })
      .catch(setError);
  }, [period]);
  const reasons = useMemo(
    () => ({
      tooltip: {},
      grid: { left: 150, right: 24, top: 16, bottom: 24 },
      xAxis: { type: 'value', minInterval: 1 },
      yAxis: { type: 'category', data: (report?.byReason ?? []).map((r) => label('referralReason', r.reason)) },
      series: [{ type: 'bar', data: (report?.byReason ?? []).map((r) => r.count), itemStyle: { color: '#fa8c16' } }],
    }),
    [report, label],
  );
  const days = useMemo(
    () => ({
      tooltip: { trigger: 'axis' },
      legend: {},
      grid: { left: 40, right: 24, top: 32, bottom: 24 },
      xAxis: { type: 'category', data: (report?.byDay ?? []).map((d) => d.day) },
      yAxis: { type: 'value', minInterval: 1 },
      series: [
        { type: 'line', name: tr('已奖励', 'Rewarded'), data: (report?.byDay ?? []).map((d) => d.rewarded) },
        { type: 'line', name: tr('已拦截', 'Blocked'), data: (report?.byDay ?? []).map((d) => d.blocked) },
      ],
    }),
    [report, tr],
  );
  return (
    <div data-testid="referral-fraud">
      <Space style={{ marginBottom: 16 }}>
        <PeriodPicker value={period} onChange={setPeriod} />
      </Space>
      {error ? <Alert type="error" message={errText(error)} /> : null}
      <Row gutter={16}>
        <Col span={12}>
          <Card size="small" title={tr('拦截原因', 'Blocked by reason')}>
            <Chart option={reasons} style={{ height: 260 }} />
          </Card>
        </Col>
        <Col span={12}>
          <Card size="small" title={tr('每日奖励与拦截', 'Per day')}>
            <Chart option={days} style={{ height: 260 }} />
          </Card>
        </Col>
      </Row>
      <h4 style={{ marginTop: 16 }}>{tr('被拦截较多的邀请人', 'Inviters with blocked invites')}</h4>
      <Table
        rowKey="inviterId"
        size="small"
        pagination={false}
        dataSource={report?.inviters ?? []}
        columns={[
          { title: tr('邀请人', 'Inviter'), render: (_, r) => `${r.nickname}（${r.inviterId}）` },
          { title: tr('拦截', 'Blocked'), dataIndex: 'blocked' },
          { title: tr('已判定', 'Decided'), dataIndex: 'decided' },
          { title: tr('拦截率', 'Rate'), render: (_, r) => `${Math.round((r.blocked / Math.max(1, r.decided)) * 100)}%` },
          {
            title: tr('原因', 'Reasons'),
            render: (_, r) =>
              Object.entries(r.reasons).map(([k, n]) => (
                <Tag key={k}>
                  {label('referralReason', k)} × {n}
                </Tag>
              )),
          },
        ]}
      />
    </div>
  );
}

function LookupTab() {
  const { tr } = useI18n();
  const { can } = useAuth();
  const [by, setBy] = useState<'userId' | 'code' | 'orderId'>('userId');
  const [q, setQ] = useState('');
  const [result, setResult] = useState<Schemas['ReferralLookup'] | null>(null);
  const [loading, setLoading] = useState(false);
  const search = async () => {
    if (!q.trim()) return;
    setLoading(true);
    try {
      const v = q.trim();
      const query = by === 'userId' ? { userId: v } : by === 'code' ? { code: v.toUpperCase() } : { orderId: v };
      setResult(await call(api.GET('/admin/v1/referrals', { params: { query } })));
    } catch (e) {
      showError(e);
    } finally {
      setLoading(false);
    }
  };
  const revoke = (r: Schemas['AdminReferral']) => {
    let note = '';
    Modal.confirm({
      title: tr('撤销邀请奖励', 'Revoke the rewards'),
      content: (
        <Input.TextArea
          rows={2}
          placeholder={tr('原因（必填，如：核实为刷单）', 'Why (required)')}
          onChange={(e) => (note = e.target.value)}
        />
      ),
      okText: tr('撤销', 'Revoke'),
      okButtonProps: { danger: true },
      onOk: async () => {
        try {
          await call(api.POST('/admin/v1/referrals/{referralId}/revoke', { params: { path: { referralId: r.id } }, body: { note } }));
          await search();
        } catch (e) {
          showError(e);
          throw e;
        }
      },
    });
  };
  return (
    <div data-testid="referral-lookup">
      <Space style={{ marginBottom: 16 }}>
        <Select
          value={by}
          style={{ width: 140 }}
          onChange={setBy}
          options={[
            { value: 'userId', label: tr('用户ID', 'User id') },
            { value: 'code', label: tr('邀请码', 'Invite code') },
            { value: 'orderId', label: tr('订单ID', 'Order id') },
          ]}
        />
        <Input
          value={q}
          style={{ width: 280 }}
          data-testid="referral-lookup-input"
          onChange={(e) => setQ(e.target.value)}
          onPressEnter={() => void search()}
        />
        <Button type="primary" loading={loading} data-testid="referral-lookup-search" onClick={() => void search()}>
          {tr('查询', 'Search')}
        </Button>
        {result?.inviterCode && <span>{tr(`该用户邀请码：${result.inviterCode}`, `Their code: ${result.inviterCode}`)}</span>}
      </Space>
      <Table
        rowKey="id"
        size="small"
        pagination={false}
        dataSource={result?.items ?? []}
        expandable={{
          rowExpandable: (r) => r.rewards.length > 0,
          expandedRowRender: (r) => (
            <Table
              rowKey="id"
              size="small"
              pagination={false}
              dataSource={r.rewards}
              columns={[
                { title: tr('奖励', 'Reward'), dataIndex: 'label' },
                { title: tr('用户', 'User'), dataIndex: 'userId' },
                { title: tr('发放时间', 'At'), dataIndex: 'createdAt', render: fmtTime },
                { title: tr('已收回', 'Clawed back'), dataIndex: 'clawedBack' },
                { title: tr('未能收回', 'Shortfall'), dataIndex: 'shortfall' },
              ]}
            />
          ),
        }}
        columns={[
          { title: tr('邀请人', 'Inviter'), render: (_, r) => `${r.inviterNickname}（${r.inviterId}）` },
          { title: tr('被邀请人', 'Invitee'), render: (_, r) => `${r.inviteeNickname}（${r.inviteeId}）` },
          {
            title: tr('绑定', 'Bound'),
            render: (_, r) => (
              <span>
                {fmtTime(r.boundAt)} <CodeTag group="referralVia" code={r.via} />
              </span>
            ),
          },
          { title: tr('状态', 'Status'), render: (_, r) => <CodeTag group="referralStatus" code={r.status} /> },
          { title: tr('原因', 'Reason'), render: (_, r) => (r.reason ? <CodeTag group="referralReason" code={r.reason} /> : '—') },
          { title: tr('首单', 'Order'), dataIndex: 'orderId', render: (v: string | null) => v ?? '—' },
          { title: tr('备注', 'Note'), dataIndex: 'clawbackNote', render: (v: string | null) => v ?? '' },
          {
            title: '',
            render: (_, r) =>
              r.status === 'rewarded' &&
              can('members.write') && (
                <Button size="small" danger data-testid={`referral-revoke-${r.id}`} onClick={() => revoke(r)}>
                  {tr('撤销奖励', 'Revoke')}
                </Button>
              ),
          },
        ]}
      />
    </div>
  );
}
