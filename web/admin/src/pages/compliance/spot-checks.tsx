import { useCallback, useState } from 'react';
import { Alert, Button, Card, Drawer, Form, Input, InputNumber, Radio, Space, Table, Tabs, Tag, message } from 'antd';
import { Link } from 'react-router-dom';
import { api, call, newIdempotencyKey, type Schemas } from '../../api';
import { useI18n } from '../../i18n';
import { CodeTag, PageTitle, Pager, errText, fmtTime, showError, useCursorList } from '../../ui';
import { ScreeningMatches } from './matches';
import { DeadlineModal, NoticesTable } from './notices';

type SpotCheck = Schemas['SpotCheck'];
type Item = SpotCheck['items'][number];

/** 抽查: sample a merchant's products, see each one's automatic check, issue 整改通知 with deadlines. */
export default function SpotChecksPage() {
  const { tr } = useI18n();
  const [tab, setTab] = useState('checks');
  return (
    <div>
      <PageTitle>{tr('抽查整改', 'Spot checks')}</PageTitle>
      <Tabs
        activeKey={tab}
        onChange={setTab}
        items={[
          { key: 'checks', label: tr('抽查记录', 'Spot checks'), children: <ChecksTab /> },
          { key: 'notices', label: tr('整改通知', 'Correction notices'), children: <NoticesTable merchantView={false} /> },
        ]}
      />
    </div>
  );
}

function ChecksTab() {
  const { tr } = useI18n();
  const [form] = Form.useForm<{ merchantId: string; mode: 'random' | 'chosen'; sampleSize: number; productIds: string; note: string }>();
  const [busy, setBusy] = useState(false);
  const [open, setOpen] = useState<SpotCheck | null>(null);
  const fetchPage = useCallback(
    (cursor: string | undefined) => call(api.GET('/admin/v1/spot-checks', { params: { query: { limit: 20, cursor } } })),
    [],
  );
  const list = useCursorList<Schemas['SpotCheckSummary']>(fetchPage);
  const mode = Form.useWatch('mode', form);

  const show = async (id: string) => {
    try {
      setOpen(await call(api.GET('/admin/v1/spot-checks/{spotCheckId}', { params: { path: { spotCheckId: id } } })));
    } catch (e) {
      showError(e);
    }
  };

  const create = async () => {
    const v = await form.validateFields();
    setBusy(true);
    try {
      const ids = v.productIds
        ?.split(/[\s,，]+/)
        .map((s) => s.trim())
        .filter(Boolean);
      const sc = await call(
        api.POST('/admin/v1/spot-checks', {
          params: { header: { 'idempotency-key': newIdempotencyKey() } },
          body:
            v.mode === 'chosen'
              ? { merchantId: v.merchantId.trim(), productIds: ids ?? [], note: v.note ?? '' }
              : { merchantId: v.merchantId.trim(), sampleSize: v.sampleSize, note: v.note ?? '' },
        }),
      );
      void message.success(tr(`已抽查 ${sc.items.length} 件商品`, `${sc.items.length} products checked`));
      setOpen(sc);
      await list.reload();
    } catch (e) {
      showError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <Card size="small" title={tr('发起抽查', 'New spot check')} style={{ marginBottom: 16, maxWidth: 900 }}>
        <Form form={form} layout="inline" initialValues={{ mode: 'random', sampleSize: 5 }}>
          <Form.Item name="merchantId" label={tr('商家 ID', 'Merchant id')} rules={[{ required: true, pattern: /^mch_[0-9a-z_]{4,32}$/ }]}>
            <Input placeholder="mch_…" style={{ width: 180 }} data-testid="spot-merchant" />
          </Form.Item>
          <Form.Item name="mode">
            <Radio.Group
              options={[
                { value: 'random', label: tr('随机抽取在售商品', 'Random on-sale') },
                { value: 'chosen', label: tr('指定商品', 'Chosen products') },
              ]}
            />
          </Form.Item>
          {mode === 'chosen' ? (
            <Form.Item name="productIds" rules={[{ required: true }]}>
              <Input
                placeholder={tr('商品 ID，逗号分隔', 'Product ids, comma separated')}
                style={{ width: 300 }}
                data-testid="spot-product-ids"
              />
            </Form.Item>
          ) : (
            <Form.Item name="sampleSize" label={tr('抽取数量', 'Sample size')} rules={[{ required: true }]}>
              <InputNumber min={1} max={50} precision={0} data-testid="spot-sample-size" />
            </Form.Item>
          )}
          <Form.Item name="note">
            <Input placeholder={tr('备注', 'Note')} style={{ width: 160 }} />
          </Form.Item>
          <Button type="primary" loading={busy} onClick={() => void create().catch(() => undefined)} data-testid="spot-create">
            {tr('开始抽查', 'Run spot check')}
          </Button>
        </Form>
      </Card>
      {list.error ? <Alert type="error" message={errText(list.error)} /> : null}
      <Table
        size="small"
        rowKey="id"
        loading={list.loading}
        dataSource={list.items}
        pagination={false}
        columns={[
          { title: tr('时间', 'Time'), dataIndex: 'createdAt', key: 'at', render: fmtTime },
          { title: tr('商家', 'Merchant'), dataIndex: 'merchantId', key: 'merchant' },
          { title: tr('方式', 'Mode'), dataIndex: 'mode', key: 'mode', render: (m: string) => <CodeTag group="spotCheckMode" code={m} /> },
          { title: tr('抽查商品', 'Products'), dataIndex: 'itemCount', key: 'items' },
          {
            title: tr('未通过', 'Failing'),
            dataIndex: 'failingCount',
            key: 'failing',
            render: (n: number) => (n ? <Tag color="red">{n}</Tag> : <Tag color="green">0</Tag>),
          },
          { title: tr('未结整改', 'Open notices'), dataIndex: 'openNoticeCount', key: 'open' },
          { title: tr('备注', 'Note'), dataIndex: 'note', key: 'note' },
          {
            title: '',
            key: 'view',
            render: (_, r) => (
              <Button size="small" type="link" onClick={() => void show(r.id)} data-testid={`spot-view-${r.id}`}>
                {tr('查看', 'View')}
              </Button>
            ),
          },
        ]}
      />
      <Pager list={list} />
      <Drawer width={900} open={!!open} onClose={() => setOpen(null)} title={tr('抽查结果', 'Spot check result')} destroyOnHidden>
        {open && <SpotCheckDetail check={open} onChanged={() => void show(open.id)} />}
      </Drawer>
    </>
  );
}

function SpotCheckDetail({ check, onChanged }: { check: SpotCheck; onChanged: () => void }) {
  const { tr } = useI18n();
  const [issuing, setIssuing] = useState<Item | null>(null);
  return (
    <div data-testid="spot-detail">
      <p>
        {tr('商家', 'Merchant')}：{check.merchantId} · {fmtTime(check.createdAt)} {check.note && `· ${check.note}`}
      </p>
      <Space direction="vertical" style={{ width: '100%' }}>
        {check.items.map((it) => (
          <Card
            key={it.id}
            size="small"
            data-testid={`spot-item-${it.productId}`}
            title={
              <Space>
                <Link to={`/products/${it.productId}`}>{it.productTitle}</Link>
                <CodeTag group="screenVerdict" code={it.verdict} />
                {it.passes ? <Tag color="green">{tr('通过', 'Passes')}</Tag> : <Tag color="red">{tr('未通过', 'Fails')}</Tag>}
              </Space>
            }
            extra={
              it.notice ? (
                <CodeTag group="noticeStatus" code={it.notice.status} testId={`spot-item-notice-${it.productId}`} />
              ) : (
                <Button size="small" danger onClick={() => setIssuing(it)} data-testid={`spot-issue-${it.productId}`}>
                  {tr('下发整改通知', 'Issue notice')}
                </Button>
              )
            }
          >
            {it.missingFacts.length > 0 && (
              <Alert
                type="error"
                showIcon
                style={{ marginBottom: 8 }}
                message={tr(`缺少必填信息：${it.missingFacts.join('、')}`, `Missing facts: ${it.missingFacts.join(', ')}`)}
              />
            )}
            {it.matches.length > 0 && (
              <ScreeningMatches
                type={it.verdict === 'block' ? 'error' : 'warning'}
                title={tr('命中词', 'Matched terms')}
                matches={it.matches}
              />
            )}
            {it.duplicates.length > 0 && (
              <Alert
                type="warning"
                style={{ marginTop: 8 }}
                message={
                  tr('疑似抄袭其他商家的详情：', 'Detail copy nearly identical to: ') +
                  it.duplicates.map((d) => `${d.title}（${d.merchantId}）`).join('、')
                }
              />
            )}
            {it.notice && (
              <div style={{ marginTop: 8, fontSize: 12 }}>
                {tr('整改原因', 'Reason')}：{it.notice.reason} · {tr('期限', 'Deadline')}：{fmtTime(it.notice.deadlineAt)}
              </div>
            )}
            {it.passes && it.matches.length === 0 && !it.notice && (
              <span style={{ color: '#389e0d' }}>{tr('未发现问题', 'No problems found')}</span>
            )}
          </Card>
        ))}
      </Space>
      <DeadlineModal
        title={tr('下发整改通知', 'Issue a correction notice')}
        open={!!issuing}
        onClose={() => setIssuing(null)}
        onSubmit={async (v) => {
          await call(
            api.POST('/admin/v1/spot-checks/{spotCheckId}/items/{itemId}/notices', {
              params: { path: { spotCheckId: check.id, itemId: issuing!.id } },
              body: v,
            }),
          );
          void message.success(tr('已下发整改通知', 'Notice issued'));
          onChanged();
        }}
      />
    </div>
  );
}
