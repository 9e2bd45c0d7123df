import { useCallback, useEffect, useState } from 'react';
import { Alert, Button, DatePicker, Form, Input, InputNumber, Modal, Select, Space, Switch, Table, Tabs, Tag, message } from 'antd';
import dayjs from 'dayjs';
import { api, call, type Schemas } from '../../api';
import { useI18n } from '../../i18n';
import { MoneyInput, PageTitle, Pager, errText, fmtTime, formatFen, showError, useCursorList } from '../../ui';
import { iso } from '../promotions/shared';

type Item = Schemas['PointsMallItemAdmin'];
type Exchange = Schemas['PointsMallExchangeAdmin'];
type Kind = Item['kind'];

const KIND: Record<Kind, [string, string]> = {
  goods: ['实物商品', 'Goods'],
  coupon: ['优惠券', 'Coupon'],
  lottery_chance: ['抽奖机会', 'Lottery chances'],
};
const STATE: Record<Item['state'], [string, string, string]> = {
  live: ['兑换中', 'Live', 'green'],
  upcoming: ['未开始', 'Upcoming', 'blue'],
  ended: ['已结束', 'Ended', 'default'],
  off: ['已下架', 'Off shelf', 'default'],
};
const EXCHANGE: Record<Exchange['status'], [string, string, string]> = {
  completed: ['已完成', 'Completed', 'green'],
  pending_payment: ['待支付', 'Awaiting payment', 'orange'],
  cancelled: ['已取消（积分已退回）', 'Cancelled (points returned)', 'default'],
};

/** 积分商城商品: items (create, edit, on/off shelf, stock) and the exchange records. */
export default function PointsMallPage() {
  const { tr, lang } = useI18n();
  const [tab, setTab] = useState('items');
  const [recordsOf, setRecordsOf] = useState<string | undefined>();
  const pick = (pair: [string, string, ...string[]]) => (lang === 'zh' ? pair[0] : pair[1]);
  return (
    <div data-testid="points-mall-page">
      <PageTitle>{tr('积分商城', 'Points mall')}</PageTitle>
      <Tabs
        activeKey={tab}
        onChange={setTab}
        items={[
          {
            key: 'items',
            label: tr('积分商城商品', 'Items'),
            children: (
              <ItemsTab
                pick={pick}
                onRecords={(id) => {
                  setRecordsOf(id);
                  setTab('records');
                }}
              />
            ),
          },
          {
            key: 'records',
            label: tr('兑换记录', 'Exchanges'),
            children: <RecordsTab pick={pick} itemId={recordsOf} onClear={() => setRecordsOf(undefined)} />,
          },
        ]}
      />
    </div>
  );
}

type PickText = (pair: [string, string, ...string[]]) => string;

function ItemsTab({ pick, onRecords }: { pick: PickText; onRecords: (itemId: string) => void }) {
  const { tr, t } = useI18n();
  const [kind, setKind] = useState<Kind | undefined>();
  const fetchPage = useCallback(
    (cursor: string | undefined) => call(api.GET('/admin/v1/points-mall/items', { params: { query: { limit: 20, cursor, kind } } })),
    [kind],
  );
  const list = useCursorList<Item>(fetchPage);
  const [editing, setEditing] = useState<Item | 'new' | null>(null);
  const [stockOf, setStockOf] = useState<Item | null>(null);
  const [delta, setDelta] = useState<number | null>(null);
  const [form] = Form.useForm();
  const formKind = Form.useWatch('kind', form) as Kind | undefined;
  const [tiers, setTiers] = useState<{ value: string; label: string }[]>([]);
  useEffect(() => {
    call(api.GET('/admin/v1/member-tiers', { params: { query: { status: 'active' } } }))
      .then((r) => setTiers(r.items.map((x) => ({ value: x.id, label: x.name }))))
      .catch(() => setTiers([]));
  }, []);

  const openNew = () => {
    form.resetFields();
    form.setFieldsValue({
      kind: 'coupon',
      pointsPrice: 100,
      cashPrice: 0,
      stock: 100,
      limitPeriod: 'ever',
      status: 'on',
      sortOrder: 0,
      freeShipping: true,
      chances: 1,
    });
    setEditing('new');
  };
  const openEdit = (i: Item) => {
    form.resetFields();
    form.setFieldsValue({
      ...i,
      range: i.startsAt || i.endsAt ? [i.startsAt ? dayjs(i.startsAt) : null, i.endsAt ? dayjs(i.endsAt) : null] : undefined,
      on: i.status === 'on',
    });
    setEditing(i);
  };

  const save = async () => {
    const v = await form.validateFields();
    const common = {
      title: v.title,
      description: v.description ?? '',
      imageUrl: v.imageUrl || null,
      pointsPrice: v.pointsPrice,
      cashPrice: v.cashPrice ?? 0,
      limitPerUser: v.limitPerUser ?? null,
      limitPeriod: v.limitPeriod,
      startsAt: iso(v.range?.[0]) ?? null,
      endsAt: iso(v.range?.[1]) ?? null,
      sortOrder: v.sortOrder ?? 0,
      minTierId: v.minTierId || null,
      freeShipping: v.freeShipping ?? true,
    };
    try {
      if (editing === 'new')
        await call(
          api.POST('/admin/v1/points-mall/items', {
            body: {
              kind: v.kind,
              ...common,
              status: v.status,
              stock: v.stock,
              skuId: v.kind === 'goods' ? v.skuId : undefined,
              couponTemplateId: v.kind === 'coupon' ? v.couponTemplateId : undefined,
              lotteryId: v.kind === 'lottery_chance' ? v.lotteryId : undefined,
              chances: v.kind === 'lottery_chance' ? v.chances : undefined,
            },
          }),
        );
      else if (editing)
        await call(api.PATCH('/admin/v1/points-mall/items/{itemId}', { params: { path: { itemId: editing.id } }, body: common }));
      void message.success(t('saved'));
      setEditing(null);
      void list.reload();
    } catch (e) {
      showError(e);
    }
  };

  const shelf = async (i: Item) => {
    try {
      await call(
        api.PATCH('/admin/v1/points-mall/items/{itemId}', {
          params: { path: { itemId: i.id } },
          body: { status: i.status === 'on' ? 'off' : 'on' },
        }),
      );
      void list.reload();
    } catch (e) {
      showError(e);
    }
  };

  const adjust = async () => {
    if (!stockOf || !delta) return;
    try {
      await call(api.POST('/admin/v1/points-mall/items/{itemId}/stock', { params: { path: { itemId: stockOf.id } }, body: { delta } }));
      void message.success(t('saved'));
      setStockOf(null);
      setDelta(null);
      void list.reload();
    } catch (e) {
      showError(e);
    }
  };

  const kindOptions = (Object.keys(KIND) as Kind[]).map((k) => ({ value: k, label: pick(KIND[k]) }));
  const isNew = editing === 'new';
  const k = isNew ? formKind : editing ? editing.kind : undefined;
  return (
    <>
      <Space style={{ marginBottom: 12 }}>
        <Select allowClear placeholder={tr('类型', 'Kind')} style={{ width: 160 }} value={kind} onChange={setKind} options={kindOptions} />
        <Button type="primary" onClick={openNew} data-testid="mall-item-new">
          {tr('新建商品', 'New item')}
        </Button>
      </Space>
      {list.error ? <Alert type="error" message={errText(list.error)} /> : null}
      <Table<Item>
        rowKey="id"
        loading={list.loading}
        dataSource={list.items}
        pagination={false}
        columns={[
          {
            title: tr('商品', 'Item'),
            dataIndex: 'title',
            render: (v: string, i) => (
              <span data-testid={`mall-item-row-${i.id}`}>
                {v}
                {i.minTierName && <Tag style={{ marginLeft: 8 }}>{tr(`${i.minTierName}及以上`, `${i.minTierName}+`)}</Tag>}
              </span>
            ),
          },
          { title: tr('类型', 'Kind'), dataIndex: 'kind', render: (v: Kind) => pick(KIND[v]) },
          {
            title: tr('价格', 'Price'),
            render: (_, i) => `${i.pointsPrice} ${tr('积分', 'pts')}${i.cashPrice > 0 ? ` + ¥${formatFen(i.cashPrice)}` : ''}`,
          },
          { title: tr('剩余/已兑', 'Left / exchanged'), render: (_, i) => `${i.stock} / ${i.sold}` },
          {
            title: tr('限兑', 'Limit'),
            render: (_, i) =>
              i.limitPerUser == null
                ? tr('不限', 'None')
                : `${i.limitPerUser} / ${i.limitPeriod === 'day' ? tr('每天', 'day') : tr('每人', 'shopper')}`,
          },
          {
            title: tr('兑换时间', 'Window'),
            render: (_, i) =>
              `${i.startsAt ? fmtTime(i.startsAt) : tr('立即', 'now')} ~ ${i.endsAt ? fmtTime(i.endsAt) : tr('长期', 'open')}`,
          },
          { title: tr('排序', 'Sort'), dataIndex: 'sortOrder' },
          { title: t('status'), dataIndex: 'state', render: (s: Item['state']) => <Tag color={STATE[s][2]}>{pick(STATE[s])}</Tag> },
          {
            title: t('actions'),
            render: (_, i) => (
              <Space size={0} wrap>
                <Button size="small" type="link" onClick={() => openEdit(i)} data-testid={`mall-item-edit-${i.id}`}>
                  {tr('编辑', 'Edit')}
                </Button>
                <Button size="small" type="link" onClick={() => void shelf(i)} data-testid={`mall-item-shelf-${i.id}`}>
                  {i.status === 'on' ? tr('下架', 'Take off') : tr('上架', 'Put on')}
                </Button>
                <Button size="small" type="link" onClick={() => setStockOf(i)} data-testid={`mall-item-stock-${i.id}`}>
                  {tr('库存', 'Stock')}
                </Button>
                <Button size="small" type="link" onClick={() => onRecords(i.id)}>
                  {tr('兑换记录', 'Exchanges')}
                </Button>
              </Space>
            ),
          },
        ]}
      />
      <Pager list={list} />
      <Modal
        open={editing !== null}
        width={680}
        title={isNew ? tr('新建积分商城商品', 'New points-mall item') : tr('编辑积分商城商品', 'Edit item')}
        onCancel={() => setEditing(null)}
        onOk={() => void save()}
        okButtonProps={{ 'data-testid': 'mall-item-save' }}
      >
        <Form form={form} layout="vertical">
          <Space wrap>
            <Form.Item name="kind" label={tr('类型', 'Kind')} rules={[{ required: true }]}>
              <Select style={{ width: 160 }} options={kindOptions} disabled={!isNew} data-testid="mall-item-kind" />
            </Form.Item>
            {k === 'goods' && (
              <Form.Item name="skuId" label={tr('SKU ID（发货商品）', 'SKU id')} rules={[{ required: isNew }]}>
                <Input style={{ width: 240 }} disabled={!isNew} placeholder="sku_…" data-testid="mall-item-sku" />
              </Form.Item>
            )}
            {k === 'coupon' && (
              <Form.Item
                name="couponTemplateId"
                label={tr('优惠券模板 ID（需开通“积分商城”渠道）', "Coupon template id (open to the 'points mall' channel)")}
                rules={[{ required: isNew }]}
              >
                <Input style={{ width: 280 }} disabled={!isNew} placeholder="cpt_…" data-testid="mall-item-template" />
              </Form.Item>
            )}
            {k === 'lottery_chance' && (
              <>
                <Form.Item name="lotteryId" label={tr('抽奖活动 ID', 'Lottery id')} rules={[{ required: isNew }]}>
                  <Input style={{ width: 220 }} disabled={!isNew} placeholder="lot_…" />
                </Form.Item>
                <Form.Item name="chances" label={tr('每份次数', 'Draws per unit')}>
                  <InputNumber min={1} max={100} precision={0} disabled={!isNew} />
                </Form.Item>
              </>
            )}
          </Space>
          <Form.Item name="title" label={tr('商品名称', 'Title')} rules={[{ required: true, max: 60 }]}>
            <Input data-testid="mall-item-title" />
          </Form.Item>
          <Space wrap>
            <Form.Item name="pointsPrice" label={tr('所需积分', 'Points')} rules={[{ required: true }]}>
              <InputNumber min={1} precision={0} data-testid="mall-item-points" />
            </Form.Item>
            {k === 'goods' && (
              <Form.Item name="cashPrice" label={tr('现金部分（0 = 纯积分）', 'Cash part (0 = points only)')}>
                <MoneyInput testId="mall-item-cash" style={{ width: 140 }} />
              </Form.Item>
            )}
            {isNew && (
              <Form.Item name="stock" label={tr('库存', 'Stock')} rules={[{ required: true }]}>
                <InputNumber min={0} precision={0} data-testid="mall-item-stock" />
              </Form.Item>
            )}
            {k === 'goods' && (
              <Form.Item name="freeShipping" label={tr('包邮', 'Free shipping')} valuePropName="checked">
                <Switch />
              </Form.Item>
            )}
          </Space>
          <Space wrap>
            <Form.Item name="limitPerUser" label={tr('每人限兑（空 = 不限）', 'Per-shopper limit (empty = none)')}>
              <InputNumber min={1} precision={0} />
            </Form.Item>
            <Form.Item name="limitPeriod" label={tr('限兑周期', 'Limit period')}>
              <Select
                style={{ width: 140 }}
                options={[
                  { value: 'ever', label: tr('活动期间', 'Ever') },
                  { value: 'day', label: tr('每天', 'Per day') },
                ]}
              />
            </Form.Item>
            <Form.Item name="sortOrder" label={tr('排序（小的在前）', 'Sort (smaller first)')}>
              <InputNumber precision={0} />
            </Form.Item>
            {isNew && (
              <Form.Item name="status" label={tr('上架状态', 'Shelf')}>
                <Select
                  style={{ width: 120 }}
                  options={[
                    { value: 'on', label: tr('上架', 'On') },
                    { value: 'off', label: tr('下架', 'Off') },
                  ]}
                />
              </Form.Item>
            )}
          </Space>
          <Form.Item name="range" label={tr('兑换时间（可不填）', 'Window (optional)')}>
            <DatePicker.RangePicker showTime allowEmpty={[true, true]} />
          </Form.Item>
          <Form.Item name="imageUrl" label={tr('图片地址（实物默认用商品主图）', 'Image URL (goods default to the product image)')}>
            <Input placeholder="https://…" />
          </Form.Item>
          <Form.Item name="minTierId" label={tr('会员等级限制（该等级及以上可兑）', 'Member tier and above (optional)')}>
            <Select
              allowClear
              style={{ width: 200 }}
              options={tiers}
              placeholder={tr('不限等级', 'Every tier')}
              data-testid="mall-item-tier"
            />
          </Form.Item>
          <Form.Item name="description" label={tr('兑换说明', 'Description')}>
            <Input.TextArea rows={3} maxLength={2000} />
          </Form.Item>
        </Form>
      </Modal>
      <Modal
        open={stockOf !== null}
        title={tr('调整库存', 'Adjust stock')}
        onCancel={() => setStockOf(null)}
        onOk={() => void adjust()}
        okButtonProps={{ disabled: !delta, 'data-testid': 'mall-stock-save' }}
      >
        <p>
          {stockOf?.title} · {tr('当前剩余', 'Left now')} {stockOf?.stock}
        </p>
        <InputNumber
          value={delta}
          onChange={(v) => setDelta(v)}
          precision={0}
          placeholder={tr('增加填正数，减少填负数', '+ to add, − to take off sale')}
          style={{ width: 240 }}
          data-testid="mall-stock-delta"
        />
      </Modal>
    </>
  );
}

function RecordsTab({ pick, itemId, onClear }: { pick: PickText; itemId?: string; onClear: () => void }) {
  const { tr } = useI18n();
  const [userId, setUserId] = useState('');
  const [applied, setApplied] = useState<string | undefined>();
  const fetchPage = useCallback(
    (cursor: string | undefined) =>
      call(api.GET('/admin/v1/points-mall/exchanges', { params: { query: { limit: 20, cursor, itemId, userId: applied } } })),
    [itemId, applied],
  );
  const list = useCursorList<Exchange>(fetchPage);
  return (
    <>
      <Space style={{ marginBottom: 12 }}>
        {itemId && (
          <Tag closable onClose={onClear}>
            {tr('商品', 'Item')} {itemId}
          </Tag>
        )}
        <Input.Search
          placeholder={tr('按用户 ID 筛选', 'Filter by user id')}
          value={userId}
          onChange={(e) => setUserId(e.target.value)}
          onSearch={(v) => setApplied(v.trim() || undefined)}
          allowClear
          style={{ width: 260 }}
        />
      </Space>
      {list.error ? <Alert type="error" message={errText(list.error)} /> : null}
      <Table<Exchange>
        rowKey="id"
        loading={list.loading}
        dataSource={list.items}
        pagination={false}
        columns={[
          { title: tr('时间', 'Time'), dataIndex: 'createdAt', render: (v: string) => fmtTime(v) },
          { title: tr('用户', 'Shopper'), dataIndex: 'userId' },
          { title: tr('商品', 'Item'), dataIndex: 'title' },
          { title: tr('类型', 'Kind'), dataIndex: 'kind', render: (v: Kind) => pick(KIND[v]) },
          { title: tr('数量', 'Qty'), dataIndex: 'quantity' },
          {
            title: tr('积分/现金', 'Points / cash'),
            render: (_, x) => `${x.pointsTotal}${x.cashTotal > 0 ? ` + ¥${formatFen(x.cashTotal)}` : ''}`,
          },
          { title: tr('订单', 'Order'), render: (_, x) => (x.order ? <a href={`/orders/${x.order.id}`}>{x.order.orderNo}</a> : '-') },
          {
            title: tr('状态', 'Status'),
            dataIndex: 'status',
            render: (s: Exchange['status']) => <Tag color={EXCHANGE[s][2]}>{pick(EXCHANGE[s])}</Tag>,
          },
        ]}
      />
      <Pager list={list} />
    </>
  );
}
