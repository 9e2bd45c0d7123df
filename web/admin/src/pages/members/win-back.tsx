import { useCallback, useEffect, useMemo, useState } from 'react';
import { Alert, Button, Card, Col, Form, InputNumber, Row, Select, Space, Statistic, Switch, Table, message } from 'antd';
import { api, call, type Schemas } from '../../api';
import { Chart } from '../../Chart';
import { useAuth } from '../../auth';
import { useI18n } from '../../i18n';
import { PageTitle, errText, fmtTime, formatFen, showError } from '../../ui';

type Report = Schemas['WinBackReport'];
type Settings = Schemas['SegmentSettings'];
type Week = Report['weeks'][number];

const pct = (r: number) => `${(r * 100).toFixed(1)}%`;

/** 回归礼包: the pack and the layer thresholds, and the weekly report on who came back. */
export default function WinBackPage() {
  const { tr } = useI18n();
  const [report, setReport] = useState<Report | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [weeks, setWeeks] = useState(12);
  const load = useCallback(() => {
    call(api.GET('/admin/v1/win-back/report', { params: { query: { weeks } } }))
      .then((r) => {
        setReport(r);
        setError(null);
      })
      .catch(setError);
  }, [weeks]);
  useEffect(load, [load]);

  const option = useMemo(() => {
    const w = report?.weeks ?? [];
    return {
      tooltip: { trigger: 'axis' },
      legend: { data: [tr('发放礼包', 'Packs'), tr('回归人数', 'Returned'), tr('回归率', 'Return rate')] },
      grid: { left: 48, right: 56, top: 40, bottom: 32 },
      xAxis: { type: 'category', data: w.map((x) => x.week.slice(5)) },
      yAxis: [
        { type: 'value', minInterval: 1 },
        { type: 'value', axisLabel: { formatter: (v: number) => `${Math.round(v * 100)}%` }, max: 1 },
      ],
      series: [
        { name: tr('发放礼包', 'Packs'), type: 'bar', data: w.map((x) => x.packsIssued), itemStyle: { color: '#91caff' } },
        { name: tr('回归人数', 'Returned'), type: 'bar', data: w.map((x) => x.returned), itemStyle: { color: '#52c41a' } },
        {
          name: tr('回归率', 'Return rate'),
          type: 'line',
          yAxisIndex: 1,
          data: w.map((x) => x.returnRate),
          itemStyle: { color: '#fa8c16' },
        },
      ],
    };
  }, [report, tr]);
  const gmvOption = useMemo(() => {
    const w = report?.weeks ?? [];
    return {
      tooltip: { trigger: 'axis' },
      legend: { data: [tr('回归 GMV（元）', 'GMV (¥)'), tr('券成本（元）', 'Cost (¥)')] },
      grid: { left: 64, right: 24, top: 40, bottom: 32 },
      xAxis: { type: 'category', data: w.map((x) => x.week.slice(5)) },
      yAxis: { type: 'value' },
      series: [
        {
          name: tr('回归 GMV（元）', 'GMV (¥)'),
          type: 'line',
          smooth: true,
          data: w.map((x) => x.gmv / 100),
          itemStyle: { color: '#1677ff' },
        },
        {
          name: tr('券成本（元）', 'Cost (¥)'),
          type: 'line',
          smooth: true,
          data: w.map((x) => x.cost / 100),
          itemStyle: { color: '#ff4d4f' },
        },
      ],
    };
  }, [report, tr]);

  const t = report?.totals;
  return (
    <div data-testid="win-back-page">
      <PageTitle
        extra={
          <Space>
            <Select
              value={weeks}
              onChange={setWeeks}
              style={{ width: 120 }}
              options={[4, 12, 26, 52].map((n) => ({ value: n, label: tr(`近 ${n} 周`, `Last ${n} weeks`) }))}
            />
            <Button onClick={load} data-testid="win-back-refresh">
              {tr('刷新', 'Refresh')}
            </Button>
          </Space>
        }
      >
        {tr('专属回归礼包', 'Win-back pack')}
      </PageTitle>
      <SettingsCard />
      {error ? <Alert type="error" message={errText(error)} style={{ marginTop: 12 }} /> : null}
      <Row gutter={12} style={{ marginTop: 12 }} data-testid="win-back-totals">
        <Col span={4}>
          <Card size="small">
            <Statistic title={tr('发放礼包', 'Packs issued')} value={t?.packsIssued ?? 0} suffix={tr('人', '')} />
          </Card>
        </Col>
        <Col span={4}>
          <Card size="small">
            <Statistic title={tr('用券', 'Coupons used')} value={t?.couponsUsed ?? 0} suffix={`/ ${t?.couponsIssued ?? 0}`} />
          </Card>
        </Col>
        <Col span={4}>
          <Card size="small" data-testid="win-back-returned">
            <Statistic title={tr('回归人数', 'Returned')} value={t?.returned ?? 0} suffix={tr('人', '')} />
          </Card>
        </Col>
        <Col span={4}>
          <Card size="small">
            <Statistic title={tr('回归率', 'Return rate')} value={pct(t?.returnRate ?? 0)} />
          </Card>
        </Col>
        <Col span={4}>
          <Card size="small">
            <Statistic
              title={tr(`回归 GMV（${report?.returnDays ?? 30} 天内）`, `GMV (${report?.returnDays ?? 30} days)`)}
              value={formatFen(t?.gmv ?? 0)}
            />
          </Card>
        </Col>
        <Col span={4}>
          <Card size="small">
            <Statistic
              title={tr('券成本 · ROI', 'Cost · ROI')}
              value={formatFen(t?.cost ?? 0)}
              suffix={t && t.cost > 0 ? ` · ${(t.gmv / t.cost).toFixed(1)}` : ''}
            />
          </Card>
        </Col>
      </Row>
      <Row gutter={12} style={{ marginTop: 12 }}>
        <Col span={12}>
          <Card size="small" title={tr('每周发放与回归', 'Packs and returns by week')}>
            <Chart option={option} style={{ height: 260 }} />
          </Card>
        </Col>
        <Col span={12}>
          <Card size="small" title={tr('回归 GMV 与成本', 'GMV and cost by week')}>
            <Chart option={gmvOption} style={{ height: 260 }} />
          </Card>
        </Col>
      </Row>
      <Card size="small" title={tr('按周明细', 'By week')} style={{ marginTop: 12 }}>
        <Table<Week>
          rowKey="week"
          size="small"
          pagination={false}
          dataSource={[...(report?.weeks ?? [])].reverse()}
          data-testid="win-back-weeks"
          columns={[
            { title: tr('周（周一）', 'Week of'), dataIndex: 'week' },
            { title: tr('发放', 'Packs'), dataIndex: 'packsIssued' },
            { title: tr('用券', 'Used'), render: (_, w) => `${w.couponsUsed} / ${w.couponsIssued}` },
            { title: tr('回归', 'Returned'), dataIndex: 'returned' },
            { title: tr('回归率', 'Rate'), dataIndex: 'returnRate', render: pct },
            { title: 'GMV', dataIndex: 'gmv', render: (v: number) => formatFen(v) },
            { title: tr('成本', 'Cost'), dataIndex: 'cost', render: (v: number) => formatFen(v) },
          ]}
        />
      </Card>
      <Card
        size="small"
        title={tr('最近发放', 'Latest packs')}
        style={{ marginTop: 12 }}
        extra={
          report ? (
            <span style={{ color: '#888' }}>
              {tr(
                `通知：待发送 ${report.messages.pending} · 已发送 ${report.messages.sent} · 失败 ${report.messages.failed} · 未发送（退订、超频或无模板）${report.messages.skipped}`,
                `Notices: pending ${report.messages.pending} · sent ${report.messages.sent} · failed ${report.messages.failed} · not sent (opted out, capped, no template) ${report.messages.skipped}`,
              )}
            </span>
          ) : null
        }
      >
        <Table
          rowKey={(r) => `${r.userId}-${r.issuedAt}`}
          size="small"
          pagination={false}
          dataSource={report?.recent ?? []}
          columns={[
            { title: tr('用户', 'Shopper'), render: (_, r) => <span title={r.userId}>{r.nickname || r.userId}</span> },
            { title: tr('发放时间', 'Issued'), dataIndex: 'issuedAt', render: fmtTime },
            { title: tr('已用券', 'Used'), dataIndex: 'couponsUsed' },
            { title: tr('回归下单', 'Returned'), dataIndex: 'returnedAt', render: (v: string | null) => (v ? fmtTime(v) : '—') },
            { title: 'GMV', dataIndex: 'gmv', render: (v: number) => formatFen(v) },
          ]}
        />
      </Card>
    </div>
  );
}

/** The pack (coupon templates with the 定向发放 channel), its cool-down and return window, and the layer thresholds. */
function SettingsCard() {
  const { tr } = useI18n();
  const { can } = useAuth();
  const [form] = Form.useForm<Settings>();
  const [templates, setTemplates] = useState<Schemas['CouponTemplate'][]>([]);
  const [saved, setSaved] = useState<Settings | null>(null);
  useEffect(() => {
    call(api.GET('/admin/v1/member-segments/settings'))
      .then((s) => {
        setSaved(s);
        form.setFieldsValue(s);
      })
      .catch(showError);
    if (can('promotions.write'))
      call(api.GET('/admin/v1/coupon-templates', { params: { query: { limit: 100, channel: 'segment', status: 'active' } } }))
        .then((r) => setTemplates(r.items))
        .catch(() => setTemplates([]));
  }, [form, can]);
  const save = async () => {
    const v = await form.validateFields();
    try {
      const s = await call(
        api.PUT('/admin/v1/member-segments/settings', {
          body: { newDays: v.newDays, dormantDays: v.dormantDays, lostDays: v.lostDays, winBack: v.winBack },
        }),
      );
      setSaved(s);
      void message.success(tr('已保存，下一次夜间分层起生效', 'Saved; applies from the next nightly run'));
    } catch (e) {
      showError(e);
    }
  };
  const options = templates.map((t) => ({ value: t.id, label: `${t.name}（${t.label}）` }));
  for (const id of saved?.winBack.templateIds ?? []) if (!options.some((o) => o.value === id)) options.push({ value: id, label: id });
  return (
    <Card
      size="small"
      title={tr('礼包与分层设置', 'Pack and layer settings')}
      extra={
        can('members.write') ? (
          <Button type="primary" size="small" onClick={() => void save()} data-testid="win-back-save">
            {tr('保存', 'Save')}
          </Button>
        ) : null
      }
    >
      <Form form={form} layout="inline" disabled={!can('members.write')} data-testid="win-back-settings">
        <Form.Item name={['winBack', 'enabled']} label={tr('启用回归礼包', 'Enabled')} valuePropName="checked">
          <Switch data-testid="win-back-enabled" />
        </Form.Item>
        <Form.Item
          name={['winBack', 'templateIds']}
          label={tr('礼包优惠券', 'Coupons')}
          rules={[{ type: 'array', max: 5 }]}
          extra={tr('仅可选渠道含「定向发放」的券', 'Templates with the 定向发放 channel')}
        >
          <Select mode="multiple" style={{ minWidth: 320 }} options={options} data-testid="win-back-templates" />
        </Form.Item>
        <Form.Item name={['winBack', 'cooldownDays']} label={tr('再次发放间隔（天）', 'Cool-down (days)')} rules={[{ required: true }]}>
          <InputNumber min={1} max={365} precision={0} />
        </Form.Item>
        <Form.Item name={['winBack', 'returnDays']} label={tr('回归统计窗口（天）', 'Return window (days)')} rules={[{ required: true }]}>
          <InputNumber min={1} max={180} precision={0} />
        </Form.Item>
        <Form.Item name="newDays" label={tr('新客：注册（天）内', 'New: registered within (days)')} rules={[{ required: true }]}>
          <InputNumber min={1} max={365} precision={0} />
        </Form.Item>
        <Form.Item name="dormantDays" label={tr('沉睡：未下单（天）', 'Dormant after (days)')} rules={[{ required: true }]}>
          <InputNumber min={1} max={730} precision={0} />
        </Form.Item>
        <Form.Item name="lostDays" label={tr('流失：未下单（天）', 'Lost after (days)')} rules={[{ required: true }]}>
          <InputNumber min={2} max={1095} precision={0} />
        </Form.Item>
      </Form>
    </Card>
  );
}
