import { useState } from 'react';
import { Button, Form, Input, InputNumber, Modal, Select, Space, Table, message } from 'antd';
import { api, call, type Schemas } from '../../api';
import { useI18n } from '../../i18n';
import { MoneyInput, formatFen } from '../../ui';
import { CampaignSelect, FormError, ProductSelect, RangeItem, applyApiErrors, iso, useLoad, useProductSkus } from './shared';

type PrizeRow = {
  name?: string;
  kind?: 'coupon' | 'points' | 'goods' | 'none';
  couponTemplateId?: string;
  points?: number | null;
  productId?: string;
  skuId?: string;
  value?: number | null;
  weight?: number | null;
  stock?: number | null;
  imageUrl?: string;
};

function SkuSelect({
  productId,
  value,
  onChange,
  testId,
}: {
  productId?: string;
  value?: string;
  onChange?: (v?: string) => void;
  testId?: string;
}) {
  const { tr } = useI18n();
  const { skus, loading } = useProductSkus(productId);
  return (
    <Select
      allowClear
      loading={loading}
      disabled={!productId}
      value={value}
      onChange={onChange}
      style={{ width: 150 }}
      placeholder="SKU"
      data-testid={testId}
      options={skus.map((s) => ({ value: s.id, label: `${s.label} ${formatFen(s.price)}` }))}
      notFoundContent={tr('先选商品', 'Pick a product')}
    />
  );
}

export function LotteryFormModal({ open, onClose, onSaved }: { open: boolean; onClose: () => void; onSaved: () => void }) {
  const { tr, t, labelOptions } = useI18n();
  const [form] = Form.useForm();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const prizes = (Form.useWatch('prizes', form) as PrizeRow[] | undefined) ?? [];
  const coupons = useLoad(
    async () =>
      (await call(api.GET('/admin/v1/coupon-templates', { params: { query: { limit: 100, channel: 'lottery', status: 'active' } } })))
        .items,
    [open],
  );
  const totalWeight = prizes.reduce((s, p) => s + (p?.weight ?? 0), 0);

  const close = () => {
    setError(null);
    onClose();
  };
  const submit = async () => {
    setError(null);
    let v;
    try {
      v = await form.validateFields();
    } catch {
      return;
    }
    const rows = (v.prizes ?? []) as PrizeRow[];
    const body: Schemas['CreateLotteryInput'] = {
      name: v.name,
      description: v.description ?? '',
      startsAt: iso(v.range[0])!,
      endsAt: iso(v.range[1])!,
      freeDrawsPerDay: v.freeDrawsPerDay ?? 1,
      pointsPerDraw: v.pointsPerDraw ?? 0,
      maxDrawsPerUser: v.maxDrawsPerUser ?? undefined,
      budget: v.budget ?? 0,
      campaignId: v.campaignId || undefined,
      prizes: rows.map((p) => ({
        name: p.name!,
        kind: p.kind!,
        weight: p.weight ?? 0,
        couponTemplateId: p.kind === 'coupon' ? p.couponTemplateId : undefined,
        points: p.kind === 'points' ? (p.points ?? undefined) : undefined,
        skuId: p.kind === 'goods' ? p.skuId : undefined,
        value: p.kind === 'goods' || p.kind === 'coupon' ? (p.value ?? undefined) : undefined,
        stock: p.kind === 'none' ? undefined : (p.stock ?? undefined),
        imageUrl: p.imageUrl?.trim() || undefined,
      })),
    };
    setBusy(true);
    try {
      await call(api.POST('/admin/v1/lotteries', { body }));
      void message.success(t('saved'));
      form.resetFields();
      onSaved();
    } catch (e) {
      setError(applyApiErrors(form, e));
    } finally {
      setBusy(false);
    }
  };

  const req = { required: true, message: tr('必填', 'required') };
  return (
    <Modal
      open={open}
      width={1180}
      title={tr('新建抽奖', 'New lottery')}
      onCancel={close}
      onOk={() => void submit()}
      confirmLoading={busy}
      okButtonProps={{ 'data-testid': 'lottery-save' }}
      destroyOnHidden
    >
      <FormError error={error} />
      <Form
        form={form}
        layout="vertical"
        preserve={false}
        initialValues={{
          freeDrawsPerDay: 1,
          pointsPerDraw: 0,
          prizes: [
            { name: '谢谢参与', kind: 'none', weight: 80 },
            { name: '10积分', kind: 'points', points: 10, weight: 20, stock: 1000 },
          ],
        }}
      >
        <Space wrap align="start">
          <Form.Item name="name" label={tr('名称', 'Name')} rules={[{ required: true, max: 60 }]}>
            <Input style={{ width: 280 }} data-testid="lottery-name" />
          </Form.Item>
          <Form.Item name="description" label={tr('说明', 'Description')} rules={[{ max: 1000 }]}>
            <Input style={{ width: 420 }} />
          </Form.Item>
        </Space>
        <Space wrap align="start">
          <RangeItem label={tr('活动时间', 'Runs')} />
          <Form.Item name="campaignId" label={tr('所属活动（可选）', 'Campaign (optional)')}>
            <CampaignSelect />
          </Form.Item>
        </Space>
        <Space wrap align="start">
          <Form.Item name="freeDrawsPerDay" label={tr('每日免费次数', 'Free draws / day')}>
            <InputNumber min={0} max={20} precision={0} data-testid="lottery-free" />
          </Form.Item>
          <Form.Item name="pointsPerDraw" label={tr('积分/次（0 = 仅免费）', 'Points / draw (0 = free only)')}>
            <InputNumber min={0} max={1000000} precision={0} data-testid="lottery-points" />
          </Form.Item>
          <Form.Item name="maxDrawsPerUser" label={tr('每人总次数上限（可空）', 'Max draws / shopper')}>
            <InputNumber min={1} max={100000} precision={0} data-testid="lottery-max" />
          </Form.Item>
          <Form.Item name="budget" label={tr('奖品预算（元）', 'Prize budget (¥)')} rules={[req]}>
            <MoneyInput testId="lottery-budget" style={{ width: 160 }} />
          </Form.Item>
        </Space>
        <Form.List
          name="prizes"
          rules={[
            {
              validator: async (_, ps?: PrizeRow[]) => {
                if (!ps || ps.length < 1 || ps.length > 12) throw new Error(tr('需要 1–12 个奖品', '1–12 prizes needed'));
                if (!ps.some((p) => (p?.weight ?? 0) > 0))
                  throw new Error(tr('至少一个奖品权重 > 0', 'At least one prize needs weight > 0'));
              },
            },
          ]}
        >
          {(fields, { add, remove }, { errors }) => (
            <div data-testid="prize-table">
              <Table
                size="small"
                pagination={false}
                rowKey="key"
                dataSource={fields}
                scroll={{ x: 1100 }}
                columns={[
                  {
                    title: tr('奖品名', 'Name'),
                    width: 150,
                    render: (_, f) => (
                      <Form.Item style={{ margin: 0 }} name={[f.name, 'name']} rules={[req, { max: 40 }]}>
                        <Input data-testid={`prize-name-${f.name}`} />
                      </Form.Item>
                    ),
                  },
                  {
                    title: tr('类型', 'Kind'),
                    width: 120,
                    render: (_, f) => (
                      <Form.Item style={{ margin: 0 }} name={[f.name, 'kind']} rules={[req]}>
                        <Select style={{ width: 110 }} data-testid={`prize-kind-${f.name}`} options={labelOptions('prizeKind')} />
                      </Form.Item>
                    ),
                  },
                  {
                    title: tr('奖品内容 / 价值', 'Prize / value'),
                    width: 440,
                    render: (_, f) => {
                      const row = prizes[f.name] ?? {};
                      if (row.kind === 'coupon')
                        return (
                          <Space>
                            <Form.Item style={{ margin: 0 }} name={[f.name, 'couponTemplateId']} rules={[req]}>
                              <Select
                                style={{ width: 240 }}
                                loading={coupons.loading}
                                showSearch
                                optionFilterProp="label"
                                placeholder={tr('抽奖渠道的优惠券', "Coupon (channel 'lottery')")}
                                data-testid={`prize-coupon-${f.name}`}
                                options={coupons.items.map((c) => ({ value: c.id, label: `${c.name} · ${c.label}` }))}
                                notFoundContent={tr('没有含 lottery 渠道的有效券', "No active coupon with the 'lottery' channel")}
                              />
                            </Form.Item>
                            <Form.Item style={{ margin: 0 }} name={[f.name, 'value']}>
                              <MoneyInput placeholder={tr('价值（默认面额）', 'value (default face)')} style={{ width: 160 }} />
                            </Form.Item>
                          </Space>
                        );
                      if (row.kind === 'points')
                        return (
                          <Form.Item style={{ margin: 0 }} name={[f.name, 'points']} rules={[req]}>
                            <InputNumber
                              min={1}
                              max={1000000}
                              precision={0}
                              suffix={tr('积分', 'pts')}
                              data-testid={`prize-points-${f.name}`}
                            />
                          </Form.Item>
                        );
                      if (row.kind === 'goods')
                        return (
                          <Space>
                            <Form.Item style={{ margin: 0 }} name={[f.name, 'productId']} rules={[req]}>
                              <ProductSelect style={{ width: 160 }} testId={`prize-product-${f.name}`} />
                            </Form.Item>
                            <Form.Item style={{ margin: 0 }} name={[f.name, 'skuId']} rules={[req]}>
                              <SkuSelect productId={row.productId} testId={`prize-sku-${f.name}`} />
                            </Form.Item>
                            <Form.Item style={{ margin: 0 }} name={[f.name, 'value']} rules={[req]}>
                              <MoneyInput
                                placeholder={tr('价值（元）', 'value ¥')}
                                style={{ width: 110 }}
                                testId={`prize-value-${f.name}`}
                              />
                            </Form.Item>
                          </Space>
                        );
                      return <span style={{ color: '#999' }}>—</span>;
                    },
                  },
                  {
                    title: tr('权重', 'Weight'),
                    width: 130,
                    render: (_, f) => (
                      <Space size={4}>
                        <Form.Item style={{ margin: 0 }} name={[f.name, 'weight']} rules={[req]}>
                          <InputNumber min={0} max={1000000} precision={0} style={{ width: 80 }} data-testid={`prize-weight-${f.name}`} />
                        </Form.Item>
                        <span style={{ color: '#888', fontSize: 12 }}>
                          {totalWeight > 0 ? `${(((prizes[f.name]?.weight ?? 0) * 100) / totalWeight).toFixed(1)}%` : ''}
                        </span>
                      </Space>
                    ),
                  },
                  {
                    title: tr('库存', 'Stock'),
                    width: 100,
                    render: (_, f) =>
                      prizes[f.name]?.kind === 'none' ? (
                        <span style={{ color: '#999' }}>∞</span>
                      ) : (
                        <Form.Item style={{ margin: 0 }} name={[f.name, 'stock']} rules={[req]}>
                          <InputNumber min={0} max={10000000} precision={0} style={{ width: 90 }} data-testid={`prize-stock-${f.name}`} />
                        </Form.Item>
                      ),
                  },
                  {
                    title: tr('图片 URL', 'Image URL'),
                    width: 160,
                    render: (_, f) => (
                      <Form.Item
                        style={{ margin: 0 }}
                        name={[f.name, 'imageUrl']}
                        rules={[{ type: 'url', message: tr('须为 URL', 'must be a URL') }, { max: 500 }]}
                      >
                        <Input placeholder="https://…" />
                      </Form.Item>
                    ),
                  },
                  {
                    title: '',
                    width: 60,
                    render: (_, f) => (
                      <Button
                        size="small"
                        danger
                        disabled={fields.length <= 1}
                        onClick={() => remove(f.name)}
                        data-testid={`prize-remove-${f.name}`}
                      >
                        {tr('删除', 'Del')}
                      </Button>
                    ),
                  },
                ]}
              />
              <Button
                style={{ marginTop: 8 }}
                disabled={fields.length >= 12}
                onClick={() => add({ kind: 'coupon', weight: 10, stock: 100 })}
                data-testid="prize-add"
              >
                + {tr('添加奖品', 'Add prize')}
              </Button>
              <Form.ErrorList errors={errors} />
            </div>
          )}
        </Form.List>
      </Form>
    </Modal>
  );
}
