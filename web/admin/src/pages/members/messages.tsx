import { useCallback, useEffect, useMemo, useState } from 'react';
import { Alert, Button, Card, Col, Form, Input, InputNumber, Modal, Row, Select, Space, Statistic, Table, Tabs, Tag, message } from 'antd';
import { useAuth } from '../../auth';
import { api, call, type Schemas } from '../../api';
import { useI18n } from '../../i18n';
import { CodeTag, PageTitle, Pager, errText, fmtTime, showError, useCursorList } from '../../ui';

type Template = Schemas['MessageTemplate'];
type Trigger = Schemas['MessageTrigger'];
type Send = Schemas['MessageSend'];

/** 消息模板、频控与免打扰、发送记录、到货需求: the console side of 周期性触达. */
export default function MessagesPage() {
  const { tr } = useI18n();
  const { me } = useAuth();
  const canWrite = !!me?.permissions.includes('members.write');
  return (
    <div data-testid="messages-page">
      <PageTitle>{tr('消息触达', 'Messages')}</PageTitle>
      <Tabs
        items={[
          { key: 'templates', label: tr('消息模板', 'Templates'), children: <TemplatesTab canWrite={canWrite} /> },
          { key: 'settings', label: tr('频控与免打扰', 'Caps & quiet hours'), children: <SettingsTab canWrite={canWrite} /> },
          { key: 'sends', label: tr('发送记录', 'Send log'), children: <SendsTab /> },
          { key: 'restock', label: tr('到货提醒需求', 'Restock demand'), children: <RestockTab /> },
        ]}
      />
    </div>
  );
}

function TemplatesTab({ canWrite }: { canWrite: boolean }) {
  const { tr, t, label, labelOptions } = useI18n();
  const [data, setData] = useState<{ items: Template[]; triggers: Trigger[] } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [editing, setEditing] = useState<Template | 'new' | null>(null);
  const [previewing, setPreviewing] = useState<Template | null>(null);
  const load = useCallback(() => {
    call(api.GET('/admin/v1/message-templates', { params: { query: {} } }))
      .then((d) => {
        setData(d);
        setError(null);
      })
      .catch(setError);
  }, []);
  useEffect(load, [load]);
  const toggle = async (tpl: Template) => {
    try {
      await call(
        api.PATCH('/admin/v1/message-templates/{templateId}', {
          params: { path: { templateId: tpl.id } },
          body: { status: tpl.status === 'active' ? 'disabled' : 'active' },
        }),
      );
      void message.success(t('saved'));
      load();
    } catch (e) {
      showError(e);
    }
  };
  return (
    <>
      {error ? <Alert type="error" message={errText(error)} /> : null}
      <Space style={{ marginBottom: 12 }}>
        {canWrite && (
          <Button type="primary" onClick={() => setEditing('new')} data-testid="template-new">
            {tr('新建模板', 'New template')}
          </Button>
        )}
        <span style={{ color: '#888' }}>
          {tr(
            '每个触发场景、每个渠道只能有一个启用中的模板；订阅消息需用户授权，短信用于手机号用户。',
            'One active template per trigger and channel; subscribe messages need the shopper’s consent, SMS reaches phone shoppers.',
          )}
        </span>
      </Space>
      <Table<Template>
        rowKey="id"
        loading={!data && !error}
        dataSource={data?.items ?? []}
        pagination={false}
        data-testid="template-table"
        columns={[
          { title: tr('名称', 'Name'), dataIndex: 'name' },
          { title: tr('触发场景', 'Trigger'), dataIndex: 'key', render: (k: string) => label('msgTrigger', k) },
          { title: tr('渠道', 'Channel'), dataIndex: 'channel', render: (c: string) => <CodeTag group="msgChannel" code={c} /> },
          { title: tr('类型', 'Purpose'), dataIndex: 'purpose', render: (p: string) => <CodeTag group="msgPurpose" code={p} /> },
          {
            title: tr('模板', 'Template'),
            render: (_, r) =>
              r.channel === 'sms' ? (
                <span>
                  【{r.smsSign}】{r.smsText} <Tag>{r.smsTemplateCode}</Tag>
                </span>
              ) : (
                <span>
                  <Tag>{r.wxTemplateId}</Tag>
                  {Object.entries(r.fields ?? {})
                    .map(([k, v]) => `${k}: ${v}`)
                    .join('，')}
                </span>
              ),
          },
          { title: t('status'), dataIndex: 'status', render: (s: string) => <CodeTag group="promoStatus" code={s} /> },
          {
            title: t('actions'),
            render: (_, r) => (
              <Space>
                <a onClick={() => setPreviewing(r)}>{tr('预览', 'Preview')}</a>
                {canWrite && <a onClick={() => setEditing(r)}>{t('edit')}</a>}
                {canWrite && (
                  <a onClick={() => void toggle(r)} data-testid={`template-toggle-${r.id}`}>
                    {r.status === 'active' ? tr('停用', 'Disable') : tr('启用', 'Enable')}
                  </a>
                )}
              </Space>
            ),
          },
        ]}
      />
      {editing && data && (
        <TemplateForm
          template={editing === 'new' ? null : editing}
          triggers={data.triggers}
          onClose={() => setEditing(null)}
          onSaved={() => {
            setEditing(null);
            load();
          }}
          purposeOptions={labelOptions('msgPurpose')}
        />
      )}
      {previewing && (
        <PreviewModal
          template={previewing}
          trigger={data?.triggers.find((x) => x.key === previewing.key)}
          onClose={() => setPreviewing(null)}
        />
      )}
    </>
  );
}

/** "thing1=${productName}" lines ↔ { thing1: '${productName}' } */
const fieldsToText = (f: Record<string, string> | null | undefined) =>
  Object.entries(f ?? {})
    .map(([k, v]) => `${k}=${v}`)
    .join('\n');
const textToFields = (s: string) =>
  Object.fromEntries(
    s
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean)
      .map((l) => [l.slice(0, l.indexOf('=')).trim(), l.slice(l.indexOf('=') + 1).trim()]),
  );

function TemplateForm(props: {
  template: Template | null;
  triggers: Trigger[];
  purposeOptions: { value: string; label: string }[];
  onClose: () => void;
  onSaved: () => void;
}) {
  const { tr, label, labelOptions } = useI18n();
  const [form] = Form.useForm();
  const tpl = props.template;
  const channel = Form.useWatch('channel', form) ?? tpl?.channel ?? 'wechat_subscribe';
  const key = Form.useWatch('key', form) ?? tpl?.key;
  const trigger = props.triggers.find((x) => x.key === key);
  const [saving, setSaving] = useState(false);
  const save = async () => {
    const v = await form.validateFields();
    setSaving(true);
    try {
      const parts =
        channel === 'sms'
          ? { smsSign: v.smsSign, smsTemplateCode: v.smsTemplateCode, smsText: v.smsText }
          : { wxTemplateId: v.wxTemplateId, fields: textToFields(v.fields ?? ''), page: v.page || undefined };
      if (tpl)
        await call(
          api.PATCH('/admin/v1/message-templates/{templateId}', {
            params: { path: { templateId: tpl.id } },
            body: { name: v.name, purpose: v.purpose, ...parts },
          }),
        );
      else
        await call(
          api.POST('/admin/v1/message-templates', { body: { key: v.key, channel: v.channel, name: v.name, purpose: v.purpose, ...parts } }),
        );
      void message.success(tr('已保存', 'Saved'));
      props.onSaved();
    } catch (e) {
      showError(e);
    } finally {
      setSaving(false);
    }
  };
  return (
    <Modal
      open
      width={680}
      title={tpl ? tr('编辑模板', 'Edit template') : tr('新建模板', 'New template')}
      onCancel={props.onClose}
      onOk={() => void save()}
      confirmLoading={saving}
      okButtonProps={{ 'data-testid': 'template-save' } as never}
    >
      <Form
        form={form}
        layout="vertical"
        initialValues={{
          key: tpl?.key ?? 'restock',
          channel: tpl?.channel ?? 'wechat_subscribe',
          name: tpl?.name,
          purpose: tpl?.purpose,
          wxTemplateId: tpl?.wxTemplateId,
          fields: fieldsToText(tpl?.fields) || 'thing1=${productName}\ntime2=${time}',
          page: tpl?.page,
          smsSign: tpl?.smsSign ?? 'edgemall',
          smsTemplateCode: tpl?.smsTemplateCode,
          smsText: tpl?.smsText,
        }}
      >
        <Space wrap>
          <Form.Item name="key" label={tr('触发场景', 'Trigger')} rules={[{ required: true }]}>
            <Select
              style={{ width: 180 }}
              disabled={!!tpl}
              options={labelOptions(
                'msgTrigger',
                props.triggers.map((x) => x.key),
              )}
              data-testid="template-key"
            />
          </Form.Item>
          <Form.Item name="channel" label={tr('渠道', 'Channel')} rules={[{ required: true }]}>
            <Select style={{ width: 160 }} disabled={!!tpl} options={labelOptions('msgChannel')} data-testid="template-channel" />
          </Form.Item>
          <Form.Item
            name="purpose"
            label={tr('类型', 'Purpose')}
            tooltip={tr('营销消息受频控、免打扰和用户退订约束', 'Marketing obeys caps, quiet hours and opt-outs')}
          >
            <Select
              style={{ width: 140 }}
              allowClear
              placeholder={trigger ? label('msgPurpose', trigger.purpose) : ''}
              options={props.purposeOptions}
            />
          </Form.Item>
        </Space>
        <Form.Item name="name" label={tr('模板名称', 'Name')} rules={[{ required: true, max: 60 }]}>
          <Input data-testid="template-name" />
        </Form.Item>
        {channel === 'sms' ? (
          <>
            <Space>
              <Form.Item name="smsSign" label={tr('短信签名', 'Sign')} rules={[{ required: true }]}>
                <Input />
              </Form.Item>
              <Form.Item name="smsTemplateCode" label={tr('模板编号', 'Template code')} rules={[{ required: true }]}>
                <Input data-testid="template-sms-code" />
              </Form.Item>
            </Space>
            <Form.Item name="smsText" label={tr('短信内容（用 ${变量}）', 'Text (with ${var})')} rules={[{ required: true }]}>
              <Input.TextArea rows={3} data-testid="template-sms-text" />
            </Form.Item>
          </>
        ) : (
          <>
            <Form.Item name="wxTemplateId" label={tr('订阅消息模板ID', 'WeChat template id')} rules={[{ required: true }]}>
              <Input data-testid="template-wx-id" />
            </Form.Item>
            <Form.Item
              name="fields"
              label={tr('字段映射（每行 关键词=内容，如 thing1=${productName}）', 'Keywords (one per line: thing1=${productName})')}
              rules={[{ required: true }]}
            >
              <Input.TextArea rows={4} data-testid="template-fields" />
            </Form.Item>
            <Form.Item name="page" label={tr('跳转页面', 'Page')}>
              <Input placeholder="pages/product/index?id=${productId}" />
            </Form.Item>
          </>
        )}
      </Form>
      {trigger && (
        <div style={{ color: '#666' }}>
          {tr('可用变量：', 'Variables: ')}
          {trigger.vars.map((v) => (
            <Tag key={v.name} title={v.sample}>
              {'${'}
              {v.name}
              {'}'} {v.label}
            </Tag>
          ))}
        </div>
      )}
    </Modal>
  );
}

function PreviewModal({ template, trigger, onClose }: { template: Template; trigger?: Trigger; onClose: () => void }) {
  const { tr } = useI18n();
  const [vars, setVars] = useState<Record<string, string>>(template.preview.vars);
  const [preview, setPreview] = useState(template.preview);
  const refresh = async () => {
    try {
      setPreview(
        await call(
          api.POST('/admin/v1/message-templates/{templateId}/preview', { params: { path: { templateId: template.id } }, body: { vars } }),
        ),
      );
    } catch (e) {
      showError(e);
    }
  };
  return (
    <Modal open width={640} title={`${tr('预览', 'Preview')} · ${template.name}`} onCancel={onClose} footer={null}>
      <Space direction="vertical" style={{ width: '100%' }}>
        {(trigger?.vars ?? []).map((v) => (
          <Input
            key={v.name}
            addonBefore={v.label}
            value={vars[v.name] ?? ''}
            onChange={(e) => setVars({ ...vars, [v.name]: e.target.value })}
          />
        ))}
        <Button onClick={() => void refresh()}>{tr('渲染预览', 'Render')}</Button>
        <Card size="small" data-testid="template-preview">
          {preview.sms && <div>{preview.sms.text}</div>}
          {preview.wechat &&
            Object.entries(preview.wechat.data).map(([k, v]) => (
              <div key={k}>
                <Tag>{k}</Tag>
                {v.value}
              </div>
            ))}
          {preview.missing.length > 0 && <Alert type="warning" message={`${tr('缺少变量', 'Missing')}: ${preview.missing.join(', ')}`} />}
        </Card>
      </Space>
    </Modal>
  );
}

function SettingsTab({ canWrite }: { canWrite: boolean }) {
  const { tr, t } = useI18n();
  const [form] = Form.useForm();
  const [loaded, setLoaded] = useState(false);
  useEffect(() => {
    call(api.GET('/admin/v1/message-settings'))
      .then((s) => {
        form.setFieldsValue(s);
        setLoaded(true);
      })
      .catch(showError);
  }, [form]);
  const save = async () => {
    const v = await form.validateFields();
    try {
      form.setFieldsValue(await call(api.PUT('/admin/v1/message-settings', { body: v })));
      void message.success(t('saved'));
    } catch (e) {
      showError(e);
    }
  };
  const hours = useMemo(() => [...Array(24).keys()].map((h) => ({ value: h, label: `${String(h).padStart(2, '0')}:00` })), []);
  return (
    <Card style={{ maxWidth: 640 }} loading={!loaded}>
      <Form form={form} layout="vertical" disabled={!canWrite}>
        <Row gutter={16}>
          <Col span={12}>
            <Form.Item
              name="dailyCap"
              label={tr('每人每天最多营销消息（条）', 'Marketing per shopper per day')}
              rules={[{ required: true }]}
            >
              <InputNumber min={0} max={50} style={{ width: '100%' }} data-testid="settings-daily" />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="weeklyCap" label={tr('每人每周最多（条，周一至周日）', 'Per week (Mon–Sun)')} rules={[{ required: true }]}>
              <InputNumber min={0} max={200} style={{ width: '100%' }} data-testid="settings-weekly" />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="quietStartHour" label={tr('免打扰开始（北京时间）', 'Quiet from (Beijing)')}>
              <Select options={hours} />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="quietEndHour" label={tr('免打扰结束', 'Quiet until')}>
              <Select options={hours} />
            </Form.Item>
          </Col>
        </Row>
        <Alert
          type="info"
          style={{ marginBottom: 12 }}
          message={tr(
            '免打扰时段内产生的营销消息不会丢弃，会在结束时发出；服务通知（订单、退款、任务奖励）不受频控和免打扰限制。',
            'Marketing created in quiet hours is held and sent when they end; service messages ignore caps and quiet hours.',
          )}
        />
        {canWrite && (
          <Button type="primary" onClick={() => void save()} data-testid="settings-save">
            {t('save')}
          </Button>
        )}
      </Form>
    </Card>
  );
}

function SendsTab() {
  const { tr, label, labelOptions } = useI18n();
  const [status, setStatus] = useState<Send['status'] | undefined>();
  const [templateKey, setTemplateKey] = useState<Trigger['key'] | undefined>();
  const [userId, setUserId] = useState('');
  const [today, setToday] = useState<Record<string, number>>({});
  const fetchPage = useCallback(
    async (cursor: string | undefined) => {
      const r = await call(
        api.GET('/admin/v1/message-sends', { params: { query: { limit: 20, cursor, status, templateKey, userId: userId || undefined } } }),
      );
      setToday(r.today);
      return r;
    },
    [status, templateKey, userId],
  );
  const list = useCursorList<Send>(fetchPage);
  return (
    <>
      <Row gutter={16} style={{ marginBottom: 12 }}>
        {(['sent', 'scheduled', 'capped', 'skipped', 'failed'] as const).map((s) => (
          <Col key={s}>
            <Statistic title={`${tr('今日', 'Today')}·${label('msgSendStatus', s)}`} value={today[s] ?? 0} />
          </Col>
        ))}
      </Row>
      <Space style={{ marginBottom: 12 }} wrap>
        <Select
          allowClear
          style={{ width: 160 }}
          placeholder={tr('状态', 'Status')}
          options={labelOptions('msgSendStatus')}
          onChange={(v) => setStatus(v as Send['status'] | undefined)}
          data-testid="sends-status"
        />
        <Select
          allowClear
          style={{ width: 160 }}
          placeholder={tr('触发场景', 'Trigger')}
          options={labelOptions('msgTrigger')}
          onChange={(v) => setTemplateKey(v as Trigger['key'] | undefined)}
        />
        <Input.Search placeholder={tr('用户ID', 'Shopper id')} allowClear onSearch={setUserId} style={{ width: 240 }} />
      </Space>
      {list.error ? <Alert type="error" message={errText(list.error)} /> : null}
      <Table<Send>
        rowKey="id"
        size="small"
        loading={list.loading}
        dataSource={list.items}
        pagination={false}
        data-testid="sends-table"
        columns={[
          { title: tr('时间', 'Created'), dataIndex: 'createdAt', render: fmtTime },
          { title: tr('用户', 'Shopper'), dataIndex: 'userId' },
          { title: tr('触发场景', 'Trigger'), dataIndex: 'templateKey', render: (k: string) => label('msgTrigger', k) },
          {
            title: tr('渠道', 'Channel'),
            dataIndex: 'channel',
            render: (c: string | null) => (c ? <CodeTag group="msgChannel" code={c} /> : '—'),
          },
          { title: tr('状态', 'Status'), dataIndex: 'status', render: (s: string) => <CodeTag group="msgSendStatus" code={s} /> },
          { title: tr('计划发送', 'Due'), dataIndex: 'dueAt', render: fmtTime },
          { title: tr('发送时间', 'Sent'), dataIndex: 'sentAt', render: fmtTime },
          { title: tr('说明', 'Reason'), dataIndex: 'reason', render: (r: string | null) => r ?? '' },
          {
            title: tr('变量', 'Variables'),
            dataIndex: 'vars',
            render: (v: Record<string, string>) => (
              <span style={{ fontSize: 12, color: '#666' }}>
                {Object.entries(v)
                  .map(([k, x]) => `${k}=${x}`)
                  .join('，')}
              </span>
            ),
          },
        ]}
      />
      <Pager list={list} />
    </>
  );
}

function RestockTab() {
  const { tr } = useI18n();
  const [items, setItems] = useState<Schemas['RestockDemand']['items']>([]);
  const [loading, setLoading] = useState(true);
  useEffect(() => {
    call(api.GET('/admin/v1/restock-demand', { params: { query: { limit: 50 } } }))
      .then((r) => setItems(r.items))
      .catch(showError)
      .finally(() => setLoading(false));
  }, []);
  return (
    <Table
      rowKey="skuId"
      loading={loading}
      dataSource={items}
      pagination={false}
      columns={[
        { title: tr('商品', 'Product'), dataIndex: 'title' },
        { title: tr('规格', 'SKU'), dataIndex: 'specKey' },
        { title: tr('当前库存', 'Stock'), dataIndex: 'stock' },
        { title: tr('等待到货提醒（人）', 'Waiting shoppers'), dataIndex: 'waiting', sorter: (a, b) => a.waiting - b.waiting },
      ]}
    />
  );
}
