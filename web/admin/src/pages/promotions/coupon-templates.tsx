import { useCallback, useState } from 'react';
import { Alert, Button, Form, Input, InputNumber, Modal, Select, Space, Table, Tag, message } from 'antd';
import { api, call, type Schemas } from '../../api';
import { useI18n } from '../../i18n';
import { CodeTag, MoneyInput, PageTitle, Pager, errText, showError, useCursorList } from '../../ui';
import { IssueDialog } from './issue-dialog';
import { RangeItem, iso } from './shared';

type Coupon = Schemas['CouponTemplate'];
export default function CouponsPage() {
  const { tr, t, label, labelOptions } = useI18n();
  const fetchPage = useCallback(
    (cursor: string | undefined) => call(api.GET('/admin/v1/coupon-templates', { params: { query: { limit: 20, cursor } } })),
    [],
  );
  const list = useCursorList<Coupon>(fetchPage);
  const [creating, setCreating] = useState(false);
  const [issuing, setIssuing] = useState<Coupon | null>(null);
  const [form] = Form.useForm();
  const kind = Form.useWatch('kind', form);

  const create = async () => {
    const v = await form.validateFields();
    try {
      await call(
        api.POST('/admin/v1/coupon-templates', {
          body: {
            name: v.name,
            merchantId: v.merchantId || 'mch_platform',
            kind: v.kind,
            threshold: v.threshold ?? 0,
            amountOff: v.kind !== 'percent_off' ? (v.amountOff ?? undefined) : undefined,
            rate: v.kind === 'percent_off' ? v.rate : undefined,
            maxOff: v.kind === 'percent_off' ? (v.maxOff ?? undefined) : undefined,
            validFrom: iso(v.range?.[0]),
            validTo: iso(v.range?.[1]),
            totalQuantity: v.totalQuantity,
            perUserLimit: v.perUserLimit ?? 1,
            channels: v.channels,
            code: v.code || undefined,
          },
        }),
      );
      void message.success(t('saved'));
      setCreating(false);
      form.resetFields();
      void list.reload();
    } catch (e) {
      showError(e);
    }
  };
  const toggle = async (c: Coupon) => {
    try {
      await call(
        api.PATCH('/admin/v1/coupon-templates/{templateId}', {
          params: { path: { templateId: c.id } },
          body: { status: c.status === 'active' ? 'disabled' : 'active' },
        }),
      );
      void list.reload();
    } catch (e) {
      showError(e);
    }
  };
  return (
    <div data-testid="coupons-page">
      <PageTitle
        extra={
          <Button type="primary" onClick={() => setCreating(true)} data-testid="coupon-new">
            {tr('新建优惠券', 'New coupon')}
          </Button>
        }
      >
        {t('nav.coupons')}
      </PageTitle>
      {list.error ? <Alert type="error" message={errText(list.error)} /> : null}
      <Table<Coupon>
        rowKey="id"
        loading={list.loading}
        dataSource={list.items}
        pagination={false}
        columns={[
          { title: tr('名称', 'Name'), dataIndex: 'name' },
          { title: tr('面额', 'Terms'), dataIndex: 'label' },
          { title: tr('类型', 'Kind'), dataIndex: 'kind', render: (k: Coupon['kind']) => label('couponKind', k) },
          { title: tr('平台/店铺', 'Owner'), render: (_, c) => (c.isPlatform ? tr('平台券', 'Platform') : c.merchantId) },
          { title: tr('已发/总量', 'Issued / total'), render: (_, c) => `${c.issuedCount} / ${c.totalQuantity}` },
          { title: tr('已用', 'Used'), dataIndex: 'usedCount' },
          {
            title: tr('渠道', 'Channels'),
            dataIndex: 'channels',
            render: (cs: Coupon['channels']) => cs.map((x) => <Tag key={x}>{label('couponChannel', x)}</Tag>),
          },
          { title: t('status'), dataIndex: 'status', render: (s: string) => <CodeTag group="promoStatus" code={s} /> },
          {
            title: t('actions'),
            render: (_, c) => (
              <Space>
                <Button size="small" type="link" onClick={() => void toggle(c)} data-testid={`coupon-toggle-${c.id}`}>
                  {c.status === 'active' ? tr('停用', 'Disable') : tr('启用', 'Enable')}
                </Button>
                <Button size="small" type="link" onClick={() => setIssuing(c)} data-testid={`coupon-issue-${c.id}`}>
                  {tr('定向发放', 'Issue')}
                </Button>
              </Space>
            ),
          },
        ]}
      />
      <Pager list={list} />
      <Modal
        open={creating}
        width={640}
        title={tr('新建优惠券', 'New coupon')}
        onCancel={() => setCreating(false)}
        onOk={() => void create()}
        okButtonProps={{ 'data-testid': 'coupon-save' }}
      >
        <Form
          form={form}
          layout="vertical"
          initialValues={{ kind: 'amount_off', threshold: 0, perUserLimit: 1, channels: ['storefront'], merchantId: 'mch_platform' }}
        >
          <Form.Item name="name" label={tr('名称', 'Name')} rules={[{ required: true }]}>
            <Input data-testid="coupon-name" />
          </Form.Item>
          <Space wrap>
            <Form.Item name="kind" label={tr('类型', 'Kind')}>
              <Select style={{ width: 180 }} options={labelOptions('couponKind')} />
            </Form.Item>
            <Form.Item name="merchantId" label={tr('归属（mch_platform=平台券）', 'Owner (mch_platform = platform)')}>
              <Input />
            </Form.Item>
          </Space>
          <Space wrap>
            <Form.Item name="threshold" label={tr('使用门槛（元，0=无门槛）', 'Threshold (¥, 0 = none)')}>
              <MoneyInput testId="coupon-threshold" />
            </Form.Item>
            {kind !== 'percent_off' && (
              <Form.Item name="amountOff" label={tr('减免金额（元）', 'Amount off (¥)')} rules={[{ required: kind === 'amount_off' }]}>
                <MoneyInput testId="coupon-amount" />
              </Form.Item>
            )}
            {kind === 'percent_off' && (
              <Form.Item name="rate" label={tr('折扣（85=8.5折）', 'Pay rate % (85 = 15% off)')} rules={[{ required: true }]}>
                <InputNumber min={1} max={99} />
              </Form.Item>
            )}
            {kind === 'percent_off' && (
              <Form.Item name="maxOff" label={tr('最高减（元）', 'Max off (¥)')}>
                <MoneyInput />
              </Form.Item>
            )}
          </Space>
          <RangeItem label={tr('有效期', 'Valid')} />
          <Space wrap>
            <Form.Item name="totalQuantity" label={tr('发行总量', 'Total')} rules={[{ required: true }]}>
              <InputNumber min={1} precision={0} data-testid="coupon-total" />
            </Form.Item>
            <Form.Item name="perUserLimit" label={tr('每人限领', 'Per shopper')}>
              <InputNumber min={1} precision={0} />
            </Form.Item>
            <Form.Item name="code" label={tr('兑换码（code 渠道）', 'Redemption code')}>
              <Input />
            </Form.Item>
          </Space>
          <Form.Item name="channels" label={tr('发放渠道', 'Channels')} rules={[{ required: true }]}>
            <Select mode="multiple" options={labelOptions('couponChannel')} />
          </Form.Item>
        </Form>
      </Modal>
      {issuing && (
        <IssueDialog
          coupon={issuing}
          onClose={() => {
            setIssuing(null);
            void list.reload();
          }}
        />
      )}
    </div>
  );
}
