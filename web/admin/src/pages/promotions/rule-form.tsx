import { useState } from 'react';
import { Button, Form, Input, InputNumber, Modal, Radio, Space, Switch, Table, message } from 'antd';
import { api, call, newIdempotencyKey, type Schemas } from '../../api';
import { useI18n } from '../../i18n';
import { MoneyInput, formatFen } from '../../ui';
import {
  CampaignSelect,
  CategoryTreeSelect,
  FormError,
  ProductSelect,
  RangeItem,
  SkuMultiPicker,
  applyApiErrors,
  iso,
  useProductSkus,
} from './shared';

type Kind = Schemas['PromotionRule']['kind'];
type Tier = { threshold?: number | null; off?: number | null; rate?: number | null };

/** Fixed prices for one product's SKUs (yuan typed, fen kept). */
function SkuPrices({ value, onChange }: { value?: Record<string, number | null>; onChange?: (v: Record<string, number | null>) => void }) {
  const { tr } = useI18n();
  const [productId, setProductId] = useState<string>();
  const { skus, loading } = useProductSkus(productId);
  const prices = value ?? {};
  const set = (id: string, fen: number | null) => onChange?.({ ...prices, [id]: fen });
  const others = Object.keys(prices).filter((id) => !skus.some((s) => s.id === id) && prices[id] !== null);
  return (
    <div data-testid="rule-prices">
      <ProductSelect
        value={productId}
        onChange={(v) => setProductId(v as string)}
        style={{ width: 360, marginBottom: 8 }}
        testId="rule-prices-product"
      />
      {productId && (
        <Table
          size="small"
          rowKey="id"
          loading={loading}
          pagination={false}
          dataSource={skus}
          columns={[
            { title: 'SKU', dataIndex: 'label' },
            { title: tr('原价', 'List price'), dataIndex: 'price', render: (p: number) => formatFen(p) },
            {
              title: tr('特价（元，留空=按折扣）', 'Fixed price (¥, empty = rate)'),
              render: (_, s) => (
                <MoneyInput
                  value={prices[s.id] ?? null}
                  onChange={(fen) => set(s.id, fen)}
                  testId={`rule-price-${s.id}`}
                  style={{ width: 140 }}
                />
              ),
            },
          ]}
        />
      )}
      {others.length > 0 && (
        <div style={{ marginTop: 4, color: '#888' }}>
          {tr('其他商品已设特价：', 'Also priced: ')}
          {others.map((id) => `${id} ${formatFen(prices[id])}`).join('，')}
        </div>
      )}
    </div>
  );
}

export function RuleFormModal({ open, onClose, onSaved }: { open: boolean; onClose: () => void; onSaved: () => void }) {
  const { tr, t, labelOptions } = useI18n();
  const [form] = Form.useForm();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const kind = Form.useWatch('kind', form) as Kind | undefined;
  const basis = (Form.useWatch('basis', form) as 'amount' | 'quantity' | undefined) ?? 'amount';
  const repeat = Form.useWatch('repeat', form) as boolean | undefined;
  const scopeType = (Form.useWatch('scopeType', form) as string | undefined) ?? 'all';

  const tiersRule = {
    validator: async (_: unknown, tiers?: Tier[]) => {
      const ts = tiers ?? [];
      if (ts.length < 1 || ts.length > 5) throw new Error(tr('需要 1–5 个阶梯', '1–5 tiers needed'));
      if (kind === 'full_reduction' && repeat && ts.length !== 1)
        throw new Error(tr('每满减只能有一个阶梯', 'Repeat needs exactly one tier'));
      for (let i = 1; i < ts.length; i++) {
        const a = ts[i - 1]!,
          b = ts[i]!;
        if ((a.threshold ?? 0) >= (b.threshold ?? 0)) throw new Error(tr('门槛须逐级递增', 'Thresholds must increase'));
        if (kind === 'full_reduction' && (a.off ?? 0) >= (b.off ?? 0))
          throw new Error(tr('减免金额须逐级递增', 'Amounts off must increase'));
        if (kind === 'full_discount' && (a.rate ?? 0) <= (b.rate ?? 0))
          throw new Error(tr('折扣须逐级加深（90→80）', 'Rates must decrease (90 → 80)'));
      }
      if (kind === 'full_reduction' && basis === 'amount')
        ts.forEach((x, i) => {
          if ((x.off ?? 0) >= (x.threshold ?? 0))
            throw new Error(tr(`第 ${i + 1} 档减免须小于门槛`, `Tier ${i + 1}: off must be below the threshold`));
        });
    },
  };

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
    const scope: Schemas['PromoScope'] = v.scopeType === 'all' ? { type: 'all' } : { type: v.scopeType, ids: v.scopeIds ?? [] };
    const base = {
      name: v.name,
      label: v.label || undefined,
      merchantId: v.merchantId?.trim() || undefined,
      scope,
      priority: v.priority ?? 0,
      startsAt: iso(v.range[0])!,
      endsAt: iso(v.range[1])!,
      campaignId: v.campaignId || undefined,
    };
    const tiers = (v.tiers ?? []) as Tier[];
    let body: Schemas['CreatePromotionRuleInput'];
    if (v.kind === 'full_reduction') {
      body = {
        ...base,
        kind: 'full_reduction',
        basis: v.basis,
        repeat: !!v.repeat,
        tiers: tiers.map((x) => ({ threshold: x.threshold!, off: x.off! })),
        cap: v.repeat ? (v.cap ?? undefined) : undefined,
      };
    } else if (v.kind === 'full_discount') {
      body = { ...base, kind: 'full_discount', basis: v.basis, tiers: tiers.map((x) => ({ threshold: x.threshold!, rate: x.rate! })) };
    } else {
      const prices = Object.fromEntries(
        Object.entries((v.prices ?? {}) as Record<string, number | null>).filter(
          (e): e is [string, number] => e[1] !== null && e[1] !== undefined,
        ),
      );
      body = { ...base, kind: 'limited_time', rate: v.rate ?? undefined, prices: Object.keys(prices).length ? prices : undefined };
    }
    setBusy(true);
    try {
      await call(api.POST('/admin/v1/promotion-rules', { params: { header: { 'idempotency-key': newIdempotencyKey() } }, body }));
      void message.success(t('saved'));
      form.resetFields();
      onSaved();
    } catch (e) {
      setError(applyApiErrors(form, e, { scope: 'scopeIds' }));
    } finally {
      setBusy(false);
    }
  };

  const thresholdInput = (i: number) =>
    basis === 'amount' ? (
      <MoneyInput style={{ width: 140 }} testId={`tier-threshold-${i}`} />
    ) : (
      <InputNumber min={1} precision={0} suffix={tr('件', 'pcs')} style={{ width: 140 }} data-testid={`tier-threshold-${i}`} />
    );
  return (
    <Modal
      open={open}
      width={820}
      title={tr('新建促销规则', 'New promotion rule')}
      onCancel={close}
      onOk={() => void submit()}
      confirmLoading={busy}
      okButtonProps={{ 'data-testid': 'rule-save' }}
      destroyOnHidden
    >
      <FormError error={error} />
      <Form
        form={form}
        layout="vertical"
        preserve={false}
        onValuesChange={(ch) => {
          if ('basis' in ch) form.setFieldValue('tiers', [{}]);
          if ('scopeType' in ch) form.setFieldValue('scopeIds', []);
          if ('tiers' in ch || 'repeat' in ch) void form.validateFields(['tiers']).catch(() => undefined);
        }}
        initialValues={{ kind: 'full_reduction', basis: 'amount', priority: 0, tiers: [{}], scopeType: 'all', repeat: false }}
      >
        <Form.Item name="kind" label={tr('类型', 'Kind')}>
          <Radio.Group
            optionType="button"
            data-testid="rule-kind"
            onChange={(e) => {
              form.setFieldValue('tiers', [{}]);
              form.setFieldValue('basis', e.target.value === 'full_discount' ? 'quantity' : 'amount');
              if (e.target.value === 'limited_time' && form.getFieldValue('scopeType') === 'all') {
                form.setFieldValue('scopeType', 'products');
                form.setFieldValue('scopeIds', []);
              }
            }}
            options={labelOptions('ruleKind')}
          />
        </Form.Item>
        <Space wrap style={{ width: '100%' }}>
          <Form.Item name="name" label={tr('名称', 'Name')} rules={[{ required: true, max: 60 }]}>
            <Input data-testid="rule-name" style={{ width: 260 }} />
          </Form.Item>
          <Form.Item name="label" label={tr('展示文案（留空自动生成）', 'Label (optional)')} rules={[{ max: 60 }]}>
            <Input style={{ width: 260 }} data-testid="rule-label" />
          </Form.Item>
        </Space>
        <RangeItem label={tr('活动时间', 'Runs')} />

        {kind !== 'limited_time' && (
          <>
            <Form.Item name="basis" label={tr('门槛按', 'Threshold by')}>
              <Radio.Group
                data-testid="rule-basis"
                options={[
                  { value: 'amount', label: tr('金额（元）', 'Amount (¥)') },
                  { value: 'quantity', label: tr('件数', 'Units') },
                ]}
              />
            </Form.Item>
            <Form.List name="tiers" rules={[tiersRule]}>
              {(fields, { add, remove }, { errors }) => (
                <div data-testid="rule-tiers" style={{ marginBottom: 16 }}>
                  {fields.map((f, i) => (
                    <Space key={f.key} align="baseline" wrap>
                      <span>{repeat ? tr('每满', 'Every') : tr('满', 'Spend')}</span>
                      <Form.Item
                        name={[f.name, 'threshold']}
                        rules={[
                          { required: true, message: tr('必填', 'required') },
                          { type: 'number', min: 1, message: tr('须大于 0', 'must be > 0') },
                        ]}
                      >
                        {thresholdInput(i)}
                      </Form.Item>
                      {kind === 'full_reduction' ? (
                        <>
                          <span>{tr('减', 'off')}</span>
                          <Form.Item
                            name={[f.name, 'off']}
                            rules={[
                              { required: true, message: tr('必填', 'required') },
                              { type: 'number', min: 1, message: tr('须大于 0', 'must be > 0') },
                            ]}
                          >
                            <MoneyInput style={{ width: 140 }} testId={`tier-off-${i}`} />
                          </Form.Item>
                        </>
                      ) : (
                        <>
                          <span>{tr('打', 'pay')}</span>
                          <Form.Item
                            name={[f.name, 'rate']}
                            rules={[{ required: true, message: tr('必填', 'required') }]}
                            extra={tr('90 = 9折', '90 = pay 90%')}
                          >
                            <InputNumber min={1} max={99} precision={0} suffix="%" style={{ width: 120 }} data-testid={`tier-rate-${i}`} />
                          </Form.Item>
                        </>
                      )}
                      {fields.length > 1 && (
                        <Button onClick={() => remove(f.name)} data-testid={`tier-remove-${i}`}>
                          {tr('删除', 'Remove')}
                        </Button>
                      )}
                    </Space>
                  ))}
                  <div>
                    <Button
                      onClick={() => add({})}
                      disabled={fields.length >= 5 || (kind === 'full_reduction' && !!repeat)}
                      data-testid="tier-add"
                    >
                      + {tr('添加阶梯', 'Add tier')}
                    </Button>
                  </div>
                  <Form.ErrorList errors={errors} />
                </div>
              )}
            </Form.List>
            {kind === 'full_reduction' && (
              <Space align="baseline" wrap>
                <Form.Item name="repeat" label={tr('每满减（上不封顶可设封顶）', 'Repeat (每满)')} valuePropName="checked">
                  <Switch
                    data-testid="rule-repeat"
                    onChange={(on) => {
                      if (on) form.setFieldValue('tiers', [form.getFieldValue(['tiers', 0]) ?? {}]);
                    }}
                  />
                </Form.Item>
                {repeat && (
                  <Form.Item name="cap" label={tr('最高减（元，可空）', 'Cap (¥, optional)')}>
                    <MoneyInput style={{ width: 160 }} testId="rule-cap" />
                  </Form.Item>
                )}
              </Space>
            )}
          </>
        )}

        {kind === 'limited_time' && (
          <>
            <Form.Item
              name="rate"
              label={tr(
                '折扣（80 = 8折，作用于范围内全部 SKU；设了特价的 SKU 用特价）',
                'Pay rate % for the scope (80 = 20% off); SKUs with a fixed price use it',
              )}
              rules={[
                {
                  validator: async (_, r?: number | null) => {
                    const p = Object.values((form.getFieldValue('prices') ?? {}) as Record<string, number | null>).some(
                      (x) => x !== null && x !== undefined,
                    );
                    if ((r === null || r === undefined) && !p)
                      throw new Error(tr('请填写折扣或至少一个 SKU 特价', 'Enter a rate or at least one SKU price'));
                  },
                },
              ]}
            >
              <InputNumber min={1} max={99} precision={0} suffix="%" data-testid="rule-rate" />
            </Form.Item>
            <Form.Item
              name="prices"
              label={tr(
                'SKU 特价（可选；SKU 须在适用范围内且低于原价）',
                'Per-SKU fixed prices (optional; SKU must be in scope and below list price)',
              )}
            >
              <SkuPrices />
            </Form.Item>
          </>
        )}

        <Form.Item name="scopeType" label={tr('适用范围', 'Applies to')}>
          <Radio.Group
            data-testid="rule-scope"
            options={labelOptions('scopeType').map((o) => ({ ...o, disabled: o.value === 'all' && kind === 'limited_time' }))}
          />
        </Form.Item>
        {scopeType !== 'all' && (
          <Form.Item
            name="scopeIds"
            rules={[{ required: true, type: 'array', min: 1, max: 100, message: tr('请选择 1–100 项', 'Pick 1–100 items') }]}
          >
            {scopeType === 'categories' ? (
              <CategoryTreeSelect />
            ) : scopeType === 'products' ? (
              <ProductSelect multiple testId="scope-products" />
            ) : (
              <SkuMultiPicker />
            )}
          </Form.Item>
        )}

        <Space wrap align="start">
          <Form.Item name="merchantId" label={tr('归属商家（留空 = 平台）', 'Merchant (empty = platform)')}>
            <Input placeholder="mch_platform" style={{ width: 220 }} data-testid="rule-merchant" />
          </Form.Item>
          <Form.Item name="priority" label={tr('优先级（高者先）', 'Priority (higher first)')}>
            <InputNumber min={-1000} max={1000} precision={0} data-testid="rule-priority" />
          </Form.Item>
          <Form.Item name="campaignId" label={tr('所属活动（可选）', 'Campaign (optional)')}>
            <CampaignSelect />
          </Form.Item>
        </Space>
      </Form>
    </Modal>
  );
}
