import { useCallback, useEffect, useState } from 'react';
import { Alert, Button, Card, Drawer, Form, Input, InputNumber, Modal, Select, Space, Switch, Table, Tag, message } from 'antd';
import { api, call, type Schemas } from '../api';
import { useI18n } from '../i18n';
import { MoneyInput, PageTitle, Pager, errText, fmtTime, formatFen, showError, useCursorList, useInterval } from '../ui';
import { IssueDialog } from './promotions/IssueDialog';
import { RuleFormModal } from './promotions/RuleForm';
import { LotteryFormModal } from './promotions/LotteryForm';
import { CampaignDrawer, CampaignFormModal } from './promotions/CampaignForm';
import { RangeItem, StateTag, iso } from './promotions/shared';

/* ───────────────────────── coupons ───────────────────────── */
type Coupon = Schemas['CouponTemplate'];
export function CouponsPage() {
  const { tr, t } = useI18n();
  const fetchPage = useCallback((cursor: string | undefined) => call(api.GET('/admin/v1/coupon-templates', { params: { query: { limit: 20, cursor } } })), []);
  const list = useCursorList<Coupon>(fetchPage);
  const [creating, setCreating] = useState(false);
  const [issuing, setIssuing] = useState<Coupon | null>(null);
  const [form] = Form.useForm();
  const kind = Form.useWatch('kind', form);

  const create = async () => {
    const v = await form.validateFields();
    try {
      await call(
        api.POST('/admin/v1/coupon-templates', {
          body: {
            name: v.name,
            merchantId: v.merchantId || 'mch_platform',
            kind: v.kind,
            threshold: v.threshold ?? 0,
            amountOff: v.kind !== 'percent_off' ? (v.amountOff ?? undefined) : undefined,
            rate: v.kind === 'percent_off' ? v.rate : undefined,
            maxOff: v.kind === 'percent_off' ? (v.maxOff ?? undefined) : undefined,
            validFrom: iso(v.range?.[0]),
            validTo: iso(v.range?.[1]),
            totalQuantity: v.totalQuantity,
            perUserLimit: v.perUserLimit ?? 1,
            channels: v.channels,
            code: v.code || undefined,
          },
        }),
      );
      void message.success(t('saved'));
      setCreating(false);
      form.resetFields();
      void list.reload();
    } catch (e) {
      showError(e);
    }
  };
  const toggle = async (c: Coupon) => {
    try {
      await call(api.PATCH('/admin/v1/coupon-templates/{templateId}', { params: { path: { templateId: c.id } }, body: { status: c.status === 'active' ? 'disabled' : 'active' } }));
      void list.reload();
    } catch (e) {
      showError(e);
    }
  };
  return (
    <div data-testid="coupons-page">
      <PageTitle extra={<Button type="primary" onClick={() => setCreating(true)} data-testid="coupon-new">{tr('新建优惠券', 'New coupon')}</Button>}>{t('nav.coupons')}</PageTitle>
      {list.error ? <Alert type="error" message={errText(list.error)} /> : null}
      <Table<Coupon> rowKey="id" loading={list.loading} dataSource={list.items} pagination={false}
        columns={[
          { title: tr('名称', 'Name'), dataIndex: 'name' },
          { title: tr('面额', 'Terms'), dataIndex: 'label' },
          { title: tr('类型', 'Kind'), dataIndex: 'kind' },
          { title: tr('平台/店铺', 'Owner'), render: (_, c) => (c.isPlatform ? tr('平台券', 'Platform') : c.merchantId) },
          { title: tr('已发/总量', 'Issued / total'), render: (_, c) => `${c.issuedCount} / ${c.totalQuantity}` },
          { title: tr('已用', 'Used'), dataIndex: 'usedCount' },
          { title: tr('渠道', 'Channels'), dataIndex: 'channels', render: (cs: string[]) => cs.map((x) => <Tag key={x}>{x}</Tag>) },
          { title: t('status'), dataIndex: 'status', render: (s: string) => <StateTag s={s} /> },
          { title: t('actions'), render: (_, c) => (
            <Space>
              <Button size="small" type="link" onClick={() => void toggle(c)} data-testid={`coupon-toggle-${c.id}`}>{c.status === 'active' ? tr('停用', 'Disable') : tr('启用', 'Enable')}</Button>
              <Button size="small" type="link" onClick={() => setIssuing(c)} data-testid={`coupon-issue-${c.id}`}>{tr('定向发放', 'Issue')}</Button>
            </Space>
          ) },
        ]} />
      <Pager list={list} />
      <Modal open={creating} width={640} title={tr('新建优惠券', 'New coupon')} onCancel={() => setCreating(false)} onOk={() => void create()} okButtonProps={{ 'data-testid': 'coupon-save' }}>
        <Form form={form} layout="vertical" initialValues={{ kind: 'amount_off', threshold: 0, perUserLimit: 1, channels: ['storefront'], merchantId: 'mch_platform' }}>
          <Form.Item name="name" label={tr('名称', 'Name')} rules={[{ required: true }]}><Input data-testid="coupon-name" /></Form.Item>
          <Space wrap>
            <Form.Item name="kind" label={tr('类型', 'Kind')}><Select style={{ width: 180 }} options={[{ value: 'amount_off', label: tr('满减券/无门槛', 'Amount off') }, { value: 'percent_off', label: tr('折扣券', 'Percent off') }, { value: 'free_shipping', label: tr('运费券', 'Free shipping') }]} /></Form.Item>
            <Form.Item name="merchantId" label={tr('归属（mch_platform=平台券）', 'Owner (mch_platform = platform)')}><Input /></Form.Item>
          </Space>
          <Space wrap>
            <Form.Item name="threshold" label={tr('使用门槛（元，0=无门槛）', 'Threshold (¥, 0 = none)')}><MoneyInput testId="coupon-threshold" /></Form.Item>
            {kind !== 'percent_off' && <Form.Item name="amountOff" label={tr('减免金额（元）', 'Amount off (¥)')} rules={[{ required: kind === 'amount_off' }]}><MoneyInput testId="coupon-amount" /></Form.Item>}
            {kind === 'percent_off' && <Form.Item name="rate" label={tr('折扣（85=8.5折）', 'Pay rate % (85 = 15% off)')} rules={[{ required: true }]}><InputNumber min={1} max={99} /></Form.Item>}
            {kind === 'percent_off' && <Form.Item name="maxOff" label={tr('最高减（元）', 'Max off (¥)')}><MoneyInput /></Form.Item>}
          </Space>
          <RangeItem label={tr('有效期', 'Valid')} />
          <Space wrap>
            <Form.Item name="totalQuantity" label={tr('发行总量', 'Total')} rules={[{ required: true }]}><InputNumber min={1} precision={0} data-testid="coupon-total" /></Form.Item>
            <Form.Item name="perUserLimit" label={tr('每人限领', 'Per shopper')}><InputNumber min={1} precision={0} /></Form.Item>
            <Form.Item name="code" label={tr('兑换码（code 渠道）', 'Redemption code')}><Input /></Form.Item>
          </Space>
          <Form.Item name="channels" label={tr('发放渠道', 'Channels')} rules={[{ required: true }]}>
            <Select mode="multiple" options={['storefront', 'code', 'campaign', 'segment', 'new_user_pack', 'lottery'].map((c) => ({ value: c, label: c }))} />
          </Form.Item>
        </Form>
      </Modal>
      {issuing && <IssueDialog coupon={issuing} onClose={() => { setIssuing(null); void list.reload(); }} />}
    </div>
  );
}

/* ───────────────────────── promotion rules + stacking ───────────────────────── */
type Rule = Schemas['PromotionRule'];
export function PromotionRulesPage() {
  const { tr, t } = useI18n();
  const fetchPage = useCallback((cursor: string | undefined) => call(api.GET('/admin/v1/promotion-rules', { params: { query: { limit: 20, cursor } } })), []);
  const list = useCursorList<Rule>(fetchPage);
  const [creating, setCreating] = useState(false);
  const toggle = async (r: Rule) => {
    try {
      await call(api.PATCH('/admin/v1/promotion-rules/{ruleId}', { params: { path: { ruleId: r.id } }, body: { status: r.status === 'active' ? 'disabled' : 'active' } }));
      void list.reload();
    } catch (e) {
      showError(e);
    }
  };
  return (
    <div data-testid="promotion-rules-page">
      <PageTitle extra={<Button type="primary" onClick={() => setCreating(true)} data-testid="rule-new">{tr('新建规则', 'New rule')}</Button>}>{t('nav.promotion-rules')}</PageTitle>
      {list.error ? <Alert type="error" message={errText(list.error)} /> : null}
      <Table<Rule> rowKey="id" loading={list.loading} dataSource={list.items} pagination={false}
        columns={[
          { title: tr('名称', 'Name'), dataIndex: 'name' },
          { title: tr('文案', 'Label'), dataIndex: 'label' },
          { title: tr('类型', 'Kind'), dataIndex: 'kind' },
          { title: tr('开始', 'Starts'), dataIndex: 'startsAt', render: fmtTime },
          { title: tr('结束', 'Ends'), dataIndex: 'endsAt', render: fmtTime },
          { title: tr('状态', 'State'), dataIndex: 'state', render: (s: string) => <StateTag s={s} /> },
          { title: t('actions'), render: (_, r) => <Button size="small" type="link" onClick={() => void toggle(r)} data-testid={`rule-toggle-${r.id}`}>{r.status === 'active' ? tr('停用', 'Disable') : tr('启用', 'Enable')}</Button> },
        ]} />
      <Pager list={list} />
      <StackingPolicyCard />
      <RuleFormModal open={creating} onClose={() => setCreating(false)} onSaved={() => { setCreating(false); void list.reload(); }} />
    </div>
  );
}

function StackingPolicyCard() {
  const { tr, t } = useI18n();
  const [form] = Form.useForm<Schemas['StackingPolicy']>();
  const [loaded, setLoaded] = useState(false);
  useEffect(() => {
    call(api.GET('/admin/v1/promotions/stacking-policy')).then((p) => { form.setFieldsValue(p); setLoaded(true); }).catch(showError);
  }, [form]);
  const save = async () => {
    const v = await form.validateFields();
    try {
      form.setFieldsValue(await call(api.PUT('/admin/v1/promotions/stacking-policy', { body: v })));
      void message.success(t('saved'));
    } catch (e) {
      showError(e);
    }
  };
  const sw = (name: keyof Schemas['StackingPolicy'], label: string) => <Form.Item name={name} label={label} valuePropName="checked"><Switch /></Form.Item>;
  const num = (name: keyof Schemas['StackingPolicy'], label: string) => <Form.Item name={name} label={label}><InputNumber min={0} max={10} precision={0} /></Form.Item>;
  return (
    <Card size="small" title={tr('叠加规则', 'Stacking policy')} style={{ marginTop: 56 }} data-testid="stacking-policy" extra={<Button type="primary" size="small" disabled={!loaded} onClick={() => void save()} data-testid="stacking-save">{t('save')}</Button>}>
      <Form form={form} layout="inline" style={{ rowGap: 8 }}>
        {sw('memberPriceOrLimitedTime', tr('会员价与限时折扣取优', 'Better of member / limited-time price'))}
        {sw('limitedTimeExcludesFullReduction', tr('特价不参与满减', 'Limited-time excludes full reduction'))}
        {sw('limitedTimeExcludesCoupons', tr('特价不可用券', 'Limited-time excludes coupons'))}
        {sw('platformWithShopCoupons', tr('平台券可与店铺券同用', 'Platform + shop coupons'))}
        {num('shopCouponsPerMerchant', tr('每店店铺券数', 'Shop coupons per merchant'))}
        {num('platformCouponsPerOrder', tr('每单平台券数', 'Platform coupons per order'))}
        {num('shippingCouponsPerOrder', tr('每单运费券数', 'Shipping coupons per order'))}
      </Form>
    </Card>
  );
}

/* ───────────────────────── lotteries ───────────────────────── */
type Lottery = Schemas['LotterySummary'];
export function LotteriesPage() {
  const { tr, t } = useI18n();
  const fetchPage = useCallback((cursor: string | undefined) => call(api.GET('/admin/v1/lotteries', { params: { query: { limit: 20, cursor } } })), []);
  const list = useCursorList<Lottery>(fetchPage);
  const [creating, setCreating] = useState(false);
  const [open, setOpen] = useState<string | null>(null);
  return (
    <div data-testid="lotteries-page">
      <PageTitle extra={<Button type="primary" onClick={() => setCreating(true)} data-testid="lottery-new">{tr('新建抽奖', 'New lottery')}</Button>}>{t('nav.lotteries')}</PageTitle>
      {list.error ? <Alert type="error" message={errText(list.error)} /> : null}
      <Table<Lottery> rowKey="id" loading={list.loading} dataSource={list.items} pagination={false}
        columns={[
          { title: tr('名称', 'Name'), dataIndex: 'name', render: (v: string, l) => <a onClick={() => setOpen(l.id)}>{v}</a> },
          { title: tr('每日免费次数', 'Free / day'), dataIndex: 'freeDrawsPerDay' },
          { title: tr('积分/次', 'Points / draw'), dataIndex: 'pointsPerDraw' },
          { title: tr('预算', 'Budget'), render: (_, l) => `${formatFen(l.budgetUsed)} / ${formatFen(l.budget)}` },
          { title: tr('时间', 'Runs'), render: (_, l) => `${fmtTime(l.startsAt)} ~ ${fmtTime(l.endsAt)}` },
          { title: tr('状态', 'State'), dataIndex: 'state', render: (s: string) => <StateTag s={s} /> },
        ]} />
      <Pager list={list} />
      {open && <LotteryDrawer id={open} onClose={() => setOpen(null)} />}
      <LotteryFormModal open={creating} onClose={() => setCreating(false)} onSaved={() => { setCreating(false); void list.reload(); }} />
    </div>
  );
}

function LotteryDrawer({ id, onClose }: { id: string; onClose: () => void }) {
  const { tr } = useI18n();
  const [lottery, setLottery] = useState<unknown>(null);
  const fetchPage = useCallback((cursor: string | undefined) => call(api.GET('/admin/v1/lotteries/{lotteryId}/draws', { params: { path: { lotteryId: id }, query: { limit: 20, cursor } } })), [id]);
  const draws = useCursorList<Schemas['LotteryDrawAdmin']>(fetchPage);
  useEffect(() => {
    call(api.GET('/admin/v1/lotteries/{lotteryId}', { params: { path: { lotteryId: id } } })).then(setLottery).catch(showError);
  }, [id]);
  const ship = async (d: Schemas['LotteryDrawAdmin']) => {
    const note = window.prompt(tr('物流信息（快递公司 + 单号）', 'Carrier and tracking no.')) ?? '';
    try {
      await call(api.POST('/admin/v1/lottery-draws/{drawId}/ship', { params: { path: { drawId: d.id } }, body: { note } }));
      void draws.reload();
    } catch (e) {
      showError(e);
    }
  };
  const l = lottery as { name?: string; prizes?: { id: string; name: string; kind: string; weight: number; stock: number | null; awarded?: number }[] } | null;
  return (
    <Drawer open width={760} title={l?.name ?? tr('抽奖', 'Lottery')} onClose={onClose}>
      <h4>{tr('奖品', 'Prizes')}</h4>
      <Table size="small" rowKey="id" pagination={false} dataSource={l?.prizes ?? []} columns={[{ title: tr('奖品', 'Prize'), dataIndex: 'name' }, { title: tr('类型', 'Kind'), dataIndex: 'kind' }, { title: tr('权重', 'Weight'), dataIndex: 'weight' }, { title: tr('库存', 'Stock'), dataIndex: 'stock' }]} />
      <h4 style={{ marginTop: 16 }}>{tr('抽奖记录', 'Draws')}</h4>
      <Table<Schemas['LotteryDrawAdmin']> size="small" rowKey="id" loading={draws.loading} pagination={false} dataSource={draws.items}
        columns={[
          { title: tr('用户', 'Shopper'), dataIndex: 'userId' },
          { title: tr('奖品', 'Prize'), dataIndex: 'prizeName' },
          { title: tr('履约', 'Fulfilment'), dataIndex: 'fulfilment', render: (f: string) => <Tag>{f}</Tag> },
          { title: tr('时间', 'At'), dataIndex: 'createdAt', render: fmtTime },
          { title: '', render: (_, d) => d.fulfilment === 'to_ship' && <Button size="small" onClick={() => void ship(d)} data-testid={`prize-ship-${d.id}`}>{tr('标记已发货', 'Mark shipped')}</Button> },
        ]} />
      <Pager list={draws} />
    </Drawer>
  );
}

/* ───────────────────────── campaigns ───────────────────────── */
type Campaign = Omit<Schemas['Campaign'], 'popup'>;
export function CampaignsPage() {
  const { tr, t } = useI18n();
  const fetchPage = useCallback((cursor: string | undefined) => call(api.GET('/admin/v1/campaigns', { params: { query: { limit: 20, cursor } } })), []);
  const list = useCursorList<Campaign>(fetchPage);
  const [creating, setCreating] = useState(false);
  const [open, setOpen] = useState<string | null>(null);
  const toggle = async (c: Campaign) => {
    try {
      await call(api.PATCH('/admin/v1/campaigns/{campaignId}', { params: { path: { campaignId: c.id } }, body: { status: c.status === 'active' ? 'disabled' : 'active' } }));
      void list.reload();
    } catch (e) {
      showError(e);
    }
  };
  return (
    <div data-testid="campaigns-page">
      <PageTitle extra={<Button type="primary" onClick={() => setCreating(true)} data-testid="campaign-new">{tr('新建活动', 'New campaign')}</Button>}>{t('nav.campaigns')}</PageTitle>
      {list.error ? <Alert type="error" message={errText(list.error)} /> : null}
      <Table<Campaign> rowKey="id" loading={list.loading} dataSource={list.items} pagination={false}
        columns={[
          { title: tr('名称', 'Name'), dataIndex: 'name', render: (v: string, c) => <a onClick={() => setOpen(c.id)}>{v}</a> },
          { title: tr('预算', 'Budget'), render: (_, c) => `${formatFen(c.budgetUsed)} / ${formatFen(c.budget)}` },
          { title: tr('时间', 'Runs'), render: (_, c) => `${fmtTime(c.startsAt)} ~ ${fmtTime(c.endsAt)}` },
          { title: tr('优先级', 'Priority'), dataIndex: 'priority' },
          { title: tr('状态', 'State'), dataIndex: 'state', render: (s: string) => <StateTag s={s} /> },
          { title: t('actions'), render: (_, c) => <Button size="small" type="link" onClick={() => void toggle(c)}>{c.status === 'active' ? tr('停用', 'Disable') : tr('启用', 'Enable')}</Button> },
        ]} />
      <Pager list={list} />
      {open && <CampaignDrawer id={open} onClose={() => { setOpen(null); void list.reload(); }} />}
      <CampaignFormModal open={creating} onClose={() => setCreating(false)} onSaved={() => { setCreating(false); void list.reload(); }} />
    </div>
  );
}

/* ───────────────────────── flash sales & group buys ───────────────────────── */
function StateFilter({ value, onChange }: { value?: string; onChange: (v?: string) => void }) {
  const { tr } = useI18n();
  return (
    <Space style={{ marginBottom: 12 }}>
      <Select allowClear placeholder={tr('状态', 'State')} style={{ width: 140 }} value={value} onChange={onChange} data-testid="filter-state"
        options={[{ value: 'live', label: tr('进行中', 'Live') }, { value: 'upcoming', label: tr('未开始', 'Upcoming') }, { value: 'ended', label: tr('已结束', 'Ended') }]} />
      <span style={{ color: '#999' }}>{tr('每 3 秒自动刷新剩余数量', 'Remaining units refresh every 3 s')}</span>
    </Space>
  );
}

type FlashSale = Schemas['FlashSale'];
export function FlashSalesPage() {
  const { tr, t } = useI18n();
  const [items, setItems] = useState<FlashSale[]>([]);
  const [state, setState] = useState<string | undefined>();
  const [error, setError] = useState<unknown>(null);
  const [creating, setCreating] = useState(false);
  const [form] = Form.useForm();
  const load = useCallback(() => {
    call(api.GET('/admin/v1/flash-sales', { params: { query: { limit: 100, state: state as FlashSale['state'] | undefined } } })).then((r) => { setItems(r.items); setError(null); }).catch(setError);
  }, [state]);
  useEffect(load, [load]);
  useInterval(load, 3000);
  const create = async () => {
    const v = await form.validateFields();
    try {
      await call(api.POST('/admin/v1/flash-sales', { body: { skuId: v.skuId.trim(), salePrice: v.salePrice, allocated: v.allocated, perShopperLimit: v.perShopperLimit ?? 1, startsAt: iso(v.range[0]), endsAt: iso(v.range[1]), reservationTtlSeconds: 900, requireToken: !!v.requireToken } }));
      setCreating(false);
      load();
    } catch (e) {
      showError(e);
    }
  };
  const reconcile = async (s: FlashSale) => {
    try {
      const r = await call(api.POST('/admin/v1/flash-sales/{saleId}/reconcile', { params: { path: { saleId: s.id } } }));
      Modal.info({ title: tr('对账结果', 'Reconciliation'), content: <pre style={{ fontSize: 12 }}>{JSON.stringify(r, null, 2)}</pre> });
    } catch (e) {
      showError(e);
    }
  };
  return (
    <div data-testid="flash-sales-page">
      <PageTitle extra={<Button type="primary" onClick={() => setCreating(true)} data-testid="flash-new">{tr('新建秒杀', 'New flash sale')}</Button>}>{t('nav.flash-sales')}</PageTitle>
      <StateFilter value={state} onChange={setState} />
      {error ? <Alert type="error" message={errText(error)} /> : null}
      <Table<FlashSale> rowKey="id" dataSource={items} pagination={{ pageSize: 20 }}
        onRow={(r) => ({ 'data-testid': `flash-row-${r.id}` }) as React.HTMLAttributes<HTMLElement>}
        columns={[
          { title: tr('商品', 'Product'), render: (_, s) => `${s.title} ${s.roundLabel}` },
          { title: tr('秒杀价', 'Sale price'), dataIndex: 'salePrice', render: formatFen },
          { title: tr('原价', 'List price'), dataIndex: 'originalPrice', render: formatFen },
          { title: tr('剩余/投放', 'Left / allocated'), render: (_, s) => <b data-testid={`flash-remaining-${s.id}`}>{s.remaining ?? '—'} / {s.allocated}</b> },
          { title: tr('限购', 'Limit'), dataIndex: 'perShopperLimit' },
          { title: tr('时间', 'Runs'), render: (_, s) => `${fmtTime(s.startsAt)} ~ ${fmtTime(s.endsAt)}` },
          { title: tr('状态', 'State'), dataIndex: 'state', render: (s: string) => <StateTag s={s} /> },
          { title: t('actions'), render: (_, s) => <Button size="small" type="link" onClick={() => void reconcile(s)}>{tr('对账', 'Reconcile')}</Button> },
        ]} />
      <Modal open={creating} title={tr('新建秒杀', 'New flash sale')} onCancel={() => setCreating(false)} onOk={() => void create()} okButtonProps={{ 'data-testid': 'flash-save' }}>
        <Form form={form} layout="vertical" initialValues={{ perShopperLimit: 1 }}>
          <Form.Item name="skuId" label="SKU ID" rules={[{ required: true }]}><Input data-testid="flash-sku" /></Form.Item>
          <Space>
            <Form.Item name="salePrice" label={tr('秒杀价（元）', 'Sale price (¥)')} rules={[{ required: true }]}><MoneyInput testId="flash-price" /></Form.Item>
            <Form.Item name="allocated" label={tr('投放数量', 'Units')} rules={[{ required: true }]}><InputNumber min={1} precision={0} data-testid="flash-allocated" /></Form.Item>
            <Form.Item name="perShopperLimit" label={tr('每人限购', 'Per shopper')}><InputNumber min={1} precision={0} /></Form.Item>
          </Space>
          <RangeItem label={tr('时间', 'Runs')} />
          <Form.Item name="requireToken" label={tr('防刷令牌', 'Anti-bot token')} valuePropName="checked"><Switch /></Form.Item>
        </Form>
      </Modal>
    </div>
  );
}

type GroupBuy = Schemas['GroupBuy'];
export function GroupBuysPage() {
  const { tr, t } = useI18n();
  const [items, setItems] = useState<GroupBuy[]>([]);
  const [state, setState] = useState<string | undefined>();
  const [error, setError] = useState<unknown>(null);
  const [creating, setCreating] = useState(false);
  const [form] = Form.useForm();
  const load = useCallback(() => {
    call(api.GET('/admin/v1/group-buys', { params: { query: { limit: 100, state: state as GroupBuy['state'] | undefined } } })).then((r) => { setItems(r.items); setError(null); }).catch(setError);
  }, [state]);
  useEffect(load, [load]);
  useInterval(load, 3000);
  const create = async () => {
    const v = await form.validateFields();
    try {
      await call(api.POST('/admin/v1/group-buys', { body: { skuId: v.skuId.trim(), groupPrice: v.groupPrice, leaderPrice: v.leaderPrice ?? undefined, groupSize: v.groupSize, timeLimitMinutes: v.timeLimitMinutes ?? 1440, paymentMinutes: 15, allocated: v.allocated, perShopperLimit: v.perShopperLimit ?? 1, autoFill: !!v.autoFill, startsAt: iso(v.range[0])!, endsAt: iso(v.range[1])! } }));
      setCreating(false);
      load();
    } catch (e) {
      showError(e);
    }
  };
  return (
    <div data-testid="group-buys-page">
      <PageTitle extra={<Button type="primary" onClick={() => setCreating(true)} data-testid="groupbuy-new">{tr('新建拼团', 'New group buy')}</Button>}>{t('nav.group-buys')}</PageTitle>
      <StateFilter value={state} onChange={setState} />
      {error ? <Alert type="error" message={errText(error)} /> : null}
      <Table<GroupBuy> rowKey="id" dataSource={items} pagination={{ pageSize: 20 }}
        onRow={(r) => ({ 'data-testid': `groupbuy-row-${r.id}` }) as React.HTMLAttributes<HTMLElement>}
        columns={[
          { title: tr('商品', 'Product'), dataIndex: 'title' },
          { title: tr('拼团价', 'Group price'), dataIndex: 'groupPrice', render: formatFen },
          { title: tr('团长价', 'Leader price'), dataIndex: 'leaderPrice', render: formatFen },
          { title: tr('成团人数', 'Team size'), dataIndex: 'groupSize' },
          { title: tr('剩余/投放', 'Left / allocated'), render: (_, g) => <b data-testid={`groupbuy-remaining-${g.id}`}>{g.remaining ?? '—'} / {g.allocated}</b> },
          { title: tr('团（组团中/成功/失败）', 'Teams (forming/ok/failed)'), render: (_, g) => (g.teams ? `${g.teams.forming + g.teams.open} / ${g.teams.succeeded} / ${g.teams.failed}` : '—') },
          { title: tr('时间', 'Runs'), render: (_, g) => `${fmtTime(g.startsAt)} ~ ${fmtTime(g.endsAt)}` },
          { title: tr('状态', 'State'), dataIndex: 'state', render: (s: string) => <StateTag s={s} /> },
        ]} />
      <Modal open={creating} title={tr('新建拼团', 'New group buy')} onCancel={() => setCreating(false)} onOk={() => void create()} okButtonProps={{ 'data-testid': 'groupbuy-save' }}>
        <Form form={form} layout="vertical" initialValues={{ perShopperLimit: 1, groupSize: 3, timeLimitMinutes: 1440 }}>
          <Form.Item name="skuId" label="SKU ID" rules={[{ required: true }]}><Input data-testid="groupbuy-sku" /></Form.Item>
          <Space wrap>
            <Form.Item name="groupPrice" label={tr('拼团价（元）', 'Group price (¥)')} rules={[{ required: true }]}><MoneyInput /></Form.Item>
            <Form.Item name="leaderPrice" label={tr('团长价（元）', 'Leader price (¥)')}><MoneyInput /></Form.Item>
            <Form.Item name="groupSize" label={tr('成团人数', 'Team size')} rules={[{ required: true }]}><InputNumber min={2} precision={0} /></Form.Item>
            <Form.Item name="allocated" label={tr('投放数量', 'Units')} rules={[{ required: true }]}><InputNumber min={1} precision={0} /></Form.Item>
            <Form.Item name="timeLimitMinutes" label={tr('成团时限（分钟）', 'Time limit (min)')}><InputNumber min={1} precision={0} /></Form.Item>
          </Space>
          <RangeItem label={tr('时间', 'Runs')} />
          <Form.Item name="autoFill" label={tr('模拟成团', 'Auto-fill')} valuePropName="checked"><Switch /></Form.Item>
        </Form>
      </Modal>
    </div>
  );
}
