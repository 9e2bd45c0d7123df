import { useState } from 'react';
import { Alert, Button, Form, Input, InputNumber, Modal, Space, Switch, Table } from 'antd';
import { api, call, type Schemas } from '../../api';
import { useI18n } from '../../i18n';
import { CodeTag, MoneyInput, PageTitle, errText, fmtTime, formatFen, showError } from '../../ui';
import { RangeItem, StateFilter, iso, useLiveList, type LiveState } from './shared';

type GroupBuy = Schemas['GroupBuy'];
const fetchDeals = (state?: LiveState) => call(api.GET('/admin/v1/group-buys', { params: { query: { limit: 100, state } } }));

export default function GroupBuysPage() {
  const { tr, t } = useI18n();
  const { items, error, state, setState, reload } = useLiveList<GroupBuy>(fetchDeals);
  const [creating, setCreating] = useState(false);
  const [form] = Form.useForm();
  const create = async () => {
    const v = await form.validateFields();
    try {
      await call(
        api.POST('/admin/v1/group-buys', {
          body: {
            skuId: v.skuId.trim(),
            groupPrice: v.groupPrice,
            leaderPrice: v.leaderPrice ?? undefined,
            groupSize: v.groupSize,
            timeLimitMinutes: v.timeLimitMinutes ?? 1440,
            paymentMinutes: 15,
            allocated: v.allocated,
            perShopperLimit: v.perShopperLimit ?? 1,
            autoFill: !!v.autoFill,
            startsAt: iso(v.range[0])!,
            endsAt: iso(v.range[1])!,
          },
        }),
      );
      setCreating(false);
      reload();
    } catch (e) {
      showError(e);
    }
  };
  return (
    <div data-testid="group-buys-page">
      <PageTitle
        extra={
          <Button type="primary" onClick={() => setCreating(true)} data-testid="groupbuy-new">
            {tr('新建拼团', 'New group buy')}
          </Button>
        }
      >
        {t('nav.group-buys')}
      </PageTitle>
      <StateFilter value={state} onChange={setState} />
      {error ? <Alert type="error" message={errText(error)} /> : null}
      <Table<GroupBuy>
        rowKey="id"
        dataSource={items}
        pagination={{ pageSize: 20 }}
        onRow={(r) => ({ 'data-testid': `groupbuy-row-${r.id}` }) as React.HTMLAttributes<HTMLElement>}
        columns={[
          { title: tr('商品', 'Product'), dataIndex: 'title' },
          { title: tr('拼团价', 'Group price'), dataIndex: 'groupPrice', render: formatFen },
          { title: tr('团长价', 'Leader price'), dataIndex: 'leaderPrice', render: formatFen },
          { title: tr('成团人数', 'Team size'), dataIndex: 'groupSize' },
          {
            title: tr('剩余/投放', 'Left / allocated'),
            render: (_, g) => (
              <b data-testid={`groupbuy-remaining-${g.id}`}>
                {g.remaining ?? '—'} / {g.allocated}
              </b>
            ),
          },
          {
            title: tr('团（组团中/成功/失败）', 'Teams (forming/ok/failed)'),
            render: (_, g) => (g.teams ? `${g.teams.forming + g.teams.open} / ${g.teams.succeeded} / ${g.teams.failed}` : '—'),
          },
          { title: tr('时间', 'Runs'), render: (_, g) => `${fmtTime(g.startsAt)} ~ ${fmtTime(g.endsAt)}` },
          { title: tr('状态', 'State'), dataIndex: 'state', render: (s: string) => <CodeTag group="promoState" code={s} /> },
        ]}
      />
      <Modal
        open={creating}
        title={tr('新建拼团', 'New group buy')}
        onCancel={() => setCreating(false)}
        onOk={() => void create()}
        okButtonProps={{ 'data-testid': 'groupbuy-save' }}
      >
        <Form form={form} layout="vertical" initialValues={{ perShopperLimit: 1, groupSize: 3, timeLimitMinutes: 1440 }}>
          <Form.Item name="skuId" label="SKU ID" rules={[{ required: true }]}>
            <Input data-testid="groupbuy-sku" />
          </Form.Item>
          <Space wrap>
            <Form.Item name="groupPrice" label={tr('拼团价（元）', 'Group price (¥)')} rules={[{ required: true }]}>
              <MoneyInput />
            </Form.Item>
            <Form.Item name="leaderPrice" label={tr('团长价（元）', 'Leader price (¥)')}>
              <MoneyInput />
            </Form.Item>
            <Form.Item name="groupSize" label={tr('成团人数', 'Team size')} rules={[{ required: true }]}>
              <InputNumber min={2} precision={0} />
            </Form.Item>
            <Form.Item name="allocated" label={tr('投放数量', 'Units')} rules={[{ required: true }]}>
              <InputNumber min={1} precision={0} />
            </Form.Item>
            <Form.Item name="timeLimitMinutes" label={tr('成团时限（分钟）', 'Time limit (min)')}>
              <InputNumber min={1} precision={0} />
            </Form.Item>
          </Space>
          <RangeItem label={tr('时间', 'Runs')} />
          <Form.Item name="autoFill" label={tr('模拟成团', 'Auto-fill')} valuePropName="checked">
            <Switch />
          </Form.Item>
        </Form>
      </Modal>
    </div>
  );
}
