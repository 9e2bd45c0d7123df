import { useCallback, useState } from 'react';
import { Alert, Button, Card, Col, Descriptions, Form, Input, InputNumber, Radio, Row, Segmented, Table, Tag, message } from 'antd';
import { api, call, newIdempotencyKey, type Schemas } from '../../api';
import { useI18n } from '../../i18n';
import { MoneyInput, PageTitle, Pager, errText, fmtTime, formatFen, showError, useCursorList } from '../../ui';

type Account = Schemas['MemberAccount'];
type Entry = Schemas['PointsEntry'];

const REASONS: Record<string, [string, string]> = {
  order: ['购物奖励', 'Order'],
  review: ['评价奖励', 'Review'],
  checkin: ['签到', 'Check-in'],
  task: ['任务', 'Task'],
  invite: ['邀请', 'Invite'],
  referral_rebate: ['邀请返现', 'Referral rebate'],
  adjust: ['人工调整', 'Adjustment'],
  mall: ['积分商城', 'Points mall'],
  checkout: ['下单抵扣', 'Checkout'],
  checkout_refund: ['订单退回', 'Returned'],
  expire: ['过期', 'Expired'],
  birthday: ['生日礼', 'Birthday'],
  lottery_draw: ['抽奖消耗', 'Lottery draw'],
  lottery_prize: ['抽奖奖励', 'Lottery prize'],
};

/** 积分/余额调整: find a shopper, see both ledgers, add or take away points or balance with a reason (audit-logged). */
export default function PointsAdjustPage() {
  const { tr } = useI18n();
  const [q, setQ] = useState('');
  const [account, setAccount] = useState<Account | null>(null);
  const [lookupError, setLookupError] = useState<unknown>(null);
  const [version, setVersion] = useState(0);

  const find = async (query = q) => {
    const v = query.trim();
    if (!v) return;
    try {
      setAccount(await call(api.GET('/admin/v1/members/lookup', { params: { query: { q: v } } })));
      setLookupError(null);
    } catch (e) {
      setAccount(null);
      setLookupError(e);
    }
  };
  const refresh = async () => {
    if (account) await find(account.userId);
    setVersion((n) => n + 1);
  };

  return (
    <div data-testid="points-adjust-page">
      <PageTitle>{tr('积分/余额调整', 'Points & balance')}</PageTitle>
      <Input.Search
        placeholder={tr('会员手机号或用户ID（usr_…）', 'Phone number or user id (usr_…)')}
        enterButton={tr('查询', 'Find')}
        style={{ maxWidth: 420, marginBottom: 16 }}
        value={q}
        onChange={(e) => setQ(e.target.value)}
        onSearch={(v) => void find(v)}
        data-testid="member-lookup"
      />
      {lookupError ? <Alert type="error" message={errText(lookupError)} style={{ marginBottom: 16 }} /> : null}
      {account && (
        <>
          <Descriptions bordered size="small" column={3} style={{ marginBottom: 16 }} data-testid="member-account">
            <Descriptions.Item label={tr('会员', 'Shopper')}>
              {account.nickname} {account.phoneMasked ? <Tag>{account.phoneMasked}</Tag> : null}
              <div style={{ color: '#999', fontSize: 12 }}>{account.userId}</div>
            </Descriptions.Item>
            <Descriptions.Item label={tr('积分', 'Points')}>
              <span data-testid="member-points">{account.points}</span>
              {account.expiring ? (
                <div style={{ color: '#d46b08', fontSize: 12 }}>
                  {tr(
                    `${account.expiring.points} 积分将于 ${account.expiring.lastDay} 后过期`,
                    `${account.expiring.points} expire after ${account.expiring.lastDay}`,
                  )}
                </div>
              ) : null}
            </Descriptions.Item>
            <Descriptions.Item label={tr('余额', 'Balance')}>
              <span data-testid="member-balance">{formatFen(account.balance)}</span>
            </Descriptions.Item>
          </Descriptions>
          <Row gutter={16}>
            <Col span={12}>
              <AdjustCard kind="points" userId={account.userId} onDone={refresh} />
              <LedgerCard kind="points" userId={account.userId} version={version} />
            </Col>
            <Col span={12}>
              <AdjustCard kind="balance" userId={account.userId} onDone={refresh} />
              <LedgerCard kind="balance" userId={account.userId} version={version} />
            </Col>
          </Row>
        </>
      )}
    </div>
  );
}

function AdjustCard({ kind, userId, onDone }: { kind: 'points' | 'balance'; userId: string; onDone: () => Promise<void> }) {
  const { tr } = useI18n();
  const [form] = Form.useForm<{ dir: 'add' | 'sub'; amount: number | null; reason: string }>();
  const [busy, setBusy] = useState(false);
  const submit = async () => {
    const v = await form.validateFields();
    const amount = v.amount ?? 0;
    const delta = v.dir === 'add' ? amount : -amount;
    setBusy(true);
    // One ref per submission: a double click or a retry after a timeout adjusts once.
    const ref = newIdempotencyKey();
    try {
      if (kind === 'points')
        await call(api.POST('/admin/v1/users/{userId}/points', { params: { path: { userId } }, body: { delta, reason: v.reason, ref } }));
      else
        await call(api.POST('/admin/v1/users/{userId}/wallet', { params: { path: { userId } }, body: { delta, reason: v.reason, ref } }));
      void message.success(tr('已调整', 'Adjusted'));
      form.resetFields();
      await onDone();
    } catch (e) {
      showError(e);
    } finally {
      setBusy(false);
    }
  };
  const t = kind === 'points' ? 'points' : 'balance';
  return (
    <Card
      size="small"
      title={kind === 'points' ? tr('调整积分', 'Adjust points') : tr('调整余额', 'Adjust balance')}
      style={{ marginBottom: 16 }}
    >
      <Form form={form} layout="inline" initialValues={{ dir: 'add' }} data-testid={`adjust-${t}`}>
        <Form.Item name="dir">
          <Radio.Group data-testid={`adjust-${t}-dir`}>
            <Radio.Button value="add">{tr('增加', 'Add')}</Radio.Button>
            <Radio.Button value="sub">{tr('扣减', 'Take away')}</Radio.Button>
          </Radio.Group>
        </Form.Item>
        <Form.Item name="amount" rules={[{ required: true, message: tr('请输入数量', 'required') }]}>
          {kind === 'points' ? (
            <InputNumber min={1} max={10000000} precision={0} placeholder={tr('积分', 'points')} data-testid={`adjust-${t}-amount`} />
          ) : (
            <MoneyInput testId={`adjust-${t}-amount`} style={{ width: 140 }} />
          )}
        </Form.Item>
        <Form.Item name="reason" rules={[{ required: true, whitespace: true, message: tr('请填写原因', 'a reason is required') }]}>
          <Input
            maxLength={100}
            placeholder={tr('原因（必填，记入操作日志）', 'Reason (required, audit-logged)')}
            data-testid={`adjust-${t}-reason`}
          />
        </Form.Item>
        <Form.Item>
          <Button type="primary" loading={busy} onClick={() => void submit()} data-testid={`adjust-${t}-submit`}>
            {tr('提交', 'Submit')}
          </Button>
        </Form.Item>
      </Form>
    </Card>
  );
}

function LedgerCard({ kind, userId, version }: { kind: 'points' | 'balance'; userId: string; version: number }) {
  const { tr, lang } = useI18n();
  const [type, setType] = useState<'all' | 'earn' | 'spend'>('all');
  const fetchPage = useCallback(
    (cursor: string | undefined) =>
      kind === 'points'
        ? call(api.GET('/admin/v1/users/{userId}/points', { params: { path: { userId }, query: { type, limit: 10, cursor } } }))
        : call(api.GET('/admin/v1/users/{userId}/wallet', { params: { path: { userId }, query: { type, limit: 10, cursor } } })),
    [kind, userId, type, version], // eslint-disable-line react-hooks/exhaustive-deps
  );
  const list = useCursorList<Entry>(fetchPage);
  const reasonText = (r: string) => REASONS[r]?.[lang === 'zh' ? 0 : 1] ?? r;
  return (
    <Card
      size="small"
      title={kind === 'points' ? tr('积分明细', 'Points ledger') : tr('余额明细', 'Balance ledger')}
      extra={
        <Segmented
          size="small"
          value={type}
          onChange={(v) => setType(v as typeof type)}
          options={[
            { label: tr('全部', 'All'), value: 'all' },
            { label: tr('获得', 'Earned'), value: 'earn' },
            { label: tr('使用', 'Spent'), value: 'spend' },
          ]}
        />
      }
    >
      {list.error ? <Alert type="error" message={errText(list.error)} /> : null}
      <Table<Entry>
        rowKey="id"
        size="small"
        loading={list.loading}
        dataSource={list.items}
        pagination={false}
        data-testid={`ledger-${kind}`}
        columns={[
          { title: tr('时间', 'Time'), dataIndex: 'createdAt', render: fmtTime, width: 150 },
          {
            title: tr('来源', 'Source'),
            dataIndex: 'reason',
            render: (r: string, e) => (
              <span>
                {reasonText(r)}
                {e.note ? <span style={{ color: '#999' }}> · {e.note}</span> : null}
              </span>
            ),
          },
          {
            title: kind === 'points' ? tr('积分', 'Points') : tr('金额', 'Amount'),
            dataIndex: 'delta',
            align: 'right',
            render: (d: number) => (
              <span style={{ color: d > 0 ? '#cf1322' : undefined }}>
                {d > 0 ? '+' : ''}
                {kind === 'points' ? d : formatFen(d)}
              </span>
            ),
          },
        ]}
      />
      <Pager list={list} />
    </Card>
  );
}
