import { useCallback, useEffect, useState } from 'react';
import { Alert, Button, Form, Input, Modal, Switch, Table } from 'antd';
import { api, call, type Schemas } from '../../api';
import { useI18n } from '../../i18n';
import { errText, fmtTime, showError } from '../../ui';

type Canned = Schemas['SupportCannedReply'];

/** 快捷回复 editor, shown under the FAQ editor: texts agents insert into a reply. */
export function CannedRepliesEditor() {
  const { tr } = useI18n();
  const [items, setItems] = useState<Canned[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [editing, setEditing] = useState<Canned | 'new' | null>(null);
  const [form] = Form.useForm<{ title: string; body: string }>();

  const load = useCallback(async () => {
    try {
      setItems((await call(api.GET('/admin/v1/support/canned-replies'))).items);
      setError(null);
    } catch (e) {
      setError(e);
    }
  }, []);
  useEffect(() => void load(), [load]);

  const save = async () => {
    const v = await form.validateFields();
    try {
      if (editing === 'new') await call(api.POST('/admin/v1/support/canned-replies', { body: { ...v, enabled: true } }));
      else if (editing)
        await call(
          api.PATCH('/admin/v1/support/canned-replies/{cannedReplyId}', { params: { path: { cannedReplyId: editing.id } }, body: v }),
        );
      setEditing(null);
      await load();
    } catch (e) {
      showError(e);
    }
  };

  const toggle = async (c: Canned, enabled: boolean) => {
    try {
      await call(
        api.PATCH('/admin/v1/support/canned-replies/{cannedReplyId}', { params: { path: { cannedReplyId: c.id } }, body: { enabled } }),
      );
      await load();
    } catch (e) {
      showError(e);
    }
  };

  return (
    <div data-testid="canned-replies">
      <h3 style={{ marginTop: 32 }}>{tr('快捷回复', 'Canned replies')}</h3>
      <Button
        style={{ marginBottom: 12 }}
        onClick={() => {
          form.resetFields();
          setEditing('new');
        }}
        data-testid="canned-new"
      >
        {tr('新建快捷回复', 'New canned reply')}
      </Button>
      {error ? <Alert type="error" message={errText(error)} style={{ marginBottom: 12 }} /> : null}
      <Table<Canned>
        rowKey="id"
        dataSource={items}
        pagination={false}
        columns={[
          { title: tr('标题', 'Title'), dataIndex: 'title' },
          { title: tr('内容', 'Text'), dataIndex: 'body', ellipsis: true },
          {
            title: tr('启用', 'Enabled'),
            dataIndex: 'enabled',
            render: (v: boolean, r: Canned) => <Switch checked={v} onChange={(on) => void toggle(r, on)} />,
          },
          { title: tr('更新时间', 'Updated'), dataIndex: 'updatedAt', render: fmtTime },
          {
            title: '',
            key: 'edit',
            render: (_: unknown, r: Canned) => (
              <a
                onClick={() => {
                  form.setFieldsValue({ title: r.title, body: r.body });
                  setEditing(r);
                }}
              >
                {tr('编辑', 'Edit')}
              </a>
            ),
          },
        ]}
      />
      <Modal
        open={editing !== null}
        title={tr('快捷回复', 'Canned reply')}
        onOk={() => void save()}
        onCancel={() => setEditing(null)}
        destroyOnHidden
      >
        <Form form={form} layout="vertical">
          <Form.Item name="title" label={tr('标题', 'Title')} rules={[{ required: true, max: 40 }]}>
            <Input />
          </Form.Item>
          <Form.Item name="body" label={tr('内容', 'Text')} rules={[{ required: true, max: 2000 }]}>
            <Input.TextArea rows={4} />
          </Form.Item>
        </Form>
      </Modal>
    </div>
  );
}
