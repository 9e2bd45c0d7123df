import { useCallback, useEffect, useState } from 'react';
import { Alert, Button, Card, Descriptions, Empty, Form, Input, InputNumber, Modal, Select, Space, Table, Tag } from 'antd';
import { useNavigate, useParams } from 'react-router-dom';
import { api, call, type Schemas } from '../../api';
import { useAuth } from '../../auth';
import { useI18n } from '../../i18n';
import { CodeTag, PageTitle, errText, fmtTime, formatFen, showError } from '../../ui';
import { TierBadge } from './tiers';

type Detail = Schemas['MemberDetail'];
type Found = Schemas['MemberSearchResult']['items'][number];

/** 会员查询: find a shopper by id, phone or nickname; their tier, growth, history; set a tier or adjust growth (with a reason). */
export default function MemberLookupPage() {
  const { tr, t } = useI18n();
  const { userId } = useParams();
  const navigate = useNavigate();
  const [q, setQ] = useState('');
  const [found, setFound] = useState<Found[] | null>(null);
  const [searching, setSearching] = useState(false);

  const search = async () => {
    if (!q.trim()) return;
    setSearching(true);
    try {
      const r = await call(api.GET('/admin/v1/member-search', { params: { query: { q: q.trim() } } }));
      setFound(r.items);
      if (r.items.length === 1) navigate(`/member-lookup/${r.items[0]!.id}`);
    } catch (e) {
      showError(e);
    } finally {
      setSearching(false);
    }
  };

  return (
    <div data-testid="member-lookup-page">
      <PageTitle>{t('nav.member-lookup')}</PageTitle>
      <Space.Compact style={{ width: 520, marginBottom: 16 }}>
        <Input
          value={q}
          allowClear
          data-testid="member-search-input"
          placeholder={tr('用户ID、手机号或昵称', 'User id, phone or nickname')}
          onChange={(e) => setQ(e.target.value)}
          onPressEnter={() => void search()}
        />
        <Button type="primary" loading={searching} data-testid="member-search" onClick={() => void search()}>
          {t('search')}
        </Button>
      </Space.Compact>
      {found && found.length !== 1 && (
        <Table<Found>
          rowKey="id"
          size="small"
          pagination={false}
          dataSource={found}
          locale={{ emptyText: <Empty description={tr('没有找到会员', 'No shopper found')} /> }}
          columns={[
            {
              title: tr('昵称', 'Nickname'),
              dataIndex: 'nickname',
              render: (v: string, r) => <a onClick={() => navigate(`/member-lookup/${r.id}`)}>{v}</a>,
            },
            { title: tr('手机号', 'Phone'), dataIndex: 'phoneMasked' },
            { title: tr('等级', 'Tier'), dataIndex: 'tierName' },
            { title: tr('成长值', 'Growth'), dataIndex: 'growth' },
            { title: t('createdAt'), dataIndex: 'createdAt', render: fmtTime },
          ]}
          style={{ marginBottom: 16 }}
        />
      )}
      {userId && <MemberDetailView userId={userId} />}
    </div>
  );
}

function MemberDetailView({ userId }: { userId: string }) {
  const { tr, label } = useI18n();
  const { can } = useAuth();
  const writable = can('members.write');
  const [d, setD] = useState<Detail | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [dialog, setDialog] = useState<'tier' | 'growth' | null>(null);
  const load = useCallback(async () => {
    try {
      setD(await call(api.GET('/admin/v1/users/{userId}/membership', { params: { path: { userId } } })));
      setError(null);
    } catch (e) {
      setError(e);
    }
  }, [userId]);
  useEffect(() => void load(), [load]);
  if (error) return <Alert type="error" message={errText(error)} />;
  if (!d) return null;

  return (
    <Space direction="vertical" style={{ width: '100%' }} size="large" data-testid="member-detail">
      <Card
        title={
          <Space>
            {d.user.nickname}
            {d.tier && <TierBadge icon={d.tier.icon} name={d.tier.name} />}
          </Space>
        }
        extra={
          writable && (
            <Space>
              <Button data-testid="member-set-tier" onClick={() => setDialog('tier')}>
                {tr('调整等级', 'Set tier')}
              </Button>
              <Button data-testid="member-adjust-growth" onClick={() => setDialog('growth')}>
                {tr('调整成长值', 'Adjust growth')}
              </Button>
            </Space>
          )
        }
      >
        <Descriptions column={3} size="small">
          <Descriptions.Item label={tr('用户ID', 'User id')}>{d.user.id}</Descriptions.Item>
          <Descriptions.Item label={tr('手机号', 'Phone')}>{d.user.phoneMasked ?? '—'}</Descriptions.Item>
          <Descriptions.Item label={tr('注册时间', 'Registered')}>{fmtTime(d.user.createdAt)}</Descriptions.Item>
          <Descriptions.Item label={tr('生日', 'Birthday')}>{d.user.birthday ?? '—'}</Descriptions.Item>
          <Descriptions.Item label={tr('性别', 'Gender')}>{d.user.gender ? label('gender', d.user.gender) : '—'}</Descriptions.Item>
          <Descriptions.Item label={tr('客服优先级', 'Support priority')}>{d.supportPriority}</Descriptions.Item>
          <Descriptions.Item label={tr('成长值', 'Growth')}>
            <span data-testid="member-detail-growth">{d.growth}</span>
            {tr(
              `（近${d.growthWindowMonths}个月）· 累计 ${d.totalGrowth}`,
              ` (last ${d.growthWindowMonths} months) · total ${d.totalGrowth}`,
            )}
          </Descriptions.Item>
          <Descriptions.Item label={tr('下一等级', 'Next tier')}>
            {d.nextTier
              ? tr(`${d.nextTier.name}，还差 ${d.growthToNext}`, `${d.nextTier.name}, ${d.growthToNext} to go`)
              : tr('已是最高', 'Top tier')}
          </Descriptions.Item>
          <Descriptions.Item label={tr('保级日期', 'Review date')}>{d.reviewAt ? fmtTime(d.reviewAt) : '—'}</Descriptions.Item>
          <Descriptions.Item label={tr('积分', 'Points')}>{d.points}</Descriptions.Item>
          <Descriptions.Item label={tr('余额', 'Balance')}>{formatFen(d.balance)}</Descriptions.Item>
          <Descriptions.Item label={tr('当前权益', 'Perks')}>
            {d.perks.map((p) => (
              <Tag key={p.key} color="gold">
                {p.title}
              </Tag>
            ))}
          </Descriptions.Item>
        </Descriptions>
      </Card>
      <Card title={tr('等级变化', 'Tier history')} size="small">
        <Table<Detail['recentChanges'][number]>
          rowKey="id"
          size="small"
          pagination={false}
          dataSource={d.recentChanges}
          data-testid="member-tier-history"
          columns={[
            { title: tr('时间', 'At'), dataIndex: 'createdAt', render: fmtTime },
            { title: tr('原因', 'Reason'), dataIndex: 'reason', render: (r: string) => <CodeTag group="tierChangeReason" code={r} /> },
            { title: tr('变化', 'Change'), render: (_, c) => `${c.fromTier?.name ?? '—'} → ${c.toTier.name}` },
            { title: tr('依据成长值', 'Growth'), dataIndex: 'growth' },
            { title: tr('说明', 'Note'), dataIndex: 'note' },
          ]}
        />
      </Card>
      <Card title={tr('成长值明细', 'Growth entries')} size="small">
        <Table<Detail['growthEntries'][number]>
          rowKey="id"
          size="small"
          pagination={false}
          dataSource={d.growthEntries}
          columns={[
            { title: tr('时间', 'At'), dataIndex: 'createdAt', render: fmtTime },
            { title: tr('变化', 'Delta'), dataIndex: 'delta', render: (v: number) => (v > 0 ? `+${v}` : v) },
            { title: tr('来源', 'Source'), dataIndex: 'ref' },
            { title: tr('说明', 'Note'), dataIndex: 'note' },
          ]}
        />
      </Card>
      <Card title={tr('生日礼', 'Birthday gifts')} size="small">
        <Table<Detail['birthdayGifts'][number]>
          rowKey="year"
          size="small"
          pagination={false}
          dataSource={d.birthdayGifts}
          columns={[
            { title: tr('年份', 'Year'), dataIndex: 'year' },
            { title: tr('类型', 'Kind'), dataIndex: 'kind', render: (k: string) => label('birthdayGiftKind', k) },
            { title: tr('状态', 'Status'), dataIndex: 'status', render: (s: string) => <CodeTag group="giftStatus" code={s} /> },
            { title: tr('说明', 'Note'), dataIndex: 'note' },
            { title: tr('时间', 'At'), dataIndex: 'createdAt', render: fmtTime },
          ]}
        />
      </Card>
      {dialog && (
        <AdjustDialog
          kind={dialog}
          detail={d}
          onClose={() => setDialog(null)}
          onDone={() => {
            setDialog(null);
            void load();
          }}
        />
      )}
    </Space>
  );
}

function AdjustDialog({
  kind,
  detail,
  onClose,
  onDone,
}: {
  kind: 'tier' | 'growth';
  detail: Detail;
  onClose: () => void;
  onDone: () => void;
}) {
  const { tr } = useI18n();
  const [form] = Form.useForm<{ tierId?: string; delta?: number; reason: string }>();
  const [saving, setSaving] = useState(false);
  const submit = async (v: { tierId?: string; delta?: number; reason: string }) => {
    setSaving(true);
    try {
      const path = { userId: detail.user.id };
      if (kind === 'tier')
        await call(
          api.POST('/admin/v1/users/{userId}/member-tier', { params: { path }, body: { tierId: v.tierId ?? '', reason: v.reason } }),
        );
      else await call(api.POST('/admin/v1/users/{userId}/growth', { params: { path }, body: { delta: v.delta ?? 0, reason: v.reason } }));
      onDone();
    } catch (e) {
      showError(e);
    } finally {
      setSaving(false);
    }
  };
  return (
    <Modal
      open
      title={kind === 'tier' ? tr('调整会员等级', 'Set member tier') : tr('调整成长值', 'Adjust growth')}
      onCancel={onClose}
      onOk={() => form.submit()}
      confirmLoading={saving}
      okButtonProps={{ 'data-testid': 'member-adjust-save' }}
    >
      <Form form={form} layout="vertical" onFinish={(v) => void submit(v)}>
        {kind === 'tier' ? (
          <Form.Item name="tierId" label={tr('新等级', 'Tier')} rules={[{ required: true }]}>
            <Select
              data-testid="member-adjust-tier"
              options={detail.tiers.filter((x) => x.id !== detail.tier?.id).map((x) => ({ value: x.id, label: x.name }))}
            />
          </Form.Item>
        ) : (
          <Form.Item
            name="delta"
            label={tr('成长值变化', 'Growth change')}
            extra={tr(
              '正数增加（可立即升级），负数扣减（不会立即降级，保级复核时生效）',
              'Adding can upgrade at once; taking away waits for the review',
            )}
            rules={[{ required: true }]}
          >
            <InputNumber min={-10_000_000} max={10_000_000} precision={0} data-testid="member-adjust-delta" />
          </Form.Item>
        )}
        <Form.Item
          name="reason"
          label={tr('原因（必填，记入操作日志）', 'Reason (required, audited)')}
          rules={[{ required: true, max: 200 }]}
        >
          <Input.TextArea rows={2} data-testid="member-adjust-reason" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
