import { useCallback, useEffect, useState } from 'react';
import { Alert, DatePicker, Descriptions, Drawer, Form, Input, Button, Space, Spin, Table, Tag } from 'antd';
import type { Dayjs } from 'dayjs';
import { api, call, type Schemas } from '../api';
import { useI18n } from '../i18n';
import { CodeTag, JsonBlock, PageTitle, Pager, errText, fmtTime, showError, useCursorList } from '../ui';

type AuditEntry = Schemas['AuditEntry'];

interface Filters {
  action?: string;
  staffId?: string;
  targetId?: string;
  merchantId?: string;
  from?: string;
  to?: string;
}

export default function AuditLogPage() {
  const { tr, t } = useI18n();
  const [filters, setFilters] = useState<Filters>({});
  const [form] = Form.useForm();
  const fetchPage = useCallback(
    (cursor: string | undefined) => call(api.GET('/admin/v1/audit-log', { params: { query: { limit: 30, cursor, ...filters } } })),
    [filters],
  );
  const list = useCursorList<AuditEntry>(fetchPage);
  const [open, setOpen] = useState<AuditEntry | null>(null);
  return (
    <div data-testid="audit-log-page">
      <PageTitle>{t('nav.audit-log')}</PageTitle>
      <Form
        form={form}
        layout="inline"
        style={{ marginBottom: 16, rowGap: 8 }}
        onFinish={(v: { action?: string; staffId?: string; targetId?: string; merchantId?: string; range?: [Dayjs, Dayjs] }) =>
          setFilters({
            action: v.action?.trim() || undefined,
            staffId: v.staffId?.trim() || undefined,
            targetId: v.targetId?.trim() || undefined,
            merchantId: v.merchantId?.trim() || undefined,
            from: v.range?.[0]?.toISOString(),
            to: v.range?.[1]?.toISOString(),
          })
        }
      >
        <Form.Item name="action" label={tr('操作', 'Action')}>
          <Input allowClear placeholder="createProduct" data-testid="audit-filter-action" />
        </Form.Item>
        <Form.Item name="staffId" label={tr('员工 ID', 'Staff id')}>
          <Input allowClear data-testid="audit-filter-staff" />
        </Form.Item>
        <Form.Item name="targetId" label={tr('对象 ID', 'Target id')}>
          <Input allowClear data-testid="audit-filter-target" />
        </Form.Item>
        <Form.Item name="merchantId" label={tr('商家 ID', 'Merchant id')}>
          <Input allowClear />
        </Form.Item>
        <Form.Item name="range" label={tr('时间', 'Time')}>
          <DatePicker.RangePicker showTime />
        </Form.Item>
        <Form.Item>
          <Space>
            <Button type="primary" htmlType="submit" data-testid="audit-filter-submit">
              {t('search')}
            </Button>
            <Button
              onClick={() => {
                form.resetFields();
                setFilters({});
              }}
            >
              {t('reset')}
            </Button>
          </Space>
        </Form.Item>
      </Form>
      {list.error ? <Alert type="error" message={errText(list.error)} style={{ marginBottom: 12 }} /> : null}
      <Table<AuditEntry>
        rowKey="id"
        loading={list.loading}
        dataSource={list.items}
        pagination={false}
        onRow={(r) =>
          ({
            'data-testid': 'audit-row',
            'data-audit-id': r.id,
            onClick: () => setOpen(r),
            style: { cursor: 'pointer' },
          }) as React.HTMLAttributes<HTMLElement>
        }
        columns={[
          { title: tr('时间', 'Time'), dataIndex: 'createdAt', render: fmtTime, width: 170 },
          {
            title: tr('员工', 'Staff'),
            render: (_, e) => (
              <span>
                {e.staffEmail} <CodeTag group="staffRole" code={e.role} />
              </span>
            ),
          },
          { title: tr('操作', 'Action'), dataIndex: 'action', render: (v: string) => <ActionText action={v} /> },
          { title: tr('对象', 'Target'), render: (_, e) => (e.targetId ? `${e.targetType ?? ''} ${e.targetId}` : '—') },
          {
            title: tr('结果', 'Status'),
            dataIndex: 'status',
            render: (s: number) => <Tag color={s < 300 ? 'green' : s < 500 ? 'orange' : 'red'}>{s}</Tag>,
          },
          { title: 'IP', dataIndex: 'ip' },
        ]}
      />
      <Pager list={list} />
      {open && <AuditDrawer entry={open} onClose={() => setOpen(null)} />}
    </div>
  );
}

type Change = { path: string; before: unknown; after: unknown; kind: 'added' | 'removed' | 'changed' };
/** Flat list of leaf differences between two JSON values. */
export function jsonDiff(a: unknown, b: unknown, path = ''): Change[] {
  if (JSON.stringify(a) === JSON.stringify(b)) return [];
  const isObj = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null;
  if (isObj(a) && isObj(b) && Array.isArray(a) === Array.isArray(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])];
    return keys.flatMap((k) => {
      const p = path ? (Array.isArray(a) ? `${path}[${k}]` : `${path}.${k}`) : k;
      if (!(k in a)) return [{ path: p, before: undefined, after: b[k], kind: 'added' as const }];
      if (!(k in b)) return [{ path: p, before: a[k], after: undefined, kind: 'removed' as const }];
      return jsonDiff(a[k], b[k], p);
    });
  }
  return [{ path: path || '(root)', before: a, after: b, kind: a === undefined ? 'added' : b === undefined ? 'removed' : 'changed' }];
}

/** The action's label, with its operationId beside it (what the action filter takes). */
function ActionText({ action }: { action: string }) {
  const { label } = useI18n();
  const text = label('auditAction', action);
  return (
    <span data-testid="audit-action">
      <b>{text}</b>
      {text !== action && <code style={{ marginLeft: 6, color: '#888', fontSize: 12 }}>{action}</code>}
    </span>
  );
}

function AuditDrawer({ entry, onClose }: { entry: AuditEntry; onClose: () => void }) {
  const { tr, label } = useI18n();
  const [full, setFull] = useState<AuditEntry | null>(null);
  useEffect(() => {
    call(api.GET('/admin/v1/audit-log/{id}', { params: { path: { id: entry.id } } }))
      .then(setFull)
      .catch((e) => {
        setFull(entry);
        showError(e);
      });
  }, [entry]);
  const show = (v: unknown) =>
    v === undefined ? (
      <i style={{ color: '#999' }}>—</i>
    ) : (
      <code style={{ wordBreak: 'break-all', whiteSpace: 'pre-wrap' }}>{JSON.stringify(v)}</code>
    );
  const failed = !!full && full.status >= 300;
  const diff = full && !failed && full.before !== undefined && full.before !== null ? jsonDiff(full.before, full.after) : [];
  return (
    <Drawer
      open
      width={820}
      title={`${label('auditAction', entry.action)} · ${fmtTime(entry.createdAt)}`}
      onClose={onClose}
      data-testid="audit-detail"
    >
      {!full ? (
        <Spin />
      ) : (
        <>
          <Descriptions size="small" column={2} bordered>
            <Descriptions.Item label={tr('员工', 'Staff')}>
              {full.staffEmail} ({full.staffId})
            </Descriptions.Item>
            <Descriptions.Item label={tr('角色', 'Role')}>{label('staffRole', full.role)}</Descriptions.Item>
            <Descriptions.Item label={tr('请求', 'Request')} span={2}>
              <code>
                {full.method} {full.path}
              </code>{' '}
              → {full.status}
            </Descriptions.Item>
            <Descriptions.Item label={tr('对象', 'Target')}>
              {full.targetType} {full.targetId}
            </Descriptions.Item>
            <Descriptions.Item label="Request id">{full.requestId}</Descriptions.Item>
          </Descriptions>
          <h4 style={{ marginTop: 16 }}>{tr('变更对比', 'Changes (before → after)')}</h4>
          {failed ? (
            <Alert
              type="warning"
              message={tr(`请求未成功（HTTP ${full.status}），数据未变更`, `The request failed (HTTP ${full.status}); nothing changed`)}
              description={<code>{JSON.stringify(full.after)}</code>}
            />
          ) : full.before === undefined || full.before === null ? (
            <Alert
              type="info"
              message={tr(
                '此操作没有“修改前”快照（新建或无对应查询接口）',
                'No “before” snapshot for this action (a create, or no GET route)',
              )}
            />
          ) : diff.length === 0 ? (
            <Alert type="info" message={tr('无字段变化', 'No field changed')} />
          ) : (
            <Table
              size="small"
              rowKey="path"
              pagination={false}
              dataSource={diff}
              data-testid="audit-diff"
              tableLayout="fixed"
              columns={[
                {
                  title: tr('字段', 'Field'),
                  dataIndex: 'path',
                  width: 200,
                  render: (p: string, c) => (
                    <span>
                      <code>{p}</code> <CodeTag group="diffKind" code={c.kind} />
                    </span>
                  ),
                },
                {
                  title: tr('修改前', 'Before'),
                  dataIndex: 'before',
                  render: (v: unknown) => <span style={{ background: '#fff1f0' }}>{show(v)}</span>,
                },
                {
                  title: tr('修改后', 'After'),
                  dataIndex: 'after',
                  render: (v: unknown) => <span style={{ background: '#f6ffed' }}>{show(v)}</span>,
                },
              ]}
            />
          )}
          <h4 style={{ marginTop: 16 }}>{tr('请求体', 'Request body')}</h4>
          <JsonBlock value={full.request ?? null} />
          <div style={{ display: 'flex', gap: 12, marginTop: 16 }}>
            <div style={{ flex: 1 }}>
              <h4>{tr('修改前', 'Before')}</h4>
              <JsonBlock value={full.before ?? null} />
            </div>
            <div style={{ flex: 1 }}>
              <h4>{tr('修改后', 'After')}</h4>
              <JsonBlock value={full.after ?? null} />
            </div>
          </div>
        </>
      )}
    </Drawer>
  );
}
