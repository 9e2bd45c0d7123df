import { useCallback, useEffect, useState } from 'react';
import { Alert, Button, Form, Input, Modal, Select, Space, Switch, Table, Tag } from 'antd';
import { api, call, type Schemas } from '../../api';
import { useI18n } from '../../i18n';
import { PageTitle, errText, fmtTime, showError } from '../../ui';
import { CannedRepliesEditor } from './canned-replies';

type Faq = Schemas['SupportFaq'];

/** FAQ editor: the knowledge base the 7×24 auto-reply answers from. */
export default function SupportFaqsPage() {
  const { t, tr } = useI18n();
  const [items, setItems] = useState<Faq[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [editing, setEditing] = useState<Faq | 'new' | null>(null);
  const [form] = Form.useForm<{ question: string; answer: string; keywords: string[] }>();

  const load = useCallback(async () => {
    try {
      setItems((await call(api.GET('/admin/v1/support/faqs'))).items);
      setError(null);
    } catch (e) {
      setError(e);
    }
  }, []);
  useEffect(() => void load(), [load]);

  const save = async () => {
    const v = await form.validateFields();
    try {
      if (editing === 'new') await call(api.POST('/admin/v1/support/faqs', { body: { ...v, keywords: v.keywords ?? [], enabled: true } }));
      else if (editing) await call(api.PATCH('/admin/v1/support/faqs/{faqId}', { params: { path: { faqId: editing.id } }, body: v }));
      setEditing(null);
      await load();
    } catch (e) {
      showError(e);
    }
  };

  const toggle = async (f: Faq, enabled: boolean) => {
    try {
      await call(api.PATCH('/admin/v1/support/faqs/{faqId}', { params: { path: { faqId: f.id } }, body: { enabled } }));
      await load();
    } catch (e) {
      showError(e);
    }
  };

  return (
    <div data-testid="support-faqs-page">
      <PageTitle>{t('nav.support-faqs')}</PageTitle>
      <Space style={{ marginBottom: 12 }}>
        <Button
          type="primary"
          onClick={() => {
            form.resetFields();
            setEditing('new');
          }}
          data-testid="faq-new"
        >
          {tr('新建问答', 'New FAQ')}
        </Button>
      </Space>
      {error ? <Alert type="error" message={errText(error)} style={{ marginBottom: 12 }} /> : null}
      <Table<Faq>
        rowKey="id"
        dataSource={items}
        pagination={false}
        columns={[
          { title: tr('问题', 'Question'), dataIndex: 'question' },
          { title: tr('答案', 'Answer'), dataIndex: 'answer', ellipsis: true },
          { title: tr('关键词', 'Keywords'), dataIndex: 'keywords', render: (k: string[]) => k.map((x) => <Tag key={x}>{x}</Tag>) },
          {
            title: tr('启用', 'Enabled'),
            dataIndex: 'enabled',
            render: (v: boolean, r: Faq) => <Switch checked={v} onChange={(on) => void toggle(r, on)} />,
          },
          { title: tr('更新时间', 'Updated'), dataIndex: 'updatedAt', render: fmtTime },
          {
            title: '',
            key: 'edit',
            render: (_: unknown, r: Faq) => (
              <a
                onClick={() => {
                  form.setFieldsValue({ question: r.question, answer: r.answer, keywords: r.keywords });
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
        title={editing === 'new' ? tr('新建问答', 'New FAQ') : tr('编辑问答', 'Edit FAQ')}
        onOk={() => void save()}
        onCancel={() => setEditing(null)}
        destroyOnHidden
      >
        <Form form={form} layout="vertical">
          <Form.Item name="question" label={tr('问题', 'Question')} rules={[{ required: true, min: 2, max: 200 }]}>
            <Input data-testid="faq-question" />
          </Form.Item>
          <Form.Item name="answer" label={tr('答案', 'Answer')} rules={[{ required: true, max: 2000 }]}>
            <Input.TextArea rows={4} data-testid="faq-answer" />
          </Form.Item>
          <Form.Item name="keywords" label={tr('关键词（顾客的其他说法）', 'Keywords (other ways shoppers ask)')}>
            <Select mode="tags" tokenSeparators={[',', '，']} />
          </Form.Item>
        </Form>
      </Modal>
      <CannedRepliesEditor />
    </div>
  );
}
