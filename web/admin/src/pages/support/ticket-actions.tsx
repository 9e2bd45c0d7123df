// The agent's tools beside the chat: 升级, 补偿券 (within their limit) and 代客申请售后 on the
// ticket's order. Each is a staff write the audit log records; the shopper is told in the chat.
import { useCallback, useEffect, useState } from 'react';
import { Button, Form, Input, InputNumber, Modal, Select, Space, Table, message } from 'antd';
import { api, call, newIdempotencyKey, type Schemas } from '../../api';
import { useI18n } from '../../i18n';
import { formatFen, showError } from '../../ui';

type Ticket = Schemas['SupportTicket'];

export function TicketActions({ ticket, onDone }: { ticket: Ticket; onDone: () => void }) {
  const { tr } = useI18n();
  const [open, setOpen] = useState<'escalate' | 'compensate' | 'aftersale' | null>(null);
  const cancel = useCallback(() => setOpen(null), []);
  const done = () => {
    setOpen(null);
    onDone();
  };
  if (ticket.status !== 'open') return null;
  return (
    <Space size={4} wrap>
      {ticket.escalationLevel < 2 ? (
        <Button size="small" onClick={() => setOpen('escalate')} data-testid="ticket-escalate">
          {tr('升级', 'Escalate')}
        </Button>
      ) : null}
      {!ticket.compensationCouponId ? (
        <Button size="small" onClick={() => setOpen('compensate')} data-testid="ticket-compensate">
          {tr('补偿券', 'Compensate')}
        </Button>
      ) : null}
      {ticket.orderId ? (
        <Button size="small" onClick={() => setOpen('aftersale')} data-testid="ticket-aftersale">
          {tr('代客售后', 'After-sale')}
        </Button>
      ) : null}
      {open === 'escalate' && <EscalateModal ticket={ticket} onClose={cancel} onDone={done} />}
      {open === 'compensate' && <CompensateModal ticket={ticket} onClose={cancel} onDone={done} />}
      {open === 'aftersale' && <AfterSaleModal ticket={ticket} onClose={cancel} onDone={done} />}
    </Space>
  );
}

interface ModalProps {
  ticket: Ticket;
  onClose: () => void;
  onDone: () => void;
}

function EscalateModal({ ticket, onClose, onDone }: ModalProps) {
  const { tr } = useI18n();
  const [form] = Form.useForm<{ level: number; reason: string }>();
  const [busy, setBusy] = useState(false);
  const submit = async () => {
    const v = await form.validateFields();
    setBusy(true);
    try {
      await call(api.POST('/admin/v1/support/tickets/{ticketId}/escalate', { params: { path: { ticketId: ticket.id } }, body: v }));
      message.success(tr('已升级，工单回到队列顶部', 'Escalated to the top of the queue'));
      onDone();
    } catch (e) {
      showError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal open title={tr('升级工单', 'Escalate ticket')} onCancel={onClose} onOk={() => void submit()} confirmLoading={busy}>
      <Form form={form} layout="vertical" initialValues={{ level: ticket.escalationLevel + 1 }}>
        <Form.Item name="level" label={tr('升级到', 'To')} rules={[{ required: true }]}>
          <Select
            options={[
              { value: 1, label: tr('资深客服', 'Senior agent'), disabled: ticket.escalationLevel >= 1 },
              { value: 2, label: tr('主管', 'Supervisor') },
            ]}
          />
        </Form.Item>
        <Form.Item name="reason" label={tr('原因（内部备注）', 'Reason (internal note)')} rules={[{ required: true, min: 2, max: 200 }]}>
          <Input.TextArea rows={2} data-testid="escalate-reason" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function CompensateModal({ ticket, onClose, onDone }: ModalProps) {
  const { tr } = useI18n();
  const [form] = Form.useForm<{ templateId: string; reason: string }>();
  const [offer, setOffer] = useState<Schemas['CompensationCouponList'] | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    call(api.GET('/admin/v1/support/compensation-coupons'))
      .then(setOffer)
      .catch((e) => {
        showError(e);
        onClose();
      });
  }, [onClose]);
  const submit = async () => {
    const v = await form.validateFields();
    setBusy(true);
    try {
      await call(api.POST('/admin/v1/support/tickets/{ticketId}/compensation', { params: { path: { ticketId: ticket.id } }, body: v }));
      message.success(tr('补偿券已发放，顾客会在对话中看到', 'Coupon issued; the shopper is told in the chat'));
      onDone();
    } catch (e) {
      showError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal open title={tr('发放补偿券', 'Issue a compensation coupon')} onCancel={onClose} onOk={() => void submit()} confirmLoading={busy}>
      <p>
        {tr('每个工单一张；你的单张额度：', 'One per ticket; your limit per coupon: ')}
        {offer ? formatFen(offer.limit) : '…'}
      </p>
      <Form form={form} layout="vertical">
        <Form.Item name="templateId" label={tr('优惠券', 'Coupon')} rules={[{ required: true }]}>
          <Select
            loading={!offer}
            data-testid="compensate-template"
            notFoundContent={tr('没有额度内可发放的券（需开通定向发放渠道）', 'No issuable coupon within your limit')}
            options={(offer?.items ?? []).map((t) => ({ value: t.id, label: `${t.name} · ${t.label} · ${formatFen(t.worth)}` }))}
          />
        </Form.Item>
        <Form.Item name="reason" label={tr('原因', 'Reason')} rules={[{ required: true, min: 2, max: 200 }]}>
          <Input placeholder={tr('如：物流延误补偿', 'e.g. late delivery')} data-testid="compensate-reason" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function AfterSaleModal({ ticket, onClose, onDone }: ModalProps) {
  const { tr, labelOptions } = useI18n();
  const [form] = Form.useForm<{ type: 'refund_only' | 'return_refund' | 'exchange'; reason: string; description?: string }>();
  const [order, setOrder] = useState<Schemas['OrderDetail'] | null>(null);
  const [qty, setQty] = useState<Record<string, number>>({});
  const [busy, setBusy] = useState(false);
  // one key per opened dialog: a retried submit files the same after-sale
  const [key] = useState(newIdempotencyKey);
  useEffect(() => {
    if (!ticket.orderId) return;
    call(api.GET('/admin/v1/orders/{orderId}', { params: { path: { orderId: ticket.orderId } } }))
      .then(setOrder)
      .catch((e) => {
        showError(e);
        onClose();
      });
  }, [ticket.orderId, onClose]);
  const submit = async () => {
    const v = await form.validateFields();
    const lines = Object.entries(qty)
      .filter(([, n]) => n > 0)
      .map(([orderLineId, quantity]) => ({ orderLineId, quantity }));
    if (!lines.length) return void message.warning(tr('请选择商品数量', 'Choose the units'));
    setBusy(true);
    try {
      await call(
        api.POST('/admin/v1/support/tickets/{ticketId}/after-sales', {
          params: { path: { ticketId: ticket.id }, header: { 'idempotency-key': key } },
          body: { ...v, description: v.description ?? '', lines },
        }),
      );
      message.success(tr('售后申请已提交', 'After-sale filed'));
      onDone();
    } catch (e) {
      showError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal
      open
      width={640}
      title={tr('代顾客申请售后', 'File an after-sale for the shopper')}
      onCancel={onClose}
      onOk={() => void submit()}
      confirmLoading={busy}
    >
      <Form form={form} layout="vertical" initialValues={{ type: 'refund_only' }}>
        <Form.Item name="type" label={tr('类型', 'Type')} rules={[{ required: true }]}>
          <Select options={labelOptions('afterSaleType')} />
        </Form.Item>
        <Form.Item name="reason" label={tr('原因', 'Reason')} rules={[{ required: true, max: 50 }]}>
          <Input placeholder={tr('如：质量问题', 'e.g. quality problem')} />
        </Form.Item>
        <Form.Item name="description" label={tr('说明', 'Description')} rules={[{ max: 500 }]}>
          <Input.TextArea rows={2} />
        </Form.Item>
      </Form>
      <Table
        size="small"
        rowKey="id"
        loading={!order}
        pagination={false}
        dataSource={order?.lines ?? []}
        columns={[
          { title: tr('商品', 'Item'), dataIndex: 'title' },
          { title: tr('已购', 'Bought'), dataIndex: 'quantity', width: 70 },
          {
            title: tr('售后数量', 'Units'),
            width: 110,
            render: (_: unknown, l: Schemas['OrderDetail']['lines'][number]) => (
              <InputNumber min={0} max={l.quantity} value={qty[l.id] ?? 0} onChange={(n) => setQty((q) => ({ ...q, [l.id]: n ?? 0 }))} />
            ),
          },
        ]}
      />
    </Modal>
  );
}
