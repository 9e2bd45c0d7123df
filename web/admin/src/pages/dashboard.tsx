import { useCallback, useEffect, useState } from 'react';
import { Alert, Card, Col, Row, Statistic, Table, Tag } from 'antd';
import { Link } from 'react-router-dom';
import { ApiError } from '@edgemall/client';
import { api, call, type Schemas } from '../api';
import { Chart } from '../Chart';
import { useAuth } from '../auth';
import { useI18n } from '../i18n';
import { PageTitle, errText, fenToYuanString, fmtTime, formatFen, useInterval } from '../ui';

/**
 * getDashboard (GET /admin/v1/dashboard, workers/domains/dashboard/dto.ts). Read loosely: counts may sit
 * in `today` or at the top level, refunds may be a number or {count, amount}.
 */
interface Dashboard {
  scope?: { merchantId: string | null };
  day?: string;
  today?: {
    gmv?: number;
    orders?: number;
    paidOrders?: number;
    payingShoppers?: number;
    aov?: number;
    refunds?: number | { count: number; amount: number };
    pendingShipments?: number;
    lowStockAlerts?: number;
  };
  pendingShipments?: number;
  lowStockAlerts?: number;
  series?: { day: string; gmv: number; orders: number }[];
}

export default function DashboardPage() {
  const { tr, t } = useI18n();
  const { can } = useAuth();
  const [dash, setDash] = useState<Dashboard | null>(null);
  const [dashError, setDashError] = useState<unknown>(null);
  const [alerts, setAlerts] = useState<Schemas['InventoryAlert'][]>([]);

  const load = useCallback(() => {
    call(api.GET('/admin/v1/dashboard', { params: { query: { days: 7 } } }))
      .then((d) => {
        setDash(d as Dashboard);
        setDashError(null);
      })
      .catch(setDashError);
    if (can('catalog.read'))
      call(api.GET('/admin/v1/inventory-alerts', { params: { query: { status: 'open', limit: 20 } } }))
        .then((r) => setAlerts(r.items))
        .catch(() => setAlerts([]));
  }, [can]);
  useEffect(load, [load]);
  useInterval(load, 60_000);

  const raw = dash?.today ?? {};
  const refunds = raw.refunds;
  const today = {
    gmv: raw.gmv,
    orders: raw.paidOrders ?? raw.orders,
    payingShoppers: raw.payingShoppers,
    aov: raw.aov,
    refunds: typeof refunds === 'object' && refunds ? refunds.amount : refunds,
    refundCount: typeof refunds === 'object' && refunds ? refunds.count : undefined,
    pendingShipments: dash?.pendingShipments ?? raw.pendingShipments,
    lowStockAlerts: dash?.lowStockAlerts ?? raw.lowStockAlerts,
  };
  const series = dash?.series ?? [];
  const missing = dashError instanceof ApiError && dashError.status === 404;

  return (
    <div data-testid="dashboard-page">
      <PageTitle
        extra={
          dash?.scope?.merchantId ? (
            <Tag color="purple">
              {tr('本店数据', 'Own shop')} · {dash.scope.merchantId}
            </Tag>
          ) : dash ? (
            <Tag>
              {tr('全平台', 'Whole platform')} · {dash.day}
            </Tag>
          ) : null
        }
      >
        {t('nav.dashboard')}
      </PageTitle>
      {dashError ? (
        <Alert style={{ marginBottom: 16 }} type={missing ? 'info' : 'error'} message={missing ? t('pendingRoute') : errText(dashError)} />
      ) : null}
      <Row gutter={[16, 16]}>
        {(
          [
            ['gmv', tr('今日成交额 GMV', "Today's GMV"), today.gmv, true],
            ['orders', tr('今日订单数', "Today's orders"), today.orders, false],
            ['payingShoppers', tr('付款人数', 'Paying shoppers'), today.payingShoppers, false],
            ['aov', tr('客单价', 'AOV'), today.aov, true],
            ['pendingShipments', tr('待发货', 'To ship'), today.pendingShipments, false],
            [
              'refunds',
              tr('今日退款', 'Refunds today') + (today.refundCount !== undefined ? ` (${today.refundCount})` : ''),
              today.refunds,
              true,
            ],
            ['lowStockAlerts', tr('库存预警', 'Low-stock alerts'), today.lowStockAlerts ?? alerts.length, false],
          ] as const
        ).map(([key, label, value, money]) => (
          <Col key={key} xs={12} md={8} xl={6}>
            <Card size="small" data-testid={`stat-${key}`}>
              <Statistic title={label} value={value === undefined ? '—' : money ? formatFen(value) : value} />
            </Card>
          </Col>
        ))}
      </Row>
      <Card size="small" title={tr('近 7 日趋势', 'Last 7 days')} style={{ marginTop: 16 }} data-testid="dashboard-chart">
        {series.length ? (
          <Chart
            style={{ height: 320 }}
            option={{
              tooltip: { trigger: 'axis' },
              legend: { data: [tr('成交额(元)', 'GMV (¥)'), tr('订单数', 'Orders')] },
              grid: { left: 48, right: 48, bottom: 32, top: 40 },
              xAxis: { type: 'category', data: series.map((s) => s.day) },
              yAxis: [
                { type: 'value', name: '¥' },
                { type: 'value', name: tr('单', 'orders'), minInterval: 1 },
              ],
              series: [
                { name: tr('成交额(元)', 'GMV (¥)'), type: 'bar', data: series.map((s) => Number(fenToYuanString(s.gmv))) },
                { name: tr('订单数', 'Orders'), type: 'line', yAxisIndex: 1, smooth: true, data: series.map((s) => s.orders) },
              ],
            }}
          />
        ) : (
          <div style={{ color: '#999', padding: 24, textAlign: 'center' }}>{tr('暂无数据', 'No data yet')}</div>
        )}
      </Card>
      {can('catalog.read') && (
        <Card size="small" title={tr('库存预警', 'Low-stock alerts')} style={{ marginTop: 16 }} data-testid="low-stock-alerts">
          <Table<Schemas['InventoryAlert']>
            size="small"
            rowKey="id"
            pagination={false}
            dataSource={alerts}
            columns={[
              { title: tr('商品', 'Product'), render: (_, a) => <Link to={`/products/${a.productId}`}>{a.productTitle}</Link> },
              { title: tr('规格', 'Spec'), dataIndex: 'specKey' },
              {
                title: tr('当前库存', 'Stock'),
                dataIndex: 'currentStock',
                render: (v: number, a) => (
                  <Tag color={v <= 0 ? 'red' : 'orange'}>
                    {v} / {a.threshold}
                  </Tag>
                ),
              },
              { title: tr('预警时间', 'Raised'), dataIndex: 'createdAt', render: fmtTime },
            ]}
          />
        </Card>
      )}
    </div>
  );
}
