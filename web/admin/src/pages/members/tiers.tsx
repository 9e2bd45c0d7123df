import { useCallback, useEffect, useState } from 'react';
import { Alert, Button, Form, Input, InputNumber, Modal, Popconfirm, Radio, Select, Space, Switch, Table, Tag } from 'antd';
import { api, call, type Schemas } from '../../api';
import { useAuth } from '../../auth';
import { useI18n } from '../../i18n';
import { CodeTag, MoneyInput, PageTitle, errText, showError } from '../../ui';
import { useLoad } from '../promotions/shared';

type Tier = Schemas['MemberTierList']['items'][number];
type IconName = Schemas['TierIcon']['name'];

const GLYPH: Record<IconName, string> = { leaf: '🌿', star: '⭐', medal: '🏅', crown: '👑', diamond: '💎', gem: '💠' };

/** The tier's icon as the storefront draws it: the uploaded image, or the preset glyph on its colour. */
export function TierBadge({ icon, name }: { icon: Schemas['TierIcon']; name?: string }) {
  return (
    <Space size={6}>
      {icon.url ? (
        <img src={icon.url} alt="" style={{ width: 24, height: 24, borderRadius: 12 }} />
      ) : (
        <span
          style={{
            display: 'inline-flex',
            width: 24,
            height: 24,
            borderRadius: 12,
            background: icon.color,
            alignItems: 'center',
            justifyContent: 'center',
            fontSize: 13,
          }}
        >
          {GLYPH[icon.name]}
        </span>
      )}
      {name}
    </Space>
  );
}

/** 等级与权益: the tier ladder with its perks, and the form that creates or edits a tier. */
export default function MemberTiersPage() {
  const { tr, t } = useI18n();
  const { can } = useAuth();
  const writable = can('members.write');
  const [items, setItems] = useState<Tier[]>([]);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<unknown>(null);
  const [editing, setEditing] = useState<Tier | 'new' | null>(null);
  const load = useCallback(async () => {
    setLoading(true);
    try {
      setItems((await call(api.GET('/admin/v1/member-tiers', { params: { query: { status: 'all' } } }))).items);
      setError(null);
    } catch (e) {
      setError(e);
    } finally {
      setLoading(false);
    }
  }, []);
  useEffect(() => void load(), [load]);

  const toggle = async (tier: Tier) => {
    try {
      if (tier.status === 'active')
        await call(api.POST('/admin/v1/member-tiers/{tierId}/disable', { params: { path: { tierId: tier.id } } }));
      else await call(api.POST('/admin/v1/member-tiers/{tierId}/enable', { params: { path: { tierId: tier.id } } }));
      void load();
    } catch (e) {
      showError(e);
    }
  };

  return (
    <div data-testid="member-tiers-page">
      <PageTitle
        extra={
          writable && (
            <Button type="primary" data-testid="tier-new" onClick={() => setEditing('new')}>
              {tr('新建等级', 'New tier')}
            </Button>
          )
        }
      >
        {t('nav.member-tiers')}
      </PageTitle>
      <Alert
        type="info"
        showIcon
        style={{ marginBottom: 16 }}
        message={tr(
          '成长值达到门槛立即升级；降级只在保级复核时进行（保级周期见「成长与积分规则」）。停用等级时，该等级的会员会立即调整到下一个较低的等级。',
          'Shoppers move up as soon as their growth reaches a threshold; they move down only at the periodic review. Disabling a tier moves its members to the next lower tier at once.',
        )}
      />
      {error ? <Alert type="error" message={errText(error)} /> : null}
      <Table<Tier>
        rowKey="id"
        loading={loading}
        dataSource={items}
        pagination={false}
        columns={[
          { title: tr('等级', 'Tier'), render: (_, r) => <TierBadge icon={r.icon} name={r.name} /> },
          { title: tr('排序', 'Rank'), dataIndex: 'rank' },
          { title: tr('成长值门槛', 'Threshold'), dataIndex: 'threshold' },
          {
            title: tr('权益', 'Perks'),
            render: (_, r) =>
              r.perkLines.length ? (
                r.perkLines.map((p) => (
                  <Tag key={p.key} color="gold" title={p.description}>
                    {p.title}
                  </Tag>
                ))
              ) : (
                <span style={{ color: '#999' }}>{tr('基础会员', 'Basic')}</span>
              ),
          },
          { title: tr('会员数', 'Members'), dataIndex: 'memberCount' },
          { title: t('status'), dataIndex: 'status', render: (s: string) => <CodeTag group="promoStatus" code={s} /> },
          {
            title: t('actions'),
            render: (_, r) =>
              writable && (
                <Space>
                  <a data-testid={`tier-edit-${r.rank}`} onClick={() => setEditing(r)}>
                    {t('edit')}
                  </a>
                  <Popconfirm
                    title={
                      r.status === 'active'
                        ? tr(`停用后「${r.name}」的 ${r.memberCount} 位会员将调整到下一个等级，确定停用？`, `Disable ${r.name}?`)
                        : tr('确定启用？', 'Enable it?')
                    }
                    onConfirm={() => void toggle(r)}
                  >
                    <a>{r.status === 'active' ? tr('停用', 'Disable') : tr('启用', 'Enable')}</a>
                  </Popconfirm>
                </Space>
              ),
          },
        ]}
      />
      {editing && (
        <TierForm
          tier={editing === 'new' ? null : editing}
          nextRank={Math.max(-1, ...items.filter((x) => x.status === 'active').map((x) => x.rank)) + 1}
          onClose={() => setEditing(null)}
          onSaved={() => {
            setEditing(null);
            void load();
          }}
        />
      )}
    </div>
  );
}

interface FormValues {
  name: string;
  rank: number;
  threshold: number;
  iconName: IconName;
  iconColor: string;
  memberPrice: boolean;
  discountRate: number | null;
  freeShippingThreshold: number | null;
  multiplier: number;
  giftKind: 'none' | 'coupon' | 'points';
  giftCoupon?: string;
  giftPoints?: number;
  supportPriority: number;
}

function TierForm({ tier, nextRank, onClose, onSaved }: { tier: Tier | null; nextRank: number; onClose: () => void; onSaved: () => void }) {
  const { tr, labelOptions } = useI18n();
  const [form] = Form.useForm<FormValues>();
  const [saving, setSaving] = useState(false);
  const coupons = useLoad(
    async () => (await call(api.GET('/admin/v1/coupon-templates', { params: { query: { limit: 100, status: 'active' } } }))).items,
    [],
  );
  const p = tier?.perks;
  const gift = p?.birthdayGift;
  const initial: FormValues = {
    name: tier?.name ?? '',
    rank: tier?.rank ?? nextRank,
    threshold: tier?.threshold ?? 0,
    iconName: tier?.icon.name ?? 'star',
    iconColor: tier?.icon.color ?? '#d4a017',
    memberPrice: p?.memberPrice ?? false,
    discountRate: p?.discountRate ?? null,
    freeShippingThreshold: p?.freeShippingThreshold ?? null,
    multiplier: (p?.pointsMultiplier ?? 100) / 100,
    giftKind: gift?.kind ?? 'none',
    giftCoupon: gift?.kind === 'coupon' ? gift.couponTemplateId : undefined,
    giftPoints: gift?.kind === 'points' ? gift.points : undefined,
    supportPriority: p?.supportPriority ?? 0,
  };
  const giftKind = Form.useWatch('giftKind', form) ?? initial.giftKind;

  const submit = async (v: FormValues) => {
    const birthdayGift =
      v.giftKind === 'coupon'
        ? { kind: 'coupon' as const, couponTemplateId: v.giftCoupon ?? '' }
        : v.giftKind === 'points'
          ? { kind: 'points' as const, points: v.giftPoints ?? 0 }
          : { kind: 'none' as const };
    const body = {
      name: v.name,
      rank: v.rank,
      threshold: v.threshold,
      iconName: v.iconName,
      iconColor: v.iconColor,
      perks: {
        memberPrice: v.memberPrice,
        discountRate: v.discountRate ?? null,
        freeShippingThreshold: v.freeShippingThreshold ?? null,
        pointsMultiplier: Math.round(v.multiplier * 100),
        birthdayGift,
        supportPriority: v.supportPriority,
      },
    };
    setSaving(true);
    try {
      if (tier) await call(api.PATCH('/admin/v1/member-tiers/{tierId}', { params: { path: { tierId: tier.id } }, body }));
      else await call(api.POST('/admin/v1/member-tiers', { body }));
      onSaved();
    } catch (e) {
      showError(e);
    } finally {
      setSaving(false);
    }
  };

  return (
    <Modal
      open
      width={640}
      title={tier ? tr(`编辑等级：${tier.name}`, `Edit ${tier.name}`) : tr('新建会员等级', 'New member tier')}
      onCancel={onClose}
      onOk={() => form.submit()}
      confirmLoading={saving}
      okButtonProps={{ 'data-testid': 'tier-save' }}
    >
      <Form form={form} layout="horizontal" labelCol={{ span: 6 }} initialValues={initial} onFinish={(v) => void submit(v)}>
        <Form.Item name="name" label={tr('等级名称', 'Name')} rules={[{ required: true, max: 20 }]}>
          <Input data-testid="tier-name" placeholder="金卡会员" />
        </Form.Item>
        <Form.Item name="rank" label={tr('排序', 'Rank')} extra={tr('数字越大等级越高', 'Higher is better')} rules={[{ required: true }]}>
          <InputNumber min={0} max={99} precision={0} data-testid="tier-rank" />
        </Form.Item>
        <Form.Item
          name="threshold"
          label={tr('成长值门槛', 'Growth threshold')}
          extra={tr('最低等级须为 0', 'The lowest tier starts at 0')}
          rules={[{ required: true }]}
        >
          <InputNumber min={0} max={100_000_000} precision={0} data-testid="tier-threshold" />
        </Form.Item>
        <Form.Item label={tr('图标', 'Icon')}>
          <Space>
            <Form.Item name="iconName" noStyle>
              <Select style={{ width: 120 }} options={labelOptions('tierIcon')} data-testid="tier-icon" />
            </Form.Item>
            <Form.Item name="iconColor" noStyle rules={[{ pattern: /^#[0-9a-fA-F]{6}$/ }]}>
              <Input type="color" style={{ width: 64, padding: 2 }} />
            </Form.Item>
          </Space>
        </Form.Item>
        <Form.Item name="memberPrice" label={tr('享会员价', 'Member prices')} valuePropName="checked">
          <Switch />
        </Form.Item>
        <Form.Item
          name="discountRate"
          label={tr('会员折扣', 'Discount')}
          extra={tr('填 98 即 9.8 折；留空不打折；与会员价取更优', '98 = pay 98%')}
        >
          <InputNumber min={50} max={99} precision={0} addonAfter="%" placeholder={tr('不打折', 'none')} data-testid="tier-discount" />
        </Form.Item>
        <Form.Item
          name="freeShippingThreshold"
          label={tr('包邮门槛', 'Free shipping from')}
          extra={tr('每个包裹商品满此金额免运费；0 为全部包邮；留空无此权益', '0 = always; empty = none')}
        >
          <MoneyInput placeholder={tr('无', 'none')} testId="tier-free-shipping" style={{ width: 160 }} />
        </Form.Item>
        <Form.Item name="multiplier" label={tr('积分倍数', 'Points ×')}>
          <InputNumber min={1} max={10} step={0.1} precision={2} addonAfter={tr('倍', '×')} />
        </Form.Item>
        <Form.Item name="giftKind" label={tr('生日礼', 'Birthday gift')}>
          <Radio.Group options={labelOptions('birthdayGiftKind')} />
        </Form.Item>
        {giftKind === 'coupon' && (
          <Form.Item name="giftCoupon" label={tr('生日礼券', 'Coupon')} rules={[{ required: true }]}>
            <Select
              loading={coupons.loading}
              options={coupons.items.map((c) => ({ value: c.id, label: `${c.name}（${c.label}）` }))}
              placeholder={tr('选择券模板（建议发放渠道含「会员权益」）', 'Pick a coupon template')}
            />
          </Form.Item>
        )}
        {giftKind === 'points' && (
          <Form.Item name="giftPoints" label={tr('生日积分', 'Points')} rules={[{ required: true }]}>
            <InputNumber min={1} max={1_000_000} precision={0} />
          </Form.Item>
        )}
        <Form.Item
          name="supportPriority"
          label={tr('客服优先级', 'Support priority')}
          extra={tr('0 为普通，数字越大越优先接待', '0 = normal')}
        >
          <InputNumber min={0} max={10} precision={0} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
