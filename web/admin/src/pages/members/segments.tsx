import { useCallback, useEffect, useMemo, useState } from 'react';
import {
  Alert,
  Button,
  Card,
  Col,
  DatePicker,
  Drawer,
  Form,
  Input,
  InputNumber,
  Popconfirm,
  Row,
  Select,
  Space,
  Statistic,
  Table,
  Tag,
  message,
} from 'antd';
import type { Dayjs } from 'dayjs';
import { api, call, type Schemas } from '../../api';
import { Chart } from '../../Chart';
import { useAuth } from '../../auth';
import { useI18n } from '../../i18n';
import { CodeTag, MoneyInput, PageTitle, Pager, errText, fmtTime, formatFen, showError, useCursorList } from '../../ui';

type Segment = Schemas['MemberSegment'];
type Rules = Schemas['SegmentRules'];
type Member = Schemas['SegmentMember'];
type MemberTag = Schemas['MemberTag'];

const LAYER_COLORS: Record<string, string> = {
  'layer:new': '#1677ff',
  'layer:active': '#52c41a',
  'layer:dormant': '#faad14',
  'layer:lost': '#8c8c8c',
};

/** Downloads a segment's CSV through the typed client (the token rides along). */
async function downloadCsv(segmentId: string, name: string) {
  const res = await api.GET('/admin/v1/member-segments/{segmentId}/export', { params: { path: { segmentId } }, parseAs: 'blob' });
  if (!res.response.ok || !res.data) throw new Error(`HTTP ${res.response.status}`);
  const url = URL.createObjectURL(res.data as Blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = `${name}-${new Date().toISOString().slice(0, 10)}.csv`;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 5000);
}

/** 用户分层: the four RFM layers with sizes and trend, operator segments, the rule builder, members and export. */
export default function SegmentsPage() {
  const { tr } = useI18n();
  const { can } = useAuth();
  const writable = can('members.write');
  const [data, setData] = useState<Schemas['MemberSegmentList'] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [tags, setTags] = useState<MemberTag[]>([]);
  const [open, setOpen] = useState<Segment | null>(null);

  const load = useCallback(() => {
    call(api.GET('/admin/v1/member-segments'))
      .then((d) => {
        setData(d);
        setError(null);
      })
      .catch(setError);
    call(api.GET('/admin/v1/member-tags'))
      .then((r) => setTags(r.items))
      .catch(() => setTags([]));
  }, []);
  useEffect(load, [load]);

  const layers = data?.items.filter((s) => s.kind === 'layer') ?? [];
  const custom = data?.items.filter((s) => s.kind === 'custom') ?? [];
  const trendOption = useMemo(() => {
    const days = [...new Set(layers.flatMap((l) => l.trend.map((p) => p.day)))].sort();
    return {
      tooltip: { trigger: 'axis' },
      legend: { data: layers.map((l) => l.name) },
      grid: { left: 48, right: 24, top: 40, bottom: 32 },
      xAxis: { type: 'category', data: days },
      yAxis: { type: 'value', minInterval: 1 },
      series: layers.map((l) => ({
        name: l.name,
        type: 'line',
        smooth: true,
        itemStyle: { color: LAYER_COLORS[l.id] },
        data: days.map((d) => l.trend.find((p) => p.day === d)?.size ?? null),
      })),
    };
  }, [layers]);

  const [rerunning, setRerunning] = useState(false);
  const rerun = async () => {
    setRerunning(true);
    try {
      const r = await call(api.POST('/admin/v1/member-segments/run'));
      void message.success(
        r.done
          ? tr(`已重新分层：${r.processed} 人`, `Recalculated: ${r.processed} shoppers`)
          : tr('已开始重新分层，几分钟内完成', 'Recalculating; done within minutes'),
      );
      load();
    } catch (e) {
      showError(e);
    } finally {
      setRerunning(false);
    }
  };
  const remove = async (s: Segment) => {
    try {
      await call(api.DELETE('/admin/v1/member-segments/{segmentId}', { params: { path: { segmentId: s.id } } }));
      void message.success(tr('已删除', 'Deleted'));
      load();
    } catch (e) {
      showError(e);
    }
  };

  return (
    <div data-testid="segments-page">
      <PageTitle
        extra={
          <Space>
            {writable && (
              <Popconfirm
                title={tr(
                  '按当前设置重新计算今天的分层？（进入沉睡的用户仍只获一次礼包）',
                  "Recalculate today's layers with the current settings?",
                )}
                onConfirm={() => void rerun()}
              >
                <Button loading={rerunning} data-testid="segments-rerun">
                  {tr('立即重新分层', 'Recalculate now')}
                </Button>
              </Popconfirm>
            )}
            {data?.lastRun ? (
              <Tag data-testid="segments-last-run">
                {tr('最近分层', 'Last run')} {data.lastRun.day} ·{' '}
                {data.lastRun.finishedAt
                  ? tr(`已完成，${data.lastRun.processed} 人`, `done, ${data.lastRun.processed} shoppers`)
                  : tr('计算中', 'running')}
              </Tag>
            ) : (
              <Tag>{tr('尚未分层：每天凌晨自动计算', 'Not run yet: runs nightly')}</Tag>
            )}
          </Space>
        }
      >
        {tr('用户分层', 'Segments')}
      </PageTitle>
      {error ? <Alert type="error" message={errText(error)} style={{ marginBottom: 12 }} /> : null}
      <Row gutter={12}>
        {layers.map((l) => (
          <Col span={6} key={l.id}>
            <Card size="small" hoverable onClick={() => setOpen(l)} data-testid={`layer-card-${l.id.slice(6)}`}>
              <Statistic
                title={
                  <Space>
                    <span style={{ color: LAYER_COLORS[l.id] }}>●</span>
                    {l.name}
                  </Space>
                }
                value={l.size}
                suffix={tr('人', '')}
              />
              <div style={{ color: '#888', fontSize: 12, minHeight: 36 }}>{l.description}</div>
            </Card>
          </Col>
        ))}
      </Row>
      <Card size="small" title={tr('分层人数趋势（近 90 天）', 'Layer sizes, last 90 days')} style={{ marginTop: 12 }}>
        <Chart option={trendOption} style={{ height: 260 }} />
      </Card>
      <Card
        size="small"
        title={tr('自定义分群', 'Custom segments')}
        style={{ marginTop: 12 }}
        extra={writable ? <SegmentBuilder tags={tags} onSaved={load} /> : null}
      >
        <Table<Segment>
          rowKey="id"
          size="small"
          dataSource={custom}
          pagination={false}
          data-testid="custom-segments"
          locale={{ emptyText: tr('还没有自定义分群：点右上角「新建分群」', 'No custom segments yet') }}
          columns={[
            { title: tr('名称', 'Name'), dataIndex: 'name', render: (v: string, s) => <a onClick={() => setOpen(s)}>{v}</a> },
            { title: tr('条件', 'Rules'), render: (_, s) => <RulesText rules={s.rules ?? {}} tags={tags} /> },
            { title: tr('当前人数', 'Size'), dataIndex: 'size' },
            {
              title: tr('趋势', 'Trend'),
              render: (_, s) => (s.trend.length ? s.trend.map((p) => p.size).join(' → ') : tr('明日起记录', 'from tomorrow')),
            },
            { title: tr('创建时间', 'Created'), dataIndex: 'createdAt', render: fmtTime },
            {
              title: tr('操作', 'Actions'),
              render: (_, s) => (
                <Space>
                  <Button size="small" type="link" onClick={() => setOpen(s)}>
                    {tr('成员', 'Members')}
                  </Button>
                  {writable && (
                    <Popconfirm
                      title={tr(
                        '删除后，以此分群为目标的活动将不再覆盖任何用户。确定删除？',
                        'Campaigns targeting it will reach nobody. Delete?',
                      )}
                      onConfirm={() => void remove(s)}
                    >
                      <Button size="small" type="link" danger>
                        {tr('删除', 'Delete')}
                      </Button>
                    </Popconfirm>
                  )}
                </Space>
              ),
            },
          ]}
        />
      </Card>
      <TagsCard tags={tags} writable={writable} onChanged={load} />
      {open && <MembersDrawer segment={open} onClose={() => setOpen(null)} />}
    </div>
  );
}

/** The rules in words: "沉睡 · 杭州市 · 消费 ≥ ¥100.00". */
function RulesText({ rules, tags }: { rules: Rules; tags: MemberTag[] }) {
  const { tr, label } = useI18n();
  const parts: string[] = [];
  if (rules.layers?.length) parts.push(rules.layers.map((l) => label('memberLayer', l)).join('/'));
  if (rules.tierIds?.length) parts.push(`${tr('等级', 'Tier')} ${rules.tierIds.join('/')}`);
  if (rules.minSpend != null) parts.push(`${tr('消费', 'Spend')} ≥ ${formatFen(rules.minSpend)}`);
  if (rules.maxSpend != null) parts.push(`${tr('消费', 'Spend')} ≤ ${formatFen(rules.maxSpend)}`);
  if (rules.minOrders != null) parts.push(`${tr('订单', 'Orders')} ≥ ${rules.minOrders}`);
  if (rules.maxOrders != null) parts.push(`${tr('订单', 'Orders')} ≤ ${rules.maxOrders}`);
  if (rules.lastOrderAfter) parts.push(`${tr('最近下单晚于', 'Last order after')} ${fmtTime(rules.lastOrderAfter)}`);
  if (rules.lastOrderBefore) parts.push(`${tr('最近下单早于', 'Last order before')} ${fmtTime(rules.lastOrderBefore)}`);
  if (rules.cities?.length) parts.push(rules.cities.join('/'));
  if (rules.tagIds?.length)
    parts.push(`${tr('标签', 'Tags')} ${rules.tagIds.map((id) => tags.find((t) => t.id === id)?.name ?? id).join('/')}`);
  return <span>{parts.length ? parts.join(' · ') : tr('全部用户', 'Everyone')}</span>;
}

interface BuilderValues {
  name?: string;
  layers?: Rules['layers'];
  tierIds?: string[];
  minSpend?: number | null;
  maxSpend?: number | null;
  minOrders?: number | null;
  maxOrders?: number | null;
  lastOrderAfter?: Dayjs | null;
  lastOrderBefore?: Dayjs | null;
  cities?: string[];
  tagIds?: string[];
}

function rulesOf(v: BuilderValues): Rules {
  const r: Rules = {};
  if (v.layers?.length) r.layers = v.layers;
  if (v.tierIds?.length) r.tierIds = v.tierIds;
  if (v.minSpend != null) r.minSpend = v.minSpend;
  if (v.maxSpend != null) r.maxSpend = v.maxSpend;
  if (v.minOrders != null) r.minOrders = v.minOrders;
  if (v.maxOrders != null) r.maxOrders = v.maxOrders;
  if (v.lastOrderAfter) r.lastOrderAfter = v.lastOrderAfter.toISOString();
  if (v.lastOrderBefore) r.lastOrderBefore = v.lastOrderBefore.toISOString();
  if (v.cities?.length) r.cities = v.cities;
  if (v.tagIds?.length) r.tagIds = v.tagIds;
  return r;
}

/** 新建分群: rules, a preview count with a sample, then save under a name. */
function SegmentBuilder({ tags, onSaved }: { tags: MemberTag[]; onSaved: () => void }) {
  const { tr, labelOptions } = useI18n();
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm<BuilderValues>();
  const [preview, setPreview] = useState<Schemas['SegmentPreview'] | null>(null);
  const [busy, setBusy] = useState(false);

  const doPreview = async () => {
    setBusy(true);
    try {
      setPreview(await call(api.POST('/admin/v1/member-segments/preview', { body: rulesOf(form.getFieldsValue()) })));
    } catch (e) {
      showError(e);
    } finally {
      setBusy(false);
    }
  };
  const save = async () => {
    const v = await form.validateFields();
    try {
      await call(api.POST('/admin/v1/member-segments', { body: { name: v.name!, description: '', rules: rulesOf(v) } }));
      void message.success(tr('分群已保存', 'Segment saved'));
      setOpen(false);
      form.resetFields();
      setPreview(null);
      onSaved();
    } catch (e) {
      showError(e);
    }
  };
  return (
    <>
      <Button type="primary" size="small" onClick={() => setOpen(true)} data-testid="segment-new">
        {tr('新建分群', 'New segment')}
      </Button>
      <Drawer
        open={open}
        width={560}
        title={tr('新建分群', 'New segment')}
        onClose={() => setOpen(false)}
        extra={
          <Space>
            <Button onClick={() => void doPreview()} loading={busy} data-testid="segment-preview">
              {tr('预览人数', 'Preview')}
            </Button>
            <Button type="primary" onClick={() => void save()} data-testid="segment-save">
              {tr('保存分群', 'Save')}
            </Button>
          </Space>
        }
      >
        <Form form={form} layout="vertical" onValuesChange={() => setPreview(null)}>
          <Form.Item name="name" label={tr('分群名称', 'Name')} rules={[{ required: true, max: 40 }]}>
            <Input placeholder={tr('如：杭州高消费客户', 'e.g. Big spenders in Hangzhou')} data-testid="segment-name" />
          </Form.Item>
          <Form.Item name="layers" label={tr('用户分层', 'Layers')}>
            <Select mode="multiple" allowClear options={labelOptions('memberLayer')} data-testid="segment-layers" />
          </Form.Item>
          <Form.Item name="tierIds" label={tr('会员等级（等级 ID）', 'Member tiers (ids)')}>
            <Select mode="tags" allowClear placeholder={tr('输入等级 ID 回车', 'Type a tier id, Enter')} />
          </Form.Item>
          <Space.Compact block>
            <Form.Item name="minSpend" label={tr('累计消费 ≥', 'Spend ≥')} style={{ width: '50%' }}>
              <MoneyInput testId="segment-min-spend" />
            </Form.Item>
            <Form.Item name="maxSpend" label={tr('累计消费 ≤', 'Spend ≤')} style={{ width: '50%' }}>
              <MoneyInput />
            </Form.Item>
          </Space.Compact>
          <Space.Compact block>
            <Form.Item name="minOrders" label={tr('下单次数 ≥', 'Orders ≥')} style={{ width: '50%' }}>
              <InputNumber min={0} precision={0} style={{ width: '100%' }} />
            </Form.Item>
            <Form.Item name="maxOrders" label={tr('下单次数 ≤', 'Orders ≤')} style={{ width: '50%' }}>
              <InputNumber min={0} precision={0} style={{ width: '100%' }} />
            </Form.Item>
          </Space.Compact>
          <Space.Compact block>
            <Form.Item name="lastOrderAfter" label={tr('最近下单晚于', 'Last order after')} style={{ width: '50%' }}>
              <DatePicker style={{ width: '100%' }} />
            </Form.Item>
            <Form.Item name="lastOrderBefore" label={tr('最近下单早于', 'Last order before')} style={{ width: '50%' }}>
              <DatePicker style={{ width: '100%' }} />
            </Form.Item>
          </Space.Compact>
          <Form.Item name="cities" label={tr('城市（默认收货地址）', 'City (default address)')}>
            <Select mode="tags" allowClear placeholder={tr('如 杭州市，回车添加', 'e.g. 杭州市, Enter')} data-testid="segment-cities" />
          </Form.Item>
          <Form.Item name="tagIds" label={tr('用户标签（任一）', 'Tags (any)')}>
            <Select mode="multiple" allowClear options={tags.map((t) => ({ value: t.id, label: t.name }))} />
          </Form.Item>
        </Form>
        {preview && (
          <Card size="small" data-testid="segment-preview-result">
            <Statistic
              title={tr('符合条件的用户（截至最近一次分层）', 'Matching shoppers (as of the last run)')}
              value={preview.size}
              suffix={tr('人', '')}
            />
            <MembersTable items={preview.sample} />
          </Card>
        )}
      </Drawer>
    </>
  );
}

function MembersTable({ items, loading }: { items: Member[]; loading?: boolean }) {
  const { tr } = useI18n();
  return (
    <Table<Member>
      rowKey="userId"
      size="small"
      loading={loading}
      dataSource={items}
      pagination={false}
      data-testid="segment-members"
      columns={[
        { title: tr('用户', 'Shopper'), render: (_, m) => <span title={m.userId}>{m.nickname || m.userId}</span> },
        { title: tr('分层', 'Layer'), dataIndex: 'layer', render: (l: string) => <CodeTag group="memberLayer" code={l} /> },
        { title: tr('订单', 'Orders'), dataIndex: 'orderCount' },
        { title: tr('累计消费', 'Spend'), dataIndex: 'spend', render: (v: number) => formatFen(v) },
        { title: tr('最近下单', 'Last order'), dataIndex: 'lastOrderAt', render: fmtTime },
        { title: tr('城市', 'City'), dataIndex: 'city', render: (v: string | null) => v ?? '—' },
        { title: tr('标签', 'Tags'), render: (_, m) => m.tags.map((t) => <Tag key={t.id}>{t.name}</Tag>) },
      ]}
    />
  );
}

function MembersDrawer({ segment, onClose }: { segment: Segment; onClose: () => void }) {
  const { tr } = useI18n();
  const fetchPage = useCallback(
    (cursor: string | undefined) =>
      call(
        api.GET('/admin/v1/member-segments/{segmentId}/members', {
          params: { path: { segmentId: segment.id }, query: { limit: 20, cursor } },
        }),
      ),
    [segment.id],
  );
  const list = useCursorList<Member>(fetchPage);
  const [exporting, setExporting] = useState(false);
  const exportCsv = async () => {
    setExporting(true);
    try {
      await downloadCsv(segment.id, segment.name);
      void message.success(tr('导出完成', 'Export ready'));
    } catch (e) {
      showError(e);
    } finally {
      setExporting(false);
    }
  };
  return (
    <Drawer
      open
      width={900}
      onClose={onClose}
      title={`${segment.name} · ${segment.size} ${tr('人', 'shoppers')}`}
      extra={
        <Button onClick={() => void exportCsv()} loading={exporting} data-testid="segment-export">
          {tr('导出 CSV', 'Export CSV')}
        </Button>
      }
    >
      {list.error ? <Alert type="error" message={errText(list.error)} /> : null}
      <MembersTable items={list.items} loading={list.loading} />
      <Pager list={list} />
    </Drawer>
  );
}

/** 用户标签: create tags and put them on shoppers by id. */
function TagsCard({ tags, writable, onChanged }: { tags: MemberTag[]; writable: boolean; onChanged: () => void }) {
  const { tr } = useI18n();
  const [name, setName] = useState('');
  const [tagId, setTagId] = useState<string>();
  const [ids, setIds] = useState('');
  const create = async () => {
    try {
      await call(api.POST('/admin/v1/member-tags', { body: { name: name.trim() } }));
      setName('');
      onChanged();
    } catch (e) {
      showError(e);
    }
  };
  const apply = async () => {
    const userIds = ids.split(/[\s,，、]+/).filter(Boolean);
    if (!tagId || !userIds.length) return;
    try {
      const r = await call(api.POST('/admin/v1/member-tags/{tagId}/members', { params: { path: { tagId } }, body: { userIds } }));
      void message.success(tr(`已打标签 ${r.tagged} 人，跳过 ${r.skipped} 人`, `Tagged ${r.tagged}, skipped ${r.skipped}`));
      setIds('');
      onChanged();
    } catch (e) {
      showError(e);
    }
  };
  const remove = async (t: MemberTag) => {
    try {
      await call(api.DELETE('/admin/v1/member-tags/{tagId}', { params: { path: { tagId: t.id } } }));
      onChanged();
    } catch (e) {
      showError(e);
    }
  };
  return (
    <Card size="small" title={tr('用户标签', 'Tags')} style={{ marginTop: 12 }} data-testid="member-tags">
      <Space wrap style={{ marginBottom: 8 }}>
        {tags.length === 0 && <span style={{ color: '#888' }}>{tr('暂无标签', 'No tags yet')}</span>}
        {tags.map((t) => (
          <Tag key={t.id} closable={writable} onClose={(e) => (e.preventDefault(), void remove(t))}>
            {t.name} · {t.members}
          </Tag>
        ))}
      </Space>
      {writable && (
        <Space wrap>
          <Input
            value={name}
            onChange={(e) => setName(e.target.value)}
            placeholder={tr('新标签名', 'New tag')}
            style={{ width: 160 }}
            maxLength={20}
          />
          <Button onClick={() => void create()} disabled={!name.trim()}>
            {tr('添加标签', 'Add tag')}
          </Button>
          <Select
            value={tagId}
            onChange={setTagId}
            placeholder={tr('选择标签', 'Tag')}
            style={{ width: 160 }}
            options={tags.map((t) => ({ value: t.id, label: t.name }))}
          />
          <Input
            value={ids}
            onChange={(e) => setIds(e.target.value)}
            placeholder={tr('用户 ID，逗号分隔', 'User ids, comma-separated')}
            style={{ width: 280 }}
          />
          <Button onClick={() => void apply()} disabled={!tagId || !ids.trim()}>
            {tr('打标签', 'Tag shoppers')}
          </Button>
        </Space>
      )}
    </Card>
  );
}
