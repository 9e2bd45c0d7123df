import { useCallback, useEffect, useState } from 'react';
import {
  Alert,
  Button,
  DatePicker,
  Descriptions,
  Drawer,
  Form,
  Input,
  Modal,
  Progress,
  Select,
  Space,
  Spin,
  Table,
  Tag,
  Timeline,
  message,
} from 'antd';
import type { Dayjs } from 'dayjs';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { api, call, type Schemas } from '../api';
import { useAuth } from '../auth';
import { useI18n } from '../i18n';
import { CodeTag, PageTitle, Pager, errText, fmtTime, formatFen, showError, useCursorList } from '../ui';

type Order = Schemas['OrderSummary'];
type OrderStatus = Order['status'];

interface Filters {
  status?: OrderStatus;
  orderNo?: string;
  createdFrom?: string;
  createdTo?: string;
}

export default function OrdersPage() {
  const { tr, t, labelOptions } = useI18n();
  const { can } = useAuth();
  const { id } = useParams();
  const navigate = useNavigate();
  const [filters, setFilters] = useState<Filters>({});
  const [form] = Form.useForm();
  const fetchPage = useCallback(
    (cursor: string | undefined) => call(api.GET('/admin/v1/orders', { params: { query: { limit: 20, cursor, ...filters } } })),
    [filters],
  );
  const list = useCursorList<Order>(fetchPage);
  const [shipFor, setShipFor] = useState<string | null>(null);
  const [exporting, setExporting] = useState<number | null>(null);
  const [version, setVersion] = useState(0);

  const exportCsv = async () => {
    setExporting(5);
    const timer = setInterval(() => setExporting((p) => (p === null ? p : Math.min(90, p + 9))), 250);
    try {
      const res = await api.GET('/admin/v1/orders/export', { params: { query: filters }, parseAs: 'blob' });
      if (!res.response.ok || !res.data) throw new Error(`HTTP ${res.response.status}`);
      const url = URL.createObjectURL(res.data as Blob);
      const a = document.createElement('a');
      a.href = url;
      a.download = `orders-${new Date().toISOString().slice(0, 19).replace(/[:T]/g, '')}.csv`;
      a.click();
      setTimeout(() => URL.revokeObjectURL(url), 5000);
      setExporting(100);
      void message.success(tr('导出完成', 'Export ready'));
    } catch (e) {
      showError(e);
      setExporting(null);
    } finally {
      clearInterval(timer);
      setTimeout(() => setExporting(null), 1500);
    }
  };

  // A paid group-buy order whose team is not full cannot ship yet (the server refuses): say so instead of 待发货.
  const statusTag = (s: OrderStatus, o?: Pick<Order, 'awaitingGroup'>) =>
    s === 'paid' && o?.awaitingGroup ? <Tag color="purple">{tr('待成团', 'Team forming')}</Tag> : <CodeTag group="orderStatus" code={s} />;

  return (
    <div data-testid="orders-page">
      <PageTitle
        extra={
          <Space>
            {exporting !== null && <Progress percent={exporting} size="small" style={{ width: 160 }} data-testid="export-progress" />}
            <Button onClick={() => void exportCsv()} loading={exporting !== null && exporting < 100} data-testid="orders-export">
              {tr('导出 CSV', 'Export CSV')}
            </Button>
          </Space>
        }
      >
        {t('nav.orders')}
      </PageTitle>
      <Form
        form={form}
        layout="inline"
        style={{ marginBottom: 16, rowGap: 8 }}
        onFinish={(v: { status?: OrderStatus; orderNo?: string; range?: [Dayjs, Dayjs] }) =>
          setFilters({
            status: v.status,
            orderNo: v.orderNo?.trim() || undefined,
            createdFrom: v.range?.[0]?.startOf('day').toISOString(),
            createdTo: v.range?.[1]?.endOf('day').toISOString(),
          })
        }
      >
        <Form.Item name="orderNo" label={tr('订单号', 'Order no.')}>
          <Input allowClear data-testid="filter-order-no" />
        </Form.Item>
        <Form.Item name="status" label={t('status')}>
          <Select allowClear style={{ width: 140 }} data-testid="filter-order-status" options={labelOptions('orderStatus')} />
        </Form.Item>
        <Form.Item name="range" label={tr('下单日期', 'Date')}>
          <DatePicker.RangePicker data-testid="filter-order-date" />
        </Form.Item>
        <Form.Item>
          <Space>
            <Button type="primary" htmlType="submit" data-testid="filter-submit">
              {t('search')}
            </Button>
            <Button
              onClick={() => {
                form.resetFields();
                setFilters({});
              }}
            >
              {t('reset')}
            </Button>
          </Space>
        </Form.Item>
      </Form>
      {list.error ? <Alert type="error" message={errText(list.error)} style={{ marginBottom: 12 }} /> : null}
      <Table<Order>
        rowKey="id"
        loading={list.loading}
        dataSource={list.items}
        pagination={false}
        onRow={(r) => ({ 'data-testid': `order-row-${r.id}` }) as React.HTMLAttributes<HTMLElement>}
        columns={[
          {
            title: tr('订单号', 'Order no.'),
            dataIndex: 'orderNo',
            render: (v: string, r) => (
              <Link to={`/orders/${r.id}`} data-testid={`order-link-${r.id}`}>
                {v}
              </Link>
            ),
          },
          {
            title: tr('商品', 'Items'),
            render: (_, r) => `${r.firstLine?.title ?? ''}${r.itemCount > 1 ? tr(` 等${r.itemCount}件`, ` +${r.itemCount - 1}`) : ''}`,
          },
          { title: tr('实付', 'Payable'), dataIndex: 'payableTotal', render: formatFen },
          { title: t('status'), dataIndex: 'status', render: (s: OrderStatus, r) => statusTag(s, r) },
          { title: t('createdAt'), dataIndex: 'createdAt', render: fmtTime },
          {
            title: t('actions'),
            render: (_, r) => (
              <Space>
                <Link to={`/orders/${r.id}`}>{t('detail')}</Link>
                {can('orders.write') && r.status === 'paid' && !r.awaitingGroup && (
                  <Button size="small" type="link" onClick={() => setShipFor(r.id)} data-testid={`order-ship-${r.id}`}>
                    {tr('发货', 'Ship')}
                  </Button>
                )}
              </Space>
            ),
          },
        ]}
      />
      <Pager list={list} />
      {id && (
        <OrderDrawer
          key={`${id}-${version}`}
          orderId={id}
          onClose={() => navigate('/orders')}
          onShip={() => setShipFor(id)}
          statusTag={statusTag}
        />
      )}
      {shipFor && (
        <ShipDialog
          orderId={shipFor}
          onClose={(changed) => {
            setShipFor(null);
            if (changed) {
              void list.reload();
              setVersion((v) => v + 1);
            }
          }}
        />
      )}
    </div>
  );
}

function OrderDrawer({
  orderId,
  onClose,
  onShip,
  statusTag,
}: {
  orderId: string;
  onClose: () => void;
  onShip: () => void;
  statusTag: (s: OrderStatus, o?: Pick<Order, 'awaitingGroup'>) => React.ReactNode;
}) {
  const { tr, label } = useI18n();
  const { can } = useAuth();
  const [order, setOrder] = useState<Schemas['OrderDetail'] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [note, setNote] = useState('');
  const load = useCallback(() => {
    call(api.GET('/admin/v1/orders/{orderId}', { params: { path: { orderId } } }))
      .then(setOrder)
      .catch(setError);
  }, [orderId]);
  useEffect(load, [load]);
  return (
    <Drawer
      open
      width={720}
      title={order ? `${tr('订单', 'Order')} ${order.orderNo}` : tr('订单详情', 'Order')}
      onClose={onClose}
      data-testid="order-drawer"
      extra={
        order && order.status === 'paid' && !order.awaitingGroup && can('orders.write') ? (
          <Button type="primary" onClick={onShip} data-testid="order-ship">
            {tr('发货', 'Ship')}
          </Button>
        ) : null
      }
    >
      {error ? (
        <Alert type="error" message={errText(error)} />
      ) : !order ? (
        <Spin />
      ) : (
        <>
          <Descriptions column={2} size="small" bordered>
            <Descriptions.Item label={tr('状态', 'Status')}>
              <span data-testid="order-status">{statusTag(order.status, order)}</span>
            </Descriptions.Item>
            <Descriptions.Item label={tr('下单时间', 'Placed')}>{fmtTime(order.createdAt)}</Descriptions.Item>
            <Descriptions.Item label={tr('商品金额', 'Goods')}>{formatFen(order.goodsTotal)}</Descriptions.Item>
            <Descriptions.Item label={tr('优惠', 'Discounts')}>-{formatFen(order.discountTotal)}</Descriptions.Item>
            <Descriptions.Item label={tr('运费', 'Shipping')}>{formatFen(order.shippingFee)}</Descriptions.Item>
            <Descriptions.Item label={tr('实付', 'Payable')}>{formatFen(order.payableTotal)}</Descriptions.Item>
            <Descriptions.Item label={tr('收货人', 'Recipient')} span={2}>
              {order.address.name} {order.address.phone} · {order.address.province}
              {order.address.city}
              {order.address.district} {order.address.detail}
            </Descriptions.Item>
            <Descriptions.Item label={tr('买家留言', 'Buyer note')} span={2}>
              {order.buyerNote || '—'}
            </Descriptions.Item>
            <Descriptions.Item label={tr('商家备注', 'Seller note')} span={2}>
              {order.sellerNote || '—'}
            </Descriptions.Item>
          </Descriptions>
          <h4 style={{ marginTop: 16 }}>{tr('商品', 'Lines')}</h4>
          <Table
            size="small"
            rowKey="id"
            pagination={false}
            dataSource={order.lines}
            columns={[
              { title: tr('商品', 'Item'), render: (_, l) => `${l.title} ${l.specKey}` },
              { title: tr('单价', 'Unit'), dataIndex: 'unitPrice', render: formatFen },
              { title: tr('数量', 'Qty'), dataIndex: 'quantity' },
              { title: tr('分摊优惠', 'Discount'), dataIndex: 'discountShare', render: formatFen },
              { title: tr('实付', 'Payable'), dataIndex: 'payable', render: formatFen },
              { title: tr('已退', 'Refunded'), dataIndex: 'refundedAmount', render: formatFen },
            ]}
          />
          {order.discounts.length > 0 && (
            <>
              <h4 style={{ marginTop: 16 }}>{tr('优惠明细', 'Discounts')}</h4>
              {order.discounts.map((d, i) => (
                <div key={i}>
                  {d.label} <CodeTag group="discountSource" code={d.source} /> -{formatFen(d.amount)}
                </div>
              ))}
            </>
          )}
          <h4 style={{ marginTop: 16 }}>{tr('订单轨迹', 'Timeline')}</h4>
          <Timeline
            data-testid="order-timeline"
            items={order.timeline.map((e) => ({
              children: (
                <span>
                  {fmtTime(e.at)} · <b>{label('orderEvent', e.type)}</b>{' '}
                  {e.fromStatus
                    ? `${label('orderStatus', e.fromStatus)} → ${label('orderStatus', e.toStatus)}`
                    : e.toStatus
                      ? label('orderStatus', e.toStatus)
                      : ''}{' '}
                  {e.note} <CodeTag group="orderActor" code={e.actorType} />
                </span>
              ),
            }))}
          />
          {can('orders.write') && (
            <Space.Compact style={{ width: '100%' }}>
              <Input
                placeholder={tr('添加商家备注', 'Add a seller note')}
                value={note}
                onChange={(e) => setNote(e.target.value)}
                data-testid="order-note"
              />
              <Button
                onClick={async () => {
                  try {
                    setOrder(await call(api.POST('/admin/v1/orders/{orderId}/notes', { params: { path: { orderId } }, body: { note } })));
                    setNote('');
                  } catch (e) {
                    showError(e);
                  }
                }}
              >
                {tr('保存备注', 'Save note')}
              </Button>
            </Space.Compact>
          )}
        </>
      )}
    </Drawer>
  );
}

function ShipDialog({ orderId, onClose }: { orderId: string; onClose: (changed: boolean) => void }) {
  const { tr } = useI18n();
  const [carriers, setCarriers] = useState<Schemas['Carrier'][]>([]);
  const [form] = Form.useForm();
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    call(api.GET('/admin/v1/carriers'))
      .then((r) => setCarriers(r.items))
      .catch(showError);
  }, []);
  const submit = async () => {
    const v = await form.validateFields();
    setBusy(true);
    try {
      await call(
        api.POST('/admin/v1/orders/{orderId}/ship', {
          params: { path: { orderId } },
          body: { carrierCode: v.carrierCode, trackingNo: v.trackingNo.trim(), note: v.note || undefined },
        }),
      );
      void message.success(tr('已发货', 'Shipped'));
      onClose(true);
    } catch (e) {
      showError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal
      open
      title={tr('发货', 'Ship order')}
      onCancel={() => onClose(false)}
      onOk={() => void submit()}
      confirmLoading={busy}
      okButtonProps={{ 'data-testid': 'ship-confirm' }}
    >
      <Form form={form} layout="vertical">
        <Form.Item name="carrierCode" label={tr('快递公司', 'Carrier')} rules={[{ required: true }]}>
          <Select data-testid="ship-carrier" options={carriers.map((c) => ({ value: c.code, label: `${c.name} (${c.code})` }))} />
        </Form.Item>
        <Form.Item name="trackingNo" label={tr('运单号', 'Tracking no.')} rules={[{ required: true }]}>
          <Input data-testid="ship-tracking" />
        </Form.Item>
        <Form.Item name="note" label={tr('备注', 'Note')}>
          <Input />
        </Form.Item>
      </Form>
    </Modal>
  );
}
