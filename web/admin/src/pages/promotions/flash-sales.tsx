import { useState } from 'react';
import { Alert, Button, Form, Input, InputNumber, Modal, Space, Switch, Table } from 'antd';
import { api, call, type Schemas } from '../../api';
import { useI18n } from '../../i18n';
import { CodeTag, MoneyInput, PageTitle, errText, fmtTime, formatFen, showError } from '../../ui';
import { RangeItem, StateFilter, iso, useLiveList, type LiveState } from './shared';

type FlashSale = Schemas['FlashSale'];
const fetchSales = (state?: LiveState) => call(api.GET('/admin/v1/flash-sales', { params: { query: { limit: 100, state } } }));

export default function FlashSalesPage() {
  const { tr, t } = useI18n();
  const { items, error, state, setState, reload } = useLiveList<FlashSale>(fetchSales);
  const [creating, setCreating] = useState(false);
  const [form] = Form.useForm();
  const create = async () => {
    const v = await form.validateFields();
    try {
      await call(
        api.POST('/admin/v1/flash-sales', {
          body: {
            skuId: v.skuId.trim(),
            salePrice: v.salePrice,
            allocated: v.allocated,
            perShopperLimit: v.perShopperLimit ?? 1,
            startsAt: iso(v.range[0]),
            endsAt: iso(v.range[1]),
            reservationTtlSeconds: 900,
            requireToken: !!v.requireToken,
            buckets: v.buckets ?? 1,
          },
        }),
      );
      setCreating(false);
      reload();
    } catch (e) {
      showError(e);
    }
  };
  const reconcile = async (s: FlashSale) => {
    try {
      const r = await call(api.POST('/admin/v1/flash-sales/{saleId}/reconcile', { params: { path: { saleId: s.id } } }));
      Modal.info({ title: tr('对账结果', 'Reconciliation'), content: <pre style={{ fontSize: 12 }}>{JSON.stringify(r, null, 2)}</pre> });
    } catch (e) {
      showError(e);
    }
  };
  return (
    <div data-testid="flash-sales-page">
      <PageTitle
        extra={
          <Button type="primary" onClick={() => setCreating(true)} data-testid="flash-new">
            {tr('新建秒杀', 'New flash sale')}
          </Button>
        }
      >
        {t('nav.flash-sales')}
      </PageTitle>
      <StateFilter value={state} onChange={setState} />
      {error ? <Alert type="error" message={errText(error)} /> : null}
      <Table<FlashSale>
        rowKey="id"
        dataSource={items}
        pagination={{ pageSize: 20 }}
        onRow={(r) => ({ 'data-testid': `flash-row-${r.id}` }) as React.HTMLAttributes<HTMLElement>}
        columns={[
          { title: tr('商品', 'Product'), render: (_, s) => `${s.title} ${s.roundLabel}` },
          { title: tr('秒杀价', 'Sale price'), dataIndex: 'salePrice', render: formatFen },
          { title: tr('原价', 'List price'), dataIndex: 'originalPrice', render: formatFen },
          {
            title: tr('剩余/投放', 'Left / allocated'),
            render: (_, s) => (
              <b data-testid={`flash-remaining-${s.id}`}>
                {s.remaining ?? '—'} / {s.allocated}
              </b>
            ),
          },
          { title: tr('限购', 'Limit'), dataIndex: 'perShopperLimit' },
          { title: tr('分桶', 'Buckets'), dataIndex: 'buckets' },
          { title: tr('时间', 'Runs'), render: (_, s) => `${fmtTime(s.startsAt)} ~ ${fmtTime(s.endsAt)}` },
          { title: tr('状态', 'State'), dataIndex: 'state', render: (s: string) => <CodeTag group="promoState" code={s} /> },
          {
            title: t('actions'),
            render: (_, s) => (
              <Button size="small" type="link" onClick={() => void reconcile(s)}>
                {tr('对账', 'Reconcile')}
              </Button>
            ),
          },
        ]}
      />
      <Modal
        open={creating}
        title={tr('新建秒杀', 'New flash sale')}
        onCancel={() => setCreating(false)}
        onOk={() => void create()}
        okButtonProps={{ 'data-testid': 'flash-save' }}
      >
        <Form form={form} layout="vertical" initialValues={{ perShopperLimit: 1, buckets: 1 }}>
          <Form.Item name="skuId" label="SKU ID" rules={[{ required: true }]}>
            <Input data-testid="flash-sku" />
          </Form.Item>
          <Space>
            <Form.Item name="salePrice" label={tr('秒杀价（元）', 'Sale price (¥)')} rules={[{ required: true }]}>
              <MoneyInput testId="flash-price" />
            </Form.Item>
            <Form.Item name="allocated" label={tr('投放数量', 'Units')} rules={[{ required: true }]}>
              <InputNumber min={1} precision={0} data-testid="flash-allocated" />
            </Form.Item>
            <Form.Item name="perShopperLimit" label={tr('每人限购', 'Per shopper')}>
              <InputNumber min={1} precision={0} />
            </Form.Item>
          </Space>
          <RangeItem label={tr('时间', 'Runs')} />
          <Form.Item name="requireToken" label={tr('防刷令牌', 'Anti-bot token')} valuePropName="checked">
            <Switch />
          </Form.Item>
          <Form.Item
            name="buckets"
            label={tr('分桶数（高并发）', 'Buckets (high traffic)')}
            extra={tr(
              '一个分桶每秒约能处理 1000 次抢购。按「首秒预计点击数 ÷ 1250」向上取整，最多 16；普通活动保持 1。创建后不可修改。',
              'One bucket decides about 1,000 taps a second. Use expected taps in the first second ÷ 1,250, rounded up, at most 16; keep 1 for ordinary sales. Fixed once created.',
            )}
            dependencies={['allocated']}
            rules={[
              ({ getFieldValue }) => ({
                validator: (_, v?: number) =>
                  !v || !getFieldValue('allocated') || v <= getFieldValue('allocated')
                    ? Promise.resolve()
                    : Promise.reject(new Error(tr('不能多于投放数量', 'Must not exceed the units'))),
              }),
            ]}
          >
            <InputNumber min={1} max={16} precision={0} data-testid="flash-buckets" />
          </Form.Item>
        </Form>
      </Modal>
    </div>
  );
}
