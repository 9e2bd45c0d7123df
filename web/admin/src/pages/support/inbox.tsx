import { useCallback, useEffect, useRef, useState } from 'react';
import { Alert, Badge, Button, Card, Col, Empty, Input, List, Row, Select, Space, Table, Tag, Typography, message } from 'antd';
import { Link } from 'react-router-dom';
import { api, call, newIdempotencyKey, type Schemas } from '../../api';
import { useI18n } from '../../i18n';
import { CodeTag, PageTitle, errText, fmtTime, formatFen, showError } from '../../ui';
import { Highlighted } from '../../highlight';
import { TicketActions } from './ticket-actions';

type Ticket = Schemas['SupportTicket'];
type Msg = Schemas['SupportMessage'];

/** The inbox polls: the queue every 10 s, an open conversation every 3 s (from its last seq). */
const QUEUE_POLL_MS = 10_000;
const CHAT_POLL_MS = 3_000;

export default function SupportInboxPage() {
  const { t, tr } = useI18n();
  const [status, setStatus] = useState<'open' | 'closed'>('open');
  const [mine, setMine] = useState<'all' | 'mine' | 'escalated'>('all');
  const [items, setItems] = useState<Ticket[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(false);
  const [openId, setOpenId] = useState<string | null>(null);

  const load = useCallback(async () => {
    setLoading(true);
    try {
      const r = await call(
        api.GET('/admin/v1/support/tickets', {
          params: {
            query: { status, mine: mine === 'mine' ? 'true' : undefined, escalated: mine === 'escalated' ? 'true' : undefined, limit: 50 },
          },
        }),
      );
      setItems(r.items);
      setError(null);
    } catch (e) {
      setError(e);
    } finally {
      setLoading(false);
    }
  }, [status, mine]);

  useEffect(() => {
    void load();
    const h = setInterval(() => void load(), QUEUE_POLL_MS);
    return () => clearInterval(h);
  }, [load]);

  return (
    <div data-testid="support-inbox-page">
      <PageTitle>{t('nav.support-inbox')}</PageTitle>
      <Space style={{ marginBottom: 12 }}>
        <Select
          value={status}
          onChange={setStatus}
          style={{ width: 120 }}
          options={[
            { value: 'open', label: tr('处理中', 'Open') },
            { value: 'closed', label: tr('已关闭', 'Closed') },
          ]}
          data-testid="ticket-status-filter"
        />
        <Select
          value={mine}
          onChange={setMine}
          style={{ width: 140 }}
          options={[
            { value: 'all', label: tr('全部工单', 'All tickets') },
            { value: 'mine', label: tr('分配给我', 'Assigned to me') },
            { value: 'escalated', label: tr('升级工单', 'Escalated') },
          ]}
        />
        <Button onClick={() => void load()}>{tr('刷新', 'Refresh')}</Button>
      </Space>
      {error ? <Alert type="error" message={errText(error)} style={{ marginBottom: 12 }} /> : null}
      <Row gutter={16}>
        <Col span={openId ? 9 : 24}>
          <Table<Ticket>
            rowKey="id"
            size="small"
            loading={loading && items.length === 0}
            dataSource={items}
            pagination={false}
            onRow={(r) =>
              ({
                onClick: () => setOpenId(r.id),
                style: { cursor: 'pointer' },
                'data-testid': `ticket-row-${r.id}`,
              }) as React.HTMLAttributes<HTMLElement>
            }
            columns={[
              {
                title: tr('优先级', 'Priority'),
                dataIndex: 'priority',
                width: 70,
                render: (p: number) => <Badge count={p} showZero color={p >= 20 ? 'red' : p > 0 ? 'orange' : 'blue'} />,
              },
              { title: tr('问题', 'Question'), dataIndex: 'subject', ellipsis: true },
              {
                title: tr('来源', 'Reason'),
                dataIndex: 'reason',
                render: (v: Ticket['reason']) => <CodeTag group="ticketReason" code={v} />,
              },
              { title: 'SLA', key: 'sla', render: (_: unknown, r: Ticket) => <SlaTags t={r} /> },
              { title: t('createdAt'), dataIndex: 'createdAt', render: fmtTime },
            ]}
          />
        </Col>
        {openId && (
          <Col span={15}>
            <TicketPanel key={openId} id={openId} onChanged={() => void load()} onClose={() => setOpenId(null)} />
          </Col>
        )}
      </Row>
    </div>
  );
}

function SlaTags({ t: ticket }: { t: Ticket }) {
  const { tr } = useI18n();
  return (
    <Space size={2} wrap>
      {ticket.firstResponseBreached ? <Tag color="red">{tr('首响超时', 'First response late')}</Tag> : null}
      {ticket.resolutionBreached ? <Tag color="red">{tr('解决超时', 'Resolution late')}</Tag> : null}
      {!ticket.firstResponseBreached && !ticket.firstResponseAt && ticket.status === 'open' ? (
        <Tag color="orange">
          {tr('首响截止', 'Reply by')} {fmtTime(ticket.firstResponseDueAt)}
        </Tag>
      ) : null}
      {ticket.rating ? <Tag color="gold">{'★'.repeat(ticket.rating)}</Tag> : null}
      {ticket.escalationLevel > 0 ? (
        <Tag color="purple">
          {ticket.escalationLevel === 1 ? tr('已升级·资深', 'Escalated: senior') : tr('已升级·主管', 'Escalated: supervisor')}
        </Tag>
      ) : null}
      {ticket.compensationCouponId ? <Tag color="green">{tr('已补偿', 'Compensated')}</Tag> : null}
    </Space>
  );
}

function TicketPanel({ id, onChanged, onClose }: { id: string; onChanged: () => void; onClose: () => void }) {
  const { tr, label } = useI18n();
  const [ticket, setTicket] = useState<Ticket | null>(null);
  const [messages, setMessages] = useState<Msg[]>([]);
  const [orders, setOrders] = useState<Schemas['OrderSummary'][]>([]);
  const [history, setHistory] = useState<Ticket[]>([]);
  const [afterSales, setAfterSales] = useState<Schemas['AfterSale'][]>([]);
  const [text, setText] = useState('');
  const [asNote, setAsNote] = useState(false);
  const [canned, setCanned] = useState<Schemas['SupportCannedReply'][]>([]);
  const [busy, setBusy] = useState(false);
  const lastSeq = useRef(0);
  const bottom = useRef<HTMLDivElement>(null);

  const poll = useCallback(async () => {
    const r = await call(
      api.GET('/admin/v1/support/tickets/{ticketId}', { params: { path: { ticketId: id }, query: { after: lastSeq.current } } }),
    );
    setTicket(r.ticket);
    if (r.messages.length) {
      lastSeq.current = r.messages[r.messages.length - 1]!.seq;
      setMessages((m) => [...m, ...r.messages.filter((x) => !m.some((y) => y.id === x.id))]);
    }
    return r.ticket;
  }, [id]);

  useEffect(() => {
    let userId: string | null = null;
    void poll()
      .then(async (tk) => {
        userId = tk.userId;
        const o = await call(api.GET('/admin/v1/orders', { params: { query: { limit: 5, userId } } }));
        setOrders(o.items);
        const h = await call(api.GET('/admin/v1/support/tickets', { params: { query: { status: 'closed', userId, limit: 5 } } }));
        setHistory(h.items);
        const a = await call(api.GET('/admin/v1/after-sales', { params: { query: { userId, limit: 5 } } }));
        setAfterSales(a.items);
      })
      .catch(showError);
    const h = setInterval(() => void poll().catch(() => undefined), CHAT_POLL_MS);
    return () => clearInterval(h);
  }, [poll]);

  // Braces: newer Chromium's scrollIntoView returns a Promise, which React would call as the cleanup.
  useEffect(() => {
    bottom.current?.scrollIntoView({ block: 'end' });
  }, [messages.length]);

  useEffect(() => {
    call(api.GET('/admin/v1/support/canned-replies'))
      .then((r) => setCanned(r.items.filter((x) => x.enabled)))
      .catch(() => setCanned([]));
  }, []);

  const reply = async () => {
    if (!text.trim()) return;
    setBusy(true);
    try {
      const req = { params: { path: { ticketId: id } }, body: { text: text.trim(), clientMessageId: newIdempotencyKey() } };
      // a note stays among agents; a reply goes to the shopper
      if (asNote) await call(api.POST('/admin/v1/support/tickets/{ticketId}/notes', req));
      else await call(api.POST('/admin/v1/support/tickets/{ticketId}/replies', req));
      setText('');
      await poll();
      onChanged();
    } catch (e) {
      showError(e);
    } finally {
      setBusy(false);
    }
  };

  const close = async () => {
    try {
      await call(api.POST('/admin/v1/support/tickets/{ticketId}/close', { params: { path: { ticketId: id } } }));
      message.success(tr('工单已关闭，顾客将收到满意度评价', 'Closed; the shopper is asked for a rating'));
      await poll();
      onChanged();
    } catch (e) {
      showError(e);
    }
  };

  const assignMe = async () => {
    try {
      await call(api.POST('/admin/v1/support/tickets/{ticketId}/assign', { params: { path: { ticketId: id } }, body: {} }));
      await poll();
      onChanged();
    } catch (e) {
      showError(e);
    }
  };

  if (!ticket) return <Card loading />;
  const open = ticket.status === 'open';
  return (
    <Row gutter={12}>
      <Col span={16}>
        <Card
          size="small"
          title={
            <Space>
              <span>{ticket.subject}</span>
              <CodeTag group="ticketStatus" code={ticket.status} />
            </Space>
          }
          extra={
            <Space>
              {open && !ticket.assigneeId ? (
                <Button size="small" onClick={() => void assignMe()}>
                  {tr('领取', 'Take')}
                </Button>
              ) : null}
              {open ? (
                <Button size="small" danger onClick={() => void close()} data-testid="ticket-close">
                  {tr('关闭工单', 'Close ticket')}
                </Button>
              ) : null}
              <Button size="small" onClick={onClose}>
                ×
              </Button>
            </Space>
          }
        >
          <div style={{ marginBottom: 8 }}>
            <TicketActions
              ticket={ticket}
              onDone={() => {
                void poll();
                onChanged();
              }}
            />
          </div>
          <div style={{ height: 380, overflowY: 'auto', background: '#fafafa', padding: 8 }} data-testid="ticket-messages">
            {messages.map((m) => (
              <div key={m.id} style={{ textAlign: m.sender === 'shopper' ? 'left' : 'right', margin: '6px 0' }}>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {label('messageSender', m.sender)} · {fmtTime(m.createdAt)}
                </Typography.Text>
                <div
                  style={{
                    display: 'inline-block',
                    maxWidth: '80%',
                    marginLeft: 8,
                    padding: '6px 10px',
                    borderRadius: 8,
                    background:
                      m.sender === 'shopper' ? '#fff' : m.sender === 'agent' ? '#e6f4ff' : m.sender === 'note' ? '#fffbe6' : '#f0f0f0',
                    whiteSpace: 'pre-wrap',
                  }}
                >
                  {m.screen ? <Highlighted text={m.body} matches={m.screen.matches} /> : m.body}
                </div>
                {m.screen ? (
                  <Tag color={m.screen.verdict === 'block' ? 'red' : 'orange'} style={{ marginLeft: 4 }} data-testid="message-screen-tag">
                    {m.screen.matches.map((x) => x.hint ?? x.term).join('；')}
                  </Tag>
                ) : null}
              </div>
            ))}
            <div ref={bottom} />
          </div>
          {open ? (
            <>
              {canned.length > 0 && (
                <Select
                  style={{ width: '100%', marginTop: 8 }}
                  placeholder={tr('快捷回复', 'Canned replies')}
                  value={null}
                  onChange={(v: string) => setText((x) => (x ? `${x}\n` : '') + (canned.find((c) => c.id === v)?.body ?? ''))}
                  options={canned.map((c) => ({ value: c.id, label: c.title }))}
                  data-testid="ticket-canned"
                />
              )}
              <Space.Compact style={{ width: '100%', marginTop: 8 }}>
                <Select
                  value={asNote ? 'note' : 'reply'}
                  onChange={(v) => setAsNote(v === 'note')}
                  style={{ width: 110 }}
                  options={[
                    { value: 'reply', label: tr('回复顾客', 'Reply') },
                    { value: 'note', label: tr('内部备注', 'Note') },
                  ]}
                  data-testid="ticket-reply-kind"
                />
                <Input.TextArea
                  value={text}
                  onChange={(e) => setText(e.target.value)}
                  autoSize={{ minRows: 1, maxRows: 4 }}
                  maxLength={2000}
                  placeholder={tr('回复顾客…', 'Reply to the shopper…')}
                  onPressEnter={(e) => {
                    if (!e.shiftKey) {
                      e.preventDefault();
                      void reply();
                    }
                  }}
                  data-testid="ticket-reply-input"
                />
                <Button type="primary" loading={busy} onClick={() => void reply()} data-testid="ticket-reply-send">
                  {tr('发送', 'Send')}
                </Button>
              </Space.Compact>
            </>
          ) : null}
        </Card>
      </Col>
      <Col span={8}>
        <Card size="small" title={tr('顾客订单', "Shopper's orders")}>
          {orders.length === 0 ? (
            <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} />
          ) : (
            <List
              size="small"
              dataSource={orders}
              renderItem={(o) => (
                <List.Item>
                  <Space direction="vertical" size={0}>
                    <Link to={`/orders/${o.id}`}>{o.orderNo}</Link>
                    <span>
                      {formatFen(o.payableTotal)} · <CodeTag group="orderStatus" code={o.status} />
                    </span>
                    {o.id === ticket.orderId ? <Tag color="blue">{tr('咨询的订单', 'Asked about')}</Tag> : null}
                  </Space>
                </List.Item>
              )}
            />
          )}
        </Card>
        <Card size="small" title={tr('售后记录', 'After-sales')} style={{ marginTop: 12 }} data-testid="ticket-aftersales">
          {afterSales.length === 0 ? (
            <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} />
          ) : (
            <List
              size="small"
              dataSource={afterSales}
              renderItem={(a) => (
                <List.Item>
                  <Space direction="vertical" size={0}>
                    <Link to={`/orders/${a.orderId}`}>
                      <CodeTag group="afterSaleType" code={a.type} /> {a.reason}
                    </Link>
                    <span>
                      {formatFen(a.refundAmount)} · <CodeTag group="afterSaleStatus" code={a.status} />
                    </span>
                  </Space>
                </List.Item>
              )}
            />
          )}
        </Card>
        <Card size="small" title={tr('历史工单', 'Previous tickets')} style={{ marginTop: 12 }}>
          {history.length === 0 ? (
            <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} />
          ) : (
            <List
              size="small"
              dataSource={history}
              renderItem={(h) => (
                <List.Item>
                  <Space direction="vertical" size={0}>
                    <span>{h.subject}</span>
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {fmtTime(h.closedAt)} {h.rating ? '★'.repeat(h.rating) : ''}
                    </Typography.Text>
                  </Space>
                </List.Item>
              )}
            />
          )}
        </Card>
        <Card size="small" title="SLA" style={{ marginTop: 12 }}>
          <div>
            {tr('首次响应截止', 'First response due')}: {fmtTime(ticket.firstResponseDueAt)}
          </div>
          <div>
            {tr('解决截止', 'Resolution due')}: {fmtTime(ticket.resolutionDueAt)}
          </div>
          <SlaTags t={ticket} />
        </Card>
      </Col>
    </Row>
  );
}
