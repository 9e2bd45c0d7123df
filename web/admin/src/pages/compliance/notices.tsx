import { useCallback, useState } from 'react';
import { Alert, Button, DatePicker, Form, Input, Modal, Select, Space, Table, Tag, message } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { Link } from 'react-router-dom';
import { ApiError } from '@edgemall/client';
import { api, call, type Schemas } from '../../api';
import { useAuth } from '../../auth';
import { useI18n } from '../../i18n';
import { CodeTag, PageTitle, Pager, errText, fmtTime, showError, useCursorList, useInterval } from '../../ui';
import { ScreeningMatches, type FieldMatch } from './matches';

type Notice = Schemas['CorrectionNotice'];

/** Time left to a deadline, or how long it is overdue. */
export function Countdown({ deadline, now }: { deadline: string; now: number }) {
  const { tr } = useI18n();
  const ms = dayjs(deadline).valueOf() - now;
  const abs = Math.abs(ms);
  const d = Math.floor(abs / 86_400_000);
  const h = Math.floor((abs % 86_400_000) / 3_600_000);
  const m = Math.floor((abs % 3_600_000) / 60_000);
  const text = d ? tr(`${d}天${h}小时`, `${d}d ${h}h`) : h ? tr(`${h}小时${m}分`, `${h}h ${m}m`) : tr(`${m}分钟`, `${m} min`);
  return ms > 0 ? (
    <Tag color={ms < 86_400_000 ? 'orange' : 'blue'} data-testid="notice-countdown">
      {tr(`剩余 ${text}`, `${text} left`)}
    </Tag>
  ) : (
    <Tag color="red" data-testid="notice-countdown">
      {tr(`已逾期 ${text}`, `${text} overdue`)}
    </Tag>
  );
}

/** A reason and a new deadline (issue or reopen). */
export function DeadlineModal(props: {
  title: string;
  open: boolean;
  onClose: () => void;
  onSubmit: (v: { reason: string; deadlineAt: string }) => Promise<void>;
}) {
  const { tr } = useI18n();
  const [form] = Form.useForm<{ reason: string; deadline: Dayjs }>();
  const [busy, setBusy] = useState(false);
  return (
    <Modal
      title={props.title}
      open={props.open}
      onCancel={props.onClose}
      destroyOnHidden
      confirmLoading={busy}
      okButtonProps={{ 'data-testid': 'notice-submit' } as never}
      onOk={async () => {
        const v = await form.validateFields();
        setBusy(true);
        try {
          await props.onSubmit({ reason: v.reason, deadlineAt: v.deadline.toISOString() });
          props.onClose();
        } catch (e) {
          showError(e);
        } finally {
          setBusy(false);
        }
      }}
    >
      <Form form={form} layout="vertical" preserve={false} initialValues={{ deadline: dayjs().add(3, 'day').endOf('day') }}>
        <Form.Item name="reason" label={tr('整改原因', 'Reason')} rules={[{ required: true, min: 2, max: 500 }]}>
          <Input.TextArea rows={3} data-testid="notice-reason" />
        </Form.Item>
        <Form.Item name="deadline" label={tr('整改期限', 'Deadline')} rules={[{ required: true }]}>
          <DatePicker showTime data-testid="notice-deadline" disabledDate={(d) => d.isBefore(dayjs().startOf('day'))} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/**
 * Correction notices (整改通知) with their deadlines counting down. Merchants see their own and
 * mark them corrected (the server re-checks the product); operators accept or reopen.
 */
export function NoticesTable({ merchantView }: { merchantView: boolean }) {
  const { tr } = useI18n();
  const { can } = useAuth();
  const operator = can('catalog.review') && !merchantView;
  const [status, setStatus] = useState<Notice['status'] | undefined>(undefined);
  const [now, setNow] = useState(Date.now());
  useInterval(() => setNow(Date.now()), 30_000);
  const [reopen, setReopen] = useState<Notice | null>(null);
  const [failing, setFailing] = useState<{ notice: Notice; matches: FieldMatch[]; missing: string[] } | null>(null);
  const fetchPage = useCallback(
    (cursor: string | undefined) => call(api.GET('/admin/v1/correction-notices', { params: { query: { limit: 20, cursor, status } } })),
    [status],
  );
  const list = useCursorList<Notice>(fetchPage);

  const act = async (n: Notice, what: 'corrected' | 'accept') => {
    setFailing(null);
    try {
      if (what === 'corrected')
        await call(
          api.POST('/admin/v1/correction-notices/{noticeId}/corrected', { params: { path: { noticeId: n.id } }, body: { note: '' } }),
        );
      else await call(api.POST('/admin/v1/correction-notices/{noticeId}/accept', { params: { path: { noticeId: n.id } } }));
      void message.success(
        what === 'corrected' ? tr('已提交整改，等待运营确认', 'Submitted; waiting for the operator') : tr('已确认整改', 'Accepted'),
      );
      await list.reload();
    } catch (e) {
      if (e instanceof ApiError && e.code === 'compliance.still_failing') {
        const d = e.details as { matches?: FieldMatch[]; missingFacts?: string[] };
        setFailing({ notice: n, matches: d.matches ?? [], missing: d.missingFacts ?? [] });
      } else showError(e);
    }
  };

  return (
    <div data-testid="notices">
      <Space style={{ marginBottom: 12 }}>
        <Select
          allowClear
          style={{ width: 160 }}
          placeholder={tr('全部状态', 'Any status')}
          value={status}
          onChange={setStatus}
          data-testid="notice-status-filter"
          options={(['open', 'corrected', 'taken_down', 'accepted'] as const).map((s) => ({
            value: s,
            label: <CodeTag group="noticeStatus" code={s} />,
          }))}
        />
      </Space>
      {failing && (
        <div style={{ marginBottom: 12 }}>
          <ScreeningMatches
            type="error"
            testId="notice-still-failing"
            title={
              tr('商品仍未通过检查，请修改后再提交', 'The product still fails the check; fix it and submit again') +
              (failing.missing.length ? tr(`（缺少：${failing.missing.join('、')}）`, ` (missing: ${failing.missing.join(', ')})`) : '')
            }
            matches={failing.matches}
          />
        </div>
      )}
      {list.error ? <Alert type="error" message={errText(list.error)} /> : null}
      <Table
        size="small"
        rowKey="id"
        loading={list.loading}
        dataSource={list.items}
        pagination={false}
        columns={[
          {
            title: tr('商品', 'Product'),
            key: 'product',
            render: (_, n) => (
              <Link to={`/products/${n.productId}`} data-testid={`notice-product-${n.id}`}>
                {n.productTitle}
              </Link>
            ),
          },
          ...(merchantView ? [] : [{ title: tr('商家', 'Merchant'), dataIndex: 'merchantId', key: 'merchant' }]),
          {
            title: tr('整改原因', 'Reason'),
            dataIndex: 'reason',
            key: 'reason',
            render: (r: string) => <span data-testid="notice-reason-text">{r}</span>,
          },
          {
            title: tr('期限', 'Deadline'),
            key: 'deadline',
            render: (_, n) => (
              <Space direction="vertical" size={0}>
                <span>{fmtTime(n.deadlineAt)}</span>
                {n.status === 'open' && <Countdown deadline={n.deadlineAt} now={now} />}
              </Space>
            ),
          },
          {
            title: tr('状态', 'Status'),
            key: 'status',
            render: (_, n) => (
              <Space direction="vertical" size={0}>
                <CodeTag group="noticeStatus" code={n.status} testId={`notice-status-${n.id}`} />
                {n.takedownReason && <span style={{ color: '#cf1322', fontSize: 12 }}>{n.takedownReason}</span>}
                {n.reopenCount > 0 && (
                  <span style={{ fontSize: 12 }}>{tr(`已重开 ${n.reopenCount} 次`, `reopened ${n.reopenCount}×`)}</span>
                )}
              </Space>
            ),
          },
          {
            title: tr('操作', 'Actions'),
            key: 'actions',
            render: (_, n) => (
              <Space>
                {merchantView && (n.status === 'open' || n.status === 'taken_down') && (
                  <>
                    <Link to={`/products/${n.productId}`}>{tr('去修改', 'Edit product')}</Link>
                    <Button size="small" type="primary" onClick={() => void act(n, 'corrected')} data-testid={`notice-corrected-${n.id}`}>
                      {tr('已整改', 'Mark corrected')}
                    </Button>
                  </>
                )}
                {operator && n.status === 'corrected' && (
                  <>
                    <Button size="small" type="primary" onClick={() => void act(n, 'accept')} data-testid={`notice-accept-${n.id}`}>
                      {tr('确认整改', 'Accept')}
                    </Button>
                    <Button size="small" onClick={() => setReopen(n)} data-testid={`notice-reopen-${n.id}`}>
                      {tr('重新打开', 'Reopen')}
                    </Button>
                  </>
                )}
              </Space>
            ),
          },
        ]}
      />
      <Pager list={list} />
      <DeadlineModal
        title={tr('重新打开整改通知', 'Reopen the notice')}
        open={!!reopen}
        onClose={() => setReopen(null)}
        onSubmit={async (v) => {
          await call(api.POST('/admin/v1/correction-notices/{noticeId}/reopen', { params: { path: { noticeId: reopen!.id } }, body: v }));
          void message.success(tr('已重新打开', 'Reopened'));
          await list.reload();
        }}
      />
    </div>
  );
}

/** The merchant's 整改通知 page: only its own notices (the server scopes them). */
export default function CorrectionNoticesPage() {
  const { tr } = useI18n();
  const { me } = useAuth();
  return (
    <div>
      <PageTitle>{tr('整改通知', 'Correction notices')}</PageTitle>
      <Alert
        style={{ marginBottom: 12 }}
        type="info"
        showIcon
        message={tr(
          '平台抽查发现的问题需在期限内整改：修改商品后点“已整改”，系统会重新检查；逾期未整改的商品将被自动下架。',
          'Fix what the platform spot check found before the deadline, then press “Mark corrected” (the product is checked again). Overdue products are taken off sale automatically.',
        )}
      />
      <NoticesTable merchantView={me?.role === 'merchant'} />
    </div>
  );
}
