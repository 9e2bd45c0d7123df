import { useCallback, useEffect, useState } from 'react';
import { Alert, Button, Descriptions, Drawer, Form, Image, Input, Modal, Select, Space, Spin, Table, message } from 'antd';
import { Link } from 'react-router-dom';
import { api, call, type Schemas } from '../api';
import { useI18n } from '../i18n';
import { CodeTag, PageTitle, Pager, errText, fmtTime, formatFen, showError, useCursorList } from '../ui';

type AS = Schemas['AfterSale'];

export default function AfterSalesPage() {
  const { tr, t, label, labelOptions } = useI18n();
  const [filters, setFilters] = useState<{ status?: AS['status']; type?: AS['type']; orderId?: string }>({});
  const fetchPage = useCallback(
    (cursor: string | undefined) => call(api.GET('/admin/v1/after-sales', { params: { query: { limit: 20, cursor, ...filters } } })),
    [filters],
  );
  const list = useCursorList<AS>(fetchPage);
  const [open, setOpen] = useState<string | null>(null);
  const [form] = Form.useForm();
  return (
    <div data-testid="aftersales-page">
      <PageTitle>{t('nav.aftersales')}</PageTitle>
      <Form
        form={form}
        layout="inline"
        style={{ marginBottom: 16, rowGap: 8 }}
        onFinish={(v) => setFilters({ status: v.status, type: v.type, orderId: v.orderId?.trim() || undefined })}
      >
        <Form.Item name="status" label={t('status')}>
          <Select allowClear style={{ width: 140 }} options={labelOptions('afterSaleStatus')} data-testid="filter-aftersale-status" />
        </Form.Item>
        <Form.Item name="type" label={tr('类型', 'Type')}>
          <Select allowClear style={{ width: 140 }} options={labelOptions('afterSaleType')} />
        </Form.Item>
        <Form.Item name="orderId" label={tr('订单 ID', 'Order id')}>
          <Input allowClear />
        </Form.Item>
        <Form.Item>
          <Button type="primary" htmlType="submit">
            {t('search')}
          </Button>
        </Form.Item>
      </Form>
      {list.error ? <Alert type="error" message={errText(list.error)} style={{ marginBottom: 12 }} /> : null}
      <Table<AS>
        rowKey="id"
        loading={list.loading}
        dataSource={list.items}
        pagination={false}
        onRow={(r) => ({ 'data-testid': `aftersale-row-${r.id}` }) as React.HTMLAttributes<HTMLElement>}
        columns={[
          {
            title: 'ID',
            dataIndex: 'id',
            render: (v: string) => (
              <a onClick={() => setOpen(v)} data-testid={`aftersale-open-${v}`}>
                {v}
              </a>
            ),
          },
          { title: tr('订单', 'Order'), dataIndex: 'orderId', render: (v: string) => <Link to={`/orders/${v}`}>{v}</Link> },
          { title: tr('类型', 'Type'), dataIndex: 'type', render: (v: AS['type']) => label('afterSaleType', v) },
          { title: tr('原因', 'Reason'), dataIndex: 'reason' },
          { title: tr('退款金额', 'Refund'), dataIndex: 'refundAmount', render: formatFen },
          { title: t('status'), dataIndex: 'status', render: (s: AS['status']) => <CodeTag group="afterSaleStatus" code={s} /> },
          { title: t('createdAt'), dataIndex: 'createdAt', render: fmtTime },
        ]}
      />
      <Pager list={list} />
      {open && (
        <AfterSaleDrawer
          id={open}
          onClose={(changed) => {
            setOpen(null);
            if (changed) void list.reload();
          }}
        />
      )}
    </div>
  );
}

function AfterSaleDrawer({ id, onClose }: { id: string; onClose: (changed: boolean) => void }) {
  const { tr, label } = useI18n();
  const [as, setAs] = useState<AS | null>(null);
  const [changed, setChanged] = useState(false);
  const [rejecting, setRejecting] = useState(false);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    call(api.GET('/admin/v1/after-sales/{afterSaleId}', { params: { path: { afterSaleId: id } } }))
      .then(setAs)
      .catch(showError);
  }, [id]);
  const review = async (decision: 'approve' | 'reject', why?: string) => {
    setBusy(true);
    try {
      setAs(
        await call(
          api.POST('/admin/v1/after-sales/{afterSaleId}/review', {
            params: { path: { afterSaleId: id } },
            body: { decision, reason: why },
          }),
        ),
      );
      setChanged(true);
      setRejecting(false);
      void message.success(decision === 'approve' ? tr('已同意', 'Approved') : tr('已拒绝', 'Rejected'));
    } catch (e) {
      showError(e);
    } finally {
      setBusy(false);
    }
  };
  const receive = async () => {
    setBusy(true);
    try {
      setAs(await call(api.POST('/admin/v1/after-sales/{afterSaleId}/receive-return', { params: { path: { afterSaleId: id } } })));
      setChanged(true);
      void message.success(tr('已确认收货并退款', 'Return received; refund started'));
    } catch (e) {
      showError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Drawer
      open
      width={680}
      title={tr('售后详情', 'After-sale')}
      onClose={() => onClose(changed)}
      data-testid="aftersale-drawer"
      extra={
        as && (
          <Space>
            {as.status === 'requested' && (
              <Button type="primary" loading={busy} onClick={() => void review('approve')} data-testid="aftersale-approve">
                {as.type === 'refund_only' ? tr('同意并退款', 'Approve & refund') : tr('同意', 'Approve')}
              </Button>
            )}
            {as.status === 'requested' && (
              <Button danger onClick={() => setRejecting(true)} data-testid="aftersale-reject">
                {tr('拒绝', 'Reject')}
              </Button>
            )}
            {(as.status === 'returning' || as.status === 'approved') && as.type !== 'refund_only' && (
              <Button loading={busy} onClick={() => void receive()} data-testid="aftersale-receive">
                {tr('确认收到退货', 'Return received')}
              </Button>
            )}
          </Space>
        )
      }
    >
      {!as ? (
        <Spin />
      ) : (
        <>
          <Descriptions column={2} size="small" bordered>
            <Descriptions.Item label="ID">{as.id}</Descriptions.Item>
            <Descriptions.Item label={tr('状态', 'Status')}>
              <span data-testid="aftersale-status">{label('afterSaleStatus', as.status)}</span>
            </Descriptions.Item>
            <Descriptions.Item label={tr('类型', 'Type')}>{label('afterSaleType', as.type)}</Descriptions.Item>
            <Descriptions.Item label={tr('订单', 'Order')}>
              <Link to={`/orders/${as.orderId}`}>{as.orderId}</Link>
            </Descriptions.Item>
            <Descriptions.Item label={tr('原因', 'Reason')} span={2}>
              {as.reason}
            </Descriptions.Item>
            <Descriptions.Item label={tr('说明', 'Description')} span={2}>
              {as.description || '—'}
            </Descriptions.Item>
            <Descriptions.Item label={tr('退款金额', 'Refund')}>{formatFen(as.refundAmount)}</Descriptions.Item>
            <Descriptions.Item label={tr('运费退款', 'Shipping refund')}>{formatFen(as.shippingRefund)}</Descriptions.Item>
            {as.rejectReason && (
              <Descriptions.Item label={tr('拒绝原因', 'Reject reason')} span={2}>
                {as.rejectReason}
              </Descriptions.Item>
            )}
            {as.returnTrackingNo && (
              <Descriptions.Item label={tr('退货物流', 'Return shipment')} span={2}>
                {as.returnCarrier} {as.returnTrackingNo}
              </Descriptions.Item>
            )}
            {as.refund && (
              <Descriptions.Item label={tr('退款单', 'Refund')} span={2}>
                {as.refund.outRefundNo} · {label('refundStatus', as.refund.status)} · {formatFen(as.refund.amount)}{' '}
                {fmtTime(as.refund.succeededAt)}
              </Descriptions.Item>
            )}
          </Descriptions>
          <Table
            size="small"
            style={{ marginTop: 16 }}
            rowKey="id"
            pagination={false}
            dataSource={as.lines}
            columns={[
              { title: tr('商品', 'Item'), render: (_, l) => `${l.title} ${l.specKey}` },
              { title: tr('数量', 'Qty'), dataIndex: 'quantity' },
              { title: tr('金额', 'Amount'), dataIndex: 'amount', render: formatFen },
            ]}
          />
          {as.photos.length > 0 && (
            <Image.PreviewGroup>
              {as.photos.map((p) => (
                <Image key={p.key} src={p.url} width={96} style={{ marginTop: 16, marginRight: 8 }} />
              ))}
            </Image.PreviewGroup>
          )}
        </>
      )}
      <Modal
        open={rejecting}
        title={tr('拒绝售后', 'Reject')}
        onCancel={() => setRejecting(false)}
        onOk={() => void review('reject', reason)}
        confirmLoading={busy}
        okButtonProps={{ disabled: !reason.trim(), 'data-testid': 'aftersale-reject-confirm' }}
      >
        <Input.TextArea
          rows={3}
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          placeholder={tr('拒绝原因（必填）', 'Reason (required)')}
          data-testid="aftersale-reject-reason"
        />
      </Modal>
    </Drawer>
  );
}
