import { useCallback, useEffect, useState } from 'react';
import { Alert, Button, Card, Form, Input, Modal, Select, Space, Table, Tag, message } from 'antd';
import { api, call, type Schemas, type Staff } from '../api';
import { useI18n } from '../i18n';
import { CodeTag, PageTitle, errText, fmtTime, showError } from '../ui';

type Role = Schemas['Role'];

export default function StaffPage() {
  const { tr, t, label, labelOptions } = useI18n();
  const [staff, setStaff] = useState<Staff[]>([]);
  const [roles, setRoles] = useState<Role[]>([]);
  const [rolesError, setRolesError] = useState<unknown>(null);
  const [error, setError] = useState<unknown>(null);
  const [editing, setEditing] = useState<Partial<Staff> | null>(null);
  const [form] = Form.useForm();
  const role = Form.useWatch('role', form);

  const load = useCallback(() => {
    call(api.GET('/admin/v1/staff'))
      .then((r) => {
        setStaff(r.items);
        setError(null);
      })
      .catch(setError);
    call(api.GET('/admin/v1/roles'))
      .then((r) => setRoles(r.items))
      .catch(setRolesError);
  }, []);
  useEffect(load, [load]);

  const open = (s: Partial<Staff>) => {
    setEditing(s);
    form.resetFields();
    form.setFieldsValue({
      email: s.email,
      name: s.name,
      role: s.role ?? 'operator',
      merchantId: s.merchantId ?? undefined,
      status: s.status ?? 'active',
    });
  };
  const save = async () => {
    const v = await form.validateFields();
    try {
      if (editing?.id) {
        await call(
          api.PATCH('/admin/v1/staff/{id}', {
            params: { path: { id: editing.id } },
            body: { name: v.name, role: v.role, merchantId: v.role === 'merchant' ? v.merchantId : null, status: v.status },
          }),
        );
      } else {
        await call(
          api.POST('/admin/v1/staff', {
            body: {
              email: v.email,
              name: v.name,
              password: v.password,
              role: v.role,
              merchantId: v.role === 'merchant' ? v.merchantId : undefined,
            },
          }),
        );
      }
      void message.success(t('saved'));
      setEditing(null);
      load();
    } catch (e) {
      showError(e);
    }
  };
  return (
    <div data-testid="staff-page">
      <PageTitle
        extra={
          <Button type="primary" onClick={() => open({})} data-testid="staff-new">
            {tr('新建员工', 'New staff')}
          </Button>
        }
      >
        {t('nav.staff')}
      </PageTitle>
      {error ? <Alert type="error" message={errText(error)} style={{ marginBottom: 12 }} /> : null}
      <Table<Staff>
        rowKey="id"
        dataSource={staff}
        pagination={{ pageSize: 20 }}
        onRow={(r) => ({ 'data-testid': `staff-row-${r.id}` }) as React.HTMLAttributes<HTMLElement>}
        columns={[
          { title: tr('姓名', 'Name'), dataIndex: 'name' },
          { title: tr('邮箱', 'Email'), dataIndex: 'email' },
          { title: tr('角色', 'Role'), dataIndex: 'role', render: (r: Staff['role']) => <CodeTag group="staffRole" code={r} /> },
          { title: tr('商家', 'Merchant'), dataIndex: 'merchantId', render: (v: string | null) => v ?? '—' },
          { title: t('status'), dataIndex: 'status', render: (s: Staff['status']) => <CodeTag group="staffStatus" code={s} /> },
          { title: t('createdAt'), dataIndex: 'createdAt', render: fmtTime },
          {
            title: t('actions'),
            render: (_, s) => (
              <Button size="small" type="link" onClick={() => open(s)} data-testid={`staff-edit-${s.id}`}>
                {t('edit')}
              </Button>
            ),
          },
        ]}
      />
      <Card size="small" title={tr('角色与权限', 'Roles & permissions')} style={{ marginTop: 24 }} data-testid="roles">
        {rolesError && !roles.length ? (
          <Alert type="info" message={t('pendingRoute')} />
        ) : (
          <Table<Role>
            size="small"
            rowKey="role"
            pagination={false}
            dataSource={roles}
            columns={[
              { title: tr('角色', 'Role'), render: (_, r) => <b>{label('staffRole', r.role)}</b> },
              { title: tr('说明', 'Description'), dataIndex: 'description' },
              {
                title: tr('权限', 'Permissions'),
                render: (_, r) =>
                  r.permissions.map((p) => (
                    <Tag key={p.key} title={p.key}>
                      {label('permission', p.key)}
                    </Tag>
                  )),
              },
            ]}
          />
        )}
      </Card>
      <Modal
        open={!!editing}
        title={editing?.id ? tr('编辑员工', 'Edit staff') : tr('新建员工', 'New staff')}
        onCancel={() => setEditing(null)}
        onOk={() => void save()}
        okButtonProps={{ 'data-testid': 'staff-save' }}
      >
        <Form form={form} layout="vertical">
          <Form.Item name="email" label={tr('邮箱', 'Email')} rules={[{ required: !editing?.id, type: 'email' }]}>
            <Input disabled={!!editing?.id} data-testid="staff-email" />
          </Form.Item>
          <Form.Item name="name" label={tr('姓名', 'Name')} rules={[{ required: true }]}>
            <Input data-testid="staff-name" />
          </Form.Item>
          {!editing?.id && (
            <Form.Item name="password" label={tr('初始密码', 'Password')} rules={[{ required: true, min: 10 }]}>
              <Input.Password data-testid="staff-password" />
            </Form.Item>
          )}
          <Space>
            <Form.Item name="role" label={tr('角色', 'Role')} rules={[{ required: true }]}>
              <Select style={{ width: 160 }} data-testid="staff-role" options={labelOptions('staffRole')} />
            </Form.Item>
            {role === 'merchant' && (
              <Form.Item name="merchantId" label={tr('商家 ID', 'Merchant id')} rules={[{ required: true }]}>
                <Input data-testid="staff-merchant" />
              </Form.Item>
            )}
            {editing?.id && (
              <Form.Item name="status" label={t('status')}>
                <Select style={{ width: 120 }} options={labelOptions('staffStatus')} />
              </Form.Item>
            )}
          </Space>
        </Form>
      </Modal>
    </div>
  );
}
