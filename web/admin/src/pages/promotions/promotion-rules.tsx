import { useCallback, useEffect, useState } from 'react';
import { Alert, Button, Card, Form, InputNumber, Switch, Table, message } from 'antd';
import { api, call, type Schemas } from '../../api';
import { useI18n } from '../../i18n';
import { CodeTag, PageTitle, Pager, errText, fmtTime, showError, useCursorList } from '../../ui';
import { RuleFormModal } from './rule-form';

type Rule = Schemas['PromotionRule'];
export default function PromotionRulesPage() {
  const { tr, t, label } = useI18n();
  const fetchPage = useCallback(
    (cursor: string | undefined) => call(api.GET('/admin/v1/promotion-rules', { params: { query: { limit: 20, cursor } } })),
    [],
  );
  const list = useCursorList<Rule>(fetchPage);
  const [creating, setCreating] = useState(false);
  const toggle = async (r: Rule) => {
    try {
      await call(
        api.PATCH('/admin/v1/promotion-rules/{ruleId}', {
          params: { path: { ruleId: r.id } },
          body: { status: r.status === 'active' ? 'disabled' : 'active' },
        }),
      );
      void list.reload();
    } catch (e) {
      showError(e);
    }
  };
  return (
    <div data-testid="promotion-rules-page">
      <PageTitle
        extra={
          <Button type="primary" onClick={() => setCreating(true)} data-testid="rule-new">
            {tr('新建规则', 'New rule')}
          </Button>
        }
      >
        {t('nav.promotion-rules')}
      </PageTitle>
      {list.error ? <Alert type="error" message={errText(list.error)} /> : null}
      <Table<Rule>
        rowKey="id"
        loading={list.loading}
        dataSource={list.items}
        pagination={false}
        columns={[
          { title: tr('名称', 'Name'), dataIndex: 'name' },
          { title: tr('文案', 'Label'), dataIndex: 'label' },
          { title: tr('类型', 'Kind'), dataIndex: 'kind', render: (k: Rule['kind']) => label('ruleKind', k) },
          { title: tr('开始', 'Starts'), dataIndex: 'startsAt', render: fmtTime },
          { title: tr('结束', 'Ends'), dataIndex: 'endsAt', render: fmtTime },
          { title: tr('状态', 'State'), dataIndex: 'state', render: (s: string) => <CodeTag group="promoState" code={s} /> },
          {
            title: t('actions'),
            render: (_, r) => (
              <Button size="small" type="link" onClick={() => void toggle(r)} data-testid={`rule-toggle-${r.id}`}>
                {r.status === 'active' ? tr('停用', 'Disable') : tr('启用', 'Enable')}
              </Button>
            ),
          },
        ]}
      />
      <Pager list={list} />
      <StackingPolicyCard />
      <RuleFormModal
        open={creating}
        onClose={() => setCreating(false)}
        onSaved={() => {
          setCreating(false);
          void list.reload();
        }}
      />
    </div>
  );
}

function StackingPolicyCard() {
  const { tr, t } = useI18n();
  const [form] = Form.useForm<Schemas['StackingPolicy']>();
  const [loaded, setLoaded] = useState(false);
  useEffect(() => {
    call(api.GET('/admin/v1/promotions/stacking-policy'))
      .then((p) => {
        form.setFieldsValue(p);
        setLoaded(true);
      })
      .catch(showError);
  }, [form]);
  const save = async () => {
    const v = await form.validateFields();
    try {
      form.setFieldsValue(await call(api.PUT('/admin/v1/promotions/stacking-policy', { body: v })));
      void message.success(t('saved'));
    } catch (e) {
      showError(e);
    }
  };
  const sw = (name: keyof Schemas['StackingPolicy'], label: string) => (
    <Form.Item name={name} label={label} valuePropName="checked">
      <Switch />
    </Form.Item>
  );
  const num = (name: keyof Schemas['StackingPolicy'], label: string) => (
    <Form.Item name={name} label={label}>
      <InputNumber min={0} max={10} precision={0} />
    </Form.Item>
  );
  return (
    <Card
      size="small"
      title={tr('叠加规则', 'Stacking policy')}
      style={{ marginTop: 56 }}
      data-testid="stacking-policy"
      extra={
        <Button type="primary" size="small" disabled={!loaded} onClick={() => void save()} data-testid="stacking-save">
          {t('save')}
        </Button>
      }
    >
      <Form form={form} layout="inline" style={{ rowGap: 8 }}>
        {sw('memberPriceOrLimitedTime', tr('会员价与限时折扣取优', 'Better of member / limited-time price'))}
        {sw('limitedTimeExcludesFullReduction', tr('特价不参与满减', 'Limited-time excludes full reduction'))}
        {sw('limitedTimeExcludesCoupons', tr('特价不可用券', 'Limited-time excludes coupons'))}
        {sw('platformWithShopCoupons', tr('平台券可与店铺券同用', 'Platform + shop coupons'))}
        {num('shopCouponsPerMerchant', tr('每店店铺券数', 'Shop coupons per merchant'))}
        {num('platformCouponsPerOrder', tr('每单平台券数', 'Platform coupons per order'))}
        {num('shippingCouponsPerOrder', tr('每单运费券数', 'Shipping coupons per order'))}
      </Form>
    </Card>
  );
}
