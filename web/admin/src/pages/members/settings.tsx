import { useEffect, useState } from 'react';
import { Alert, Button, Card, Form, InputNumber, Typography, message } from 'antd';
import { api, call, type Schemas } from '../../api';
import { useAuth } from '../../auth';
import { useI18n } from '../../i18n';
import { PageTitle, errText, fmtTime, showError } from '../../ui';

type Settings = Schemas['MemberGrowthSettings'];

/** 成长与积分获取规则: what a completed order earns, and the 保级 period. */
export default function MemberSettingsPage() {
  const { tr, t } = useI18n();
  const { can } = useAuth();
  const writable = can('members.write');
  const [form] = Form.useForm<Settings>();
  const [view, setView] = useState<Schemas['MemberGrowthSettingsView'] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [saving, setSaving] = useState(false);
  useEffect(() => {
    call(api.GET('/admin/v1/member-growth-settings'))
      .then((v) => {
        setView(v);
        form.setFieldsValue(v);
      })
      .catch(setError);
  }, [form]);
  const v = Form.useWatch([], form) as Settings | undefined;

  const save = async (values: Settings) => {
    setSaving(true);
    try {
      const saved = await call(api.PUT('/admin/v1/member-growth-settings', { body: values }));
      setView(saved);
      void message.success(t('saved'));
    } catch (e) {
      showError(e);
    } finally {
      setSaving(false);
    }
  };

  // An example order, so the operator sees what the numbers mean.
  const example = v
    ? `${tr('实付 ¥199 的订单完成后', 'A ¥199 order earns')}：${tr('成长值', 'growth')} ${199 * (v.growthPerYuan ?? 0) + (v.growthPerOrder ?? 0)}，${tr('积分', 'points')} ${199 * (v.pointsPerYuan ?? 0)} × ${tr('等级积分倍数', 'tier multiplier')}`
    : '';

  return (
    <div data-testid="member-settings-page">
      <PageTitle>{t('nav.member-settings')}</PageTitle>
      {error ? <Alert type="error" message={errText(error)} /> : null}
      <Card style={{ maxWidth: 720 }}>
        <Typography.Paragraph type="secondary">
          {tr(
            '订单确认收货且售后期结束（结算）后，按实付金额（扣除退款）发放成长值和积分，因此退款无需追回。成长值按近一个保级周期累计：达到门槛立即升级；保级日按该周期内获得的成长值复核，未达标才降级。',
            'Growth and points are earned when an order is final (received, after-sales window closed, settled), on what was paid less refunds — so refunds never claw back. Growth counts over the last review period: shoppers move up at once and are reviewed at the end of each period.',
          )}
        </Typography.Paragraph>
        <Form form={form} layout="horizontal" labelCol={{ span: 8 }} disabled={!writable} onFinish={(x) => void save(x)}>
          <Form.Item name="growthPerYuan" label={tr('每消费 ¥1 获得成长值', 'Growth per ¥1')} rules={[{ required: true }]}>
            <InputNumber min={0} max={100} precision={0} data-testid="settings-growth-per-yuan" />
          </Form.Item>
          <Form.Item name="growthPerOrder" label={tr('每笔订单额外成长值', 'Growth per order')} rules={[{ required: true }]}>
            <InputNumber min={0} max={10000} precision={0} data-testid="settings-growth-per-order" />
          </Form.Item>
          <Form.Item name="pointsPerYuan" label={tr('每消费 ¥1 获得积分', 'Points per ¥1')} rules={[{ required: true }]}>
            <InputNumber min={0} max={100} precision={0} data-testid="settings-points-per-yuan" />
          </Form.Item>
          <Form.Item name="reviewMonths" label={tr('保级周期', 'Review period')} rules={[{ required: true }]}>
            <InputNumber min={1} max={36} precision={0} addonAfter={tr('个月', 'months')} data-testid="settings-review-months" />
          </Form.Item>
          <Form.Item wrapperCol={{ offset: 8 }}>
            <Typography.Text type="secondary">{example}</Typography.Text>
          </Form.Item>
          {writable && (
            <Form.Item wrapperCol={{ offset: 8 }}>
              <Button type="primary" htmlType="submit" loading={saving} data-testid="settings-save">
                {t('save')}
              </Button>
            </Form.Item>
          )}
        </Form>
        {view?.updatedAt && (
          <Typography.Text type="secondary">
            {tr('最近修改', 'Last saved')}：{fmtTime(view.updatedAt)}
          </Typography.Text>
        )}
      </Card>
    </div>
  );
}
