import { useCallback, useEffect, useState } from 'react';
import { Alert, Button, Descriptions, Drawer, Form, Image, Input, InputNumber, Modal, Select, Space, Spin, Table, message } from 'antd';
import { api, call, type Schemas } from '../api';
import { useI18n } from '../i18n';
import { CodeTag, PageTitle, Pager, errText, fmtTime, formatBps, showError, useCursorList } from '../ui';
import { useCategories } from './products';
import { ScreeningMatches } from './compliance/matches';

type Application = Schemas['MerchantApplicationListItem'] & Partial<Pick<Schemas['MerchantApplication'], 'licenceMediaKey' | 'licenceUrl'>>;

export default function MerchantApplicationsPage() {
  const { tr, t, labelOptions } = useI18n();
  const { cats } = useCategories();
  const catName = (id: string) => cats.find((c) => c.id === id)?.name ?? id;
  const [status, setStatus] = useState<string | undefined>('pending');
  const fetchPage = useCallback(
    (cursor: string | undefined) =>
      call(
        api.GET('/admin/v1/merchant-applications', {
          params: { query: { limit: 20, cursor, status: status as Application['status'] | undefined } },
        }),
      ),
    [status],
  );
  const list = useCursorList<Application>(fetchPage);
  const [open, setOpen] = useState<string | null>(null);
  const [review, setReview] = useState<{ app: Application; decision: 'approve' | 'reject' } | null>(null);
  const statusTag = (s: Application['status']) => <CodeTag group="applicationStatus" code={s} testId="application-status" />;
  return (
    <div data-testid="merchant-applications-page">
      <PageTitle
        extra={
          <Select
            allowClear
            placeholder={t('status')}
            style={{ width: 140 }}
            value={status}
            onChange={setStatus}
            data-testid="filter-application-status"
            options={labelOptions('applicationStatus')}
          />
        }
      >
        {t('nav.merchant-applications')}
      </PageTitle>
      {list.error ? <Alert type="error" message={errText(list.error)} style={{ marginBottom: 12 }} /> : null}
      <Table<Application>
        rowKey="id"
        loading={list.loading}
        dataSource={list.items}
        pagination={false}
        onRow={(r) => ({ 'data-testid': `application-row-${r.id}` }) as React.HTMLAttributes<HTMLElement>}
        columns={[
          {
            title: tr('店铺', 'Shop'),
            dataIndex: 'shopName',
            render: (v: string, a) => (
              <a onClick={() => setOpen(a.id)} data-testid={`application-open-${a.id}`}>
                {v}
              </a>
            ),
          },
          { title: tr('公司', 'Company'), dataIndex: 'companyName' },
          { title: tr('信用代码', 'Credit code'), dataIndex: 'creditCode' },
          { title: tr('主营类目', 'Category'), dataIndex: 'categoryId', render: catName },
          { title: tr('联系人', 'Contact'), render: (_, a) => `${a.contact.name} ${a.contact.phone}` },
          { title: t('status'), dataIndex: 'status', render: statusTag },
          {
            title: tr('合规筛查', 'Screening'),
            key: 'screening',
            render: (_, a) =>
              a.screening ? <CodeTag group="screenVerdict" code={a.screening.verdict} testId="application-screening" /> : '—',
          },
          { title: tr('申请时间', 'Applied'), dataIndex: 'createdAt', render: fmtTime },
          {
            title: t('actions'),
            render: (_, a) =>
              a.status === 'pending' ? (
                <Space>
                  <Button
                    size="small"
                    type="primary"
                    data-testid={`approve-${a.id}`}
                    onClick={() => setReview({ app: a, decision: 'approve' })}
                  >
                    {tr('通过', 'Approve')}
                  </Button>
                  <Button size="small" danger data-testid={`reject-${a.id}`} onClick={() => setReview({ app: a, decision: 'reject' })}>
                    {tr('驳回', 'Reject')}
                  </Button>
                </Space>
              ) : (
                <span>{a.status === 'approved' ? `${tr('佣金', 'Commission')} ${formatBps(a.commissionBps)}` : a.reviewReason}</span>
              ),
          },
        ]}
      />
      <Pager list={list} />
      {open && (
        <ApplicationDrawer
          id={open}
          catName={catName}
          statusTag={statusTag}
          onClose={() => setOpen(null)}
          onReview={(app, decision) => setReview({ app, decision })}
        />
      )}
      {review && (
        <ReviewDialog
          app={review.app}
          decision={review.decision}
          onClose={(done) => {
            setReview(null);
            if (done) {
              setOpen(null);
              void list.reload();
            }
          }}
        />
      )}
    </div>
  );
}

function ApplicationDrawer({
  id,
  onClose,
  onReview,
  catName,
  statusTag,
}: {
  id: string;
  onClose: () => void;
  onReview: (a: Application, d: 'approve' | 'reject') => void;
  catName: (id: string) => string;
  statusTag: (s: Application['status']) => React.ReactNode;
}) {
  const { tr } = useI18n();
  const [app, setApp] = useState<Application | null>(null);
  useEffect(() => {
    call(api.GET('/admin/v1/merchant-applications/{applicationId}', { params: { path: { applicationId: id } } }))
      .then(setApp)
      .catch(showError);
  }, [id]);
  return (
    <Drawer
      open
      width={640}
      title={app?.shopName ?? tr('入驻申请', 'Application')}
      onClose={onClose}
      data-testid="application-drawer"
      extra={
        app?.status === 'pending' && (
          <Space>
            <Button type="primary" onClick={() => onReview(app, 'approve')}>
              {tr('通过', 'Approve')}
            </Button>
            <Button danger onClick={() => onReview(app, 'reject')}>
              {tr('驳回', 'Reject')}
            </Button>
          </Space>
        )
      }
    >
      {!app ? (
        <Spin />
      ) : (
        <Descriptions column={1} size="small" bordered>
          <Descriptions.Item label={tr('状态', 'Status')}>{statusTag(app.status)}</Descriptions.Item>
          {app.screening && app.screening.matches.length > 0 && (
            <Descriptions.Item label={tr('合规筛查', 'Screening')}>
              <ScreeningMatches
                type={app.screening.verdict === 'review' ? 'warning' : 'info'}
                title={app.screening.verdict === 'review' ? tr('需人工复核', 'Needs review') : tr('提示', 'Warnings')}
                matches={app.screening.matches}
                texts={{ shopName: app.shopName, companyName: app.companyName, description: app.description }}
              />
            </Descriptions.Item>
          )}
          <Descriptions.Item label={tr('公司名称', 'Company')}>{app.companyName}</Descriptions.Item>
          <Descriptions.Item label={tr('统一社会信用代码', 'Credit code')}>{app.creditCode}</Descriptions.Item>
          <Descriptions.Item label={tr('店铺名称', 'Shop')}>{app.shopName}</Descriptions.Item>
          <Descriptions.Item label={tr('主营类目', 'Category')}>{catName(app.categoryId)}</Descriptions.Item>
          <Descriptions.Item label={tr('简介', 'Description')}>{app.description || '—'}</Descriptions.Item>
          <Descriptions.Item label={tr('联系人', 'Contact')}>
            {app.contact.name} · {app.contact.phone} · {app.contact.email}
          </Descriptions.Item>
          <Descriptions.Item label={tr('登录邮箱', 'Login email')}>{app.email}</Descriptions.Item>
          <Descriptions.Item label={tr('营业执照', 'Licence')}>
            {app.licenceUrl ? <Image src={app.licenceUrl} width={240} data-testid="application-licence" /> : '—'}
          </Descriptions.Item>
          {app.reviewedAt && (
            <Descriptions.Item label={tr('审核', 'Review')}>
              {fmtTime(app.reviewedAt)} {app.reviewReason ?? ''} {app.merchantId ?? ''}
            </Descriptions.Item>
          )}
        </Descriptions>
      )}
    </Drawer>
  );
}

function ReviewDialog({ app, decision, onClose }: { app: Application; decision: 'approve' | 'reject'; onClose: (done: boolean) => void }) {
  const { tr } = useI18n();
  const [bps, setBps] = useState<number | null>(800);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const submit = async () => {
    setBusy(true);
    setError(null);
    try {
      const params = { path: { applicationId: app.id } };
      if (decision === 'approve')
        await call(
          api.POST('/admin/v1/merchant-applications/{applicationId}/approve', {
            params,
            body: { commissionBps: bps ?? 0, note: reason.trim() || undefined },
          }),
        );
      else await call(api.POST('/admin/v1/merchant-applications/{applicationId}/reject', { params, body: { reason: reason.trim() } }));
      void message.success(
        decision === 'approve' ? tr('已通过，商家账号已开通', 'Approved: the merchant account is open') : tr('已驳回', 'Rejected'),
      );
      onClose(true);
    } catch (e) {
      setError(errText(e));
    } finally {
      setBusy(false);
    }
  };
  const invalid = decision === 'approve' ? bps === null || bps < 0 || bps > 5000 : reason.trim().length < 2;
  return (
    <Modal
      open
      title={`${decision === 'approve' ? tr('通过入驻申请', 'Approve application') : tr('驳回入驻申请', 'Reject application')} · ${app.shopName}`}
      onCancel={() => onClose(false)}
      onOk={() => void submit()}
      confirmLoading={busy}
      okButtonProps={{ disabled: invalid, danger: decision === 'reject', 'data-testid': 'review-confirm' }}
      data-testid="review-dialog"
    >
      {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 12 }} data-testid="review-error" />}
      {decision === 'approve' && (
        <Form.Item label={tr('佣金（基点，800 = 8%）', 'Commission (bps, 800 = 8%)')}>
          <InputNumber
            min={0}
            max={5000}
            precision={0}
            value={bps}
            onChange={(v) => setBps(v)}
            data-testid="commission-bps"
            style={{ width: 200 }}
          />
          <span style={{ marginLeft: 8 }}>{formatBps(bps)}</span>
        </Form.Item>
      )}
      <Form.Item
        label={
          decision === 'approve' ? tr('备注（可选）', 'Note (optional)') : tr('驳回原因（申请人可见）', 'Reason (shown to the applicant)')
        }
        required={decision === 'reject'}
      >
        <Input.TextArea rows={3} value={reason} onChange={(e) => setReason(e.target.value)} data-testid="review-reason" />
      </Form.Item>
    </Modal>
  );
}
