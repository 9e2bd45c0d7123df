import { useCallback, useState } from 'react';
import { Alert, Button, Form, InputNumber, Modal, Select, Table, message } from 'antd';
import { api, call, type Schemas } from '../api';
import { useI18n } from '../i18n';
import { CodeTag, PageTitle, Pager, errText, fmtTime, formatBps, showError, useCursorList } from '../ui';

type Merchant = Schemas['Merchant'];

export default function MerchantsPage() {
  const { tr, t, labelOptions } = useI18n();
  const [status, setStatus] = useState<string | undefined>();
  const fetchPage = useCallback(
    (cursor: string | undefined) =>
      call(api.GET('/admin/v1/merchants', { params: { query: { limit: 20, cursor, status: status as Merchant['status'] | undefined } } })),
    [status],
  );
  const list = useCursorList<Merchant>(fetchPage);
  const [editing, setEditing] = useState<Merchant | null>(null);
  const [form] = Form.useForm();
  const save = async () => {
    const v = await form.validateFields();
    try {
      await call(
        api.PATCH('/admin/v1/merchants/{merchantId}', {
          params: { path: { merchantId: editing!.id } },
          body: { status: v.status, commissionBps: v.commissionBps },
        }),
      );
      setEditing(null);
      void message.success(t('saved'));
      void list.reload();
    } catch (e) {
      showError(e);
    }
  };
  return (
    <div data-testid="merchants-page">
      <PageTitle
        extra={
          <Select
            allowClear
            placeholder={t('status')}
            style={{ width: 140 }}
            value={status}
            onChange={setStatus}
            options={labelOptions('merchantStatus')}
          />
        }
      >
        {t('nav.merchants')}
      </PageTitle>
      {list.error ? <Alert type="error" message={errText(list.error)} style={{ marginBottom: 12 }} /> : null}
      <Table<Merchant>
        rowKey="id"
        loading={list.loading}
        dataSource={list.items}
        pagination={false}
        onRow={(r) => ({ 'data-testid': `merchant-row-${r.id}` }) as React.HTMLAttributes<HTMLElement>}
        columns={[
          { title: 'ID', dataIndex: 'id' },
          { title: tr('商家名称', 'Name'), dataIndex: 'name' },
          { title: tr('佣金', 'Commission'), dataIndex: 'commissionBps', render: formatBps },
          { title: t('status'), dataIndex: 'status', render: (s: Merchant['status']) => <CodeTag group="merchantStatus" code={s} /> },
          { title: t('createdAt'), dataIndex: 'createdAt', render: fmtTime },
          {
            title: t('actions'),
            render: (_, m) => (
              <Button
                size="small"
                type="link"
                data-testid={`merchant-edit-${m.id}`}
                onClick={() => {
                  setEditing(m);
                  form.setFieldsValue({ status: m.status, commissionBps: m.commissionBps });
                }}
              >
                {t('edit')}
              </Button>
            ),
          },
        ]}
      />
      <Pager list={list} />
      <Modal
        open={!!editing}
        title={`${t('edit')} · ${editing?.name ?? ''}`}
        onCancel={() => setEditing(null)}
        onOk={() => void save()}
        okButtonProps={{ 'data-testid': 'merchant-save' }}
      >
        <Form form={form} layout="vertical">
          <Form.Item name="status" label={t('status')}>
            <Select options={labelOptions('merchantStatus')} />
          </Form.Item>
          <Form.Item name="commissionBps" label={tr('佣金（基点，800 = 8%）', 'Commission (bps, 800 = 8%)')}>
            <InputNumber min={0} max={5000} precision={0} data-testid="merchant-commission" />
          </Form.Item>
        </Form>
      </Modal>
    </div>
  );
}
