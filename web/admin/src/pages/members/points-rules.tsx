import { useEffect, useState } from 'react';
import { Alert, Button, Card, Descriptions, Form, InputNumber, Switch, Table, message } from 'antd';
import { api, call, type Schemas } from '../../api';
import { useI18n } from '../../i18n';
import { PageTitle, errText, fmtTime, showError } from '../../ui';

type Rules = Schemas['PointsRulesWithRuns'];
type RulesInput = Schemas['UpdatePointsRulesInput'];

/** 积分规则: redemption rate, cap, minimum, expiry horizon and on/off; the last expiry runs below. */
export default function PointsRulesPage() {
  const { tr, t } = useI18n();
  const [form] = Form.useForm<RulesInput>();
  const [rules, setRules] = useState<Rules | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [saving, setSaving] = useState(false);
  const load = () =>
    call(api.GET('/admin/v1/points-rules'))
      .then((r) => {
        setRules(r);
        form.setFieldsValue(r);
        setError(null);
      })
      .catch(setError);
  useEffect(() => {
    void load();
  }, []); // eslint-disable-line react-hooks/exhaustive-deps

  const save = async () => {
    const v = await form.validateFields();
    setSaving(true);
    try {
      await call(api.PUT('/admin/v1/points-rules', { body: v }));
      void message.success(t('saved'));
      await load();
    } catch (e) {
      showError(e);
    } finally {
      setSaving(false);
    }
  };
  const per = Form.useWatch('pointsPerYuan', form) ?? rules?.pointsPerYuan ?? 100;
  const share = Form.useWatch('maxSharePercent', form) ?? rules?.maxSharePercent ?? 50;
  const months = Form.useWatch('expiryMonths', form) ?? rules?.expiryMonths ?? 12;

  return (
    <div data-testid="points-rules-page">
      <PageTitle>{tr('积分规则', 'Points rules')}</PageTitle>
      {error ? <Alert type="error" message={errText(error)} style={{ marginBottom: 16 }} /> : null}
      <Card
        size="small"
        title={tr('积分抵现', 'Spending points at checkout')}
        extra={
          <Button type="primary" loading={saving} disabled={!rules} onClick={() => void save()} data-testid="points-rules-save">
            {t('save')}
          </Button>
        }
      >
        <Form form={form} layout="horizontal" labelCol={{ span: 6 }} wrapperCol={{ span: 12 }} style={{ maxWidth: 760 }}>
          <Form.Item name="enabled" label={tr('允许下单抵现', 'Allow at checkout')} valuePropName="checked">
            <Switch data-testid="points-rules-enabled" />
          </Form.Item>
          <Form.Item
            name="pointsPerYuan"
            label={tr('抵现比例', 'Rate')}
            extra={tr(`${per} 积分 = ¥1`, `${per} points = ¥1`)}
            rules={[{ required: true, type: 'integer', min: 1, max: 100000, message: tr('1–100000 的整数', 'a whole number 1–100000') }]}
          >
            <InputNumber min={1} max={100000} precision={0} addonAfter={tr('积分 = ¥1', 'points = ¥1')} data-testid="points-rules-rate" />
          </Form.Item>
          <Form.Item
            name="maxSharePercent"
            label={tr('抵扣上限', 'Cap')}
            extra={tr(`每单最多抵扣优惠后商品金额的 ${share}%`, `at most ${share}% of the goods after discounts`)}
            rules={[{ required: true, type: 'integer', min: 1, max: 100, message: tr('1–100 的整数', 'a whole number 1–100') }]}
          >
            <InputNumber min={1} max={100} precision={0} addonAfter="%" data-testid="points-rules-cap" />
          </Form.Item>
          <Form.Item
            name="minPoints"
            label={tr('起用积分', 'Minimum')}
            extra={tr('积分达到此数才可使用，且每次至少使用此数', 'usable from this balance on, and at least this many at once')}
            rules={[{ required: true, type: 'integer', min: 0, max: 10000000, message: tr('0 或正整数', '0 or a whole number') }]}
          >
            <InputNumber min={0} max={10000000} precision={0} addonAfter={tr('积分', 'points')} data-testid="points-rules-min" />
          </Form.Item>
          <Form.Item
            name="expiryMonths"
            label={tr('有效期', 'Expiry')}
            extra={
              months > 0
                ? tr(
                    `获得积分当月起，第 ${months} 个月的月底过期（先获得的先使用、先过期）`,
                    `points expire at the end of the ${months}th month after the month they were earned (oldest first)`,
                  )
                : tr('永不过期', 'never expire')
            }
            rules={[{ required: true, type: 'integer', min: 0, max: 120, message: tr('0–120 的整数', 'a whole number 0–120') }]}
          >
            <InputNumber
              min={0}
              max={120}
              precision={0}
              addonAfter={tr('个月（0 为永久）', 'months (0 = never)')}
              data-testid="points-rules-expiry"
            />
          </Form.Item>
        </Form>
        {rules && (
          <Descriptions size="small" column={1}>
            <Descriptions.Item label={tr('最后修改', 'Last saved')}>
              {rules.updatedAt ? fmtTime(rules.updatedAt) : tr('默认规则（未修改）', 'defaults')}
            </Descriptions.Item>
          </Descriptions>
        )}
      </Card>
      <Card size="small" title={tr('过期记录', 'Expiry runs')} style={{ marginTop: 16 }}>
        <Table
          rowKey="date"
          size="small"
          pagination={false}
          dataSource={rules?.expiryRuns ?? []}
          columns={[
            { title: tr('过期日', 'Expired at'), dataIndex: 'date' },
            { title: tr('涉及会员', 'Shoppers'), dataIndex: 'shoppers' },
            { title: tr('过期积分', 'Points'), dataIndex: 'points' },
            { title: tr('执行时间', 'Ran at'), dataIndex: 'finishedAt', render: fmtTime },
          ]}
        />
      </Card>
    </div>
  );
}
