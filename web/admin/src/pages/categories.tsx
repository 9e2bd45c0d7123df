import { useMemo, useState } from 'react';
import { Button, Form, Input, InputNumber, Modal, Popconfirm, Select, Space, Switch, Table, Tag, message } from 'antd';
import { api, call, type Schemas } from '../api';
import { useI18n } from '../i18n';
import { PageTitle, showError } from '../ui';
import { useCategories } from './products';
import { RequiredFactsModal } from './compliance/required-facts';

type Cat = Schemas['Category'];
type Node = Cat & { children?: Node[] };

export default function CategoriesPage() {
  const { tr, t } = useI18n();
  const { cats, reload } = useCategories();
  const [editing, setEditing] = useState<Partial<Cat> | null>(null);
  const [factsOf, setFactsOf] = useState<Cat | null>(null);
  const [form] = Form.useForm();
  const tree = useMemo(() => {
    const nodes = new Map<string, Node>(cats.map((c) => [c.id, { ...c }]));
    const roots: Node[] = [];
    for (const n of [...nodes.values()].sort((a, b) => a.sortOrder - b.sortOrder)) {
      const p = n.parentId ? nodes.get(n.parentId) : undefined;
      if (p) (p.children ??= []).push(n);
      else roots.push(n);
    }
    return roots;
  }, [cats]);

  const open = (c: Partial<Cat>) => {
    setEditing(c);
    form.setFieldsValue({ name: c.name ?? '', parentId: c.parentId ?? null, sortOrder: c.sortOrder ?? 0, enabled: c.enabled ?? true });
  };
  const save = async () => {
    const v = await form.validateFields();
    try {
      if (editing?.id)
        await call(api.PATCH('/admin/v1/categories/{categoryId}', { params: { path: { categoryId: editing.id } }, body: v }));
      else await call(api.POST('/admin/v1/categories', { body: v }));
      void message.success(t('saved'));
      setEditing(null);
      void reload();
    } catch (e) {
      showError(e);
    }
  };

  return (
    <div data-testid="categories-page">
      <PageTitle
        extra={
          <Button type="primary" onClick={() => open({})} data-testid="category-new">
            {tr('新建类目', 'New category')}
          </Button>
        }
      >
        {t('nav.categories')}
      </PageTitle>
      <Table<Node>
        rowKey="id"
        dataSource={tree}
        pagination={false}
        expandable={{ defaultExpandAllRows: true }}
        onRow={(r) => ({ 'data-testid': `category-row-${r.id}` }) as React.HTMLAttributes<HTMLElement>}
        columns={[
          { title: tr('名称', 'Name'), dataIndex: 'name' },
          { title: tr('层级', 'Level'), dataIndex: 'level', width: 80 },
          { title: tr('排序', 'Sort'), dataIndex: 'sortOrder', width: 80 },
          { title: tr('商品数', 'Products'), dataIndex: 'productCount', width: 100 },
          {
            title: t('status'),
            dataIndex: 'enabled',
            width: 100,
            render: (e: boolean) => (e ? <Tag color="green">{tr('启用', 'Enabled')}</Tag> : <Tag>{tr('停用', 'Disabled')}</Tag>),
          },
          {
            title: t('actions'),
            width: 340,
            render: (_, r) => (
              <Space>
                <Button size="small" type="link" onClick={() => open(r)} data-testid={`category-edit-${r.id}`}>
                  {t('edit')}
                </Button>
                <Button size="small" type="link" onClick={() => setFactsOf(r)} data-testid={`category-facts-${r.id}`}>
                  {tr('必填信息', 'Required facts')}
                </Button>
                {r.level < 3 && (
                  <Button size="small" type="link" onClick={() => open({ parentId: r.id })}>
                    {tr('添加子类目', 'Add child')}
                  </Button>
                )}
                <Popconfirm
                  title={tr('确定删除？', 'Delete?')}
                  onConfirm={async () => {
                    try {
                      await call(api.DELETE('/admin/v1/categories/{categoryId}', { params: { path: { categoryId: r.id } } }));
                      void reload();
                    } catch (e) {
                      showError(e);
                    }
                  }}
                >
                  <Button size="small" type="link" danger>
                    {tr('删除', 'Delete')}
                  </Button>
                </Popconfirm>
              </Space>
            ),
          },
        ]}
      />
      <Modal
        open={!!editing}
        title={editing?.id ? tr('编辑类目', 'Edit category') : tr('新建类目', 'New category')}
        onCancel={() => setEditing(null)}
        onOk={() => void save()}
        okButtonProps={{ 'data-testid': 'category-save' }}
      >
        <Form form={form} layout="vertical">
          <Form.Item name="name" label={tr('名称', 'Name')} rules={[{ required: true }]}>
            <Input data-testid="category-name" />
          </Form.Item>
          <Form.Item name="parentId" label={tr('上级类目', 'Parent')}>
            <Select
              allowClear
              options={cats.filter((c) => c.id !== editing?.id && c.level < 3).map((c) => ({ value: c.id, label: c.name }))}
            />
          </Form.Item>
          <Form.Item name="sortOrder" label={tr('排序', 'Sort order')}>
            <InputNumber precision={0} />
          </Form.Item>
          <Form.Item name="enabled" label={tr('启用', 'Enabled')} valuePropName="checked">
            <Switch />
          </Form.Item>
        </Form>
      </Modal>
      <RequiredFactsModal category={factsOf} onClose={() => setFactsOf(null)} />
    </div>
  );
}
