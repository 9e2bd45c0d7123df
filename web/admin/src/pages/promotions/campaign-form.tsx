import { useEffect, useState } from 'react';
import {
  Button,
  Descriptions,
  Drawer,
  Form,
  Input,
  InputNumber,
  Modal,
  Progress,
  Select,
  Space,
  Switch,
  Table,
  Upload,
  message,
} from 'antd';
import { api, call, newIdempotencyKey, type Schemas } from '../../api';
import { useI18n } from '../../i18n';
import { CodeTag, MoneyInput, fmtTime, formatFen, showError } from '../../ui';
import { FormError, RangeItem, SegmentPicker, applyApiErrors, iso, segmentRule, segmentText, useLoad } from './shared';

/** Image URL input with an upload button (uploadMedia purpose 'banner' → `/media/<key>`). */
function BannerImage({ value, onChange, testId }: { value?: string; onChange?: (v: string) => void; testId?: string }) {
  const { tr } = useI18n();
  const [busy, setBusy] = useState(false);
  const upload = async (file: File) => {
    setBusy(true);
    try {
      const fd = new FormData();
      fd.append('file', file);
      const media = await api.raw<Schemas['Media']>('POST', '/admin/v1/media', { query: { purpose: 'banner' }, body: fd });
      onChange?.(`/media/${media.key}`);
      void message.success(tr('图片已上传', 'Image uploaded'));
    } catch (e) {
      showError(e);
    } finally {
      setBusy(false);
    }
  };
  const src = value ? (value.startsWith('/media/') ? `${api.baseUrl}${value}` : value) : undefined;
  return (
    <Space>
      {src && <img src={src} alt="" style={{ width: 64, height: 32, objectFit: 'cover', border: '1px solid #eee' }} />}
      <Input
        value={value}
        onChange={(e) => onChange?.(e.target.value)}
        placeholder="/media/…"
        style={{ width: 200 }}
        data-testid={testId}
      />
      <Upload
        accept="image/png,image/jpeg,image/webp,image/gif"
        showUploadList={false}
        beforeUpload={(f) => {
          void upload(f);
          return false;
        }}
      >
        <Button loading={busy} data-testid={testId ? `${testId}-upload` : undefined}>
          {tr('上传', 'Upload')}
        </Button>
      </Upload>
    </Space>
  );
}

function BannerFields({ prefix, testPrefix }: { prefix: (string | number)[]; testPrefix: string }) {
  const { tr } = useI18n();
  const req = { required: true, message: tr('必填', 'required') };
  return (
    <Space align="start" wrap>
      <Form.Item name={[...prefix, 'imageUrl']} rules={[req, { max: 500 }]} style={{ margin: 0 }}>
        <BannerImage testId={`${testPrefix}-image`} />
      </Form.Item>
      <Form.Item name={[...prefix, 'title']} rules={[req, { max: 60 }]} style={{ margin: 0 }}>
        <Input placeholder={tr('标题', 'Title')} style={{ width: 150 }} data-testid={`${testPrefix}-title`} />
      </Form.Item>
      <Form.Item name={[...prefix, 'link']} rules={[req, { max: 500 }]} style={{ margin: 0 }}>
        <Input placeholder={tr('链接，如 /pages/campaign/1111', 'Link')} style={{ width: 200 }} data-testid={`${testPrefix}-link`} />
      </Form.Item>
    </Space>
  );
}

export function CampaignFormModal({ open, onClose, onSaved }: { open: boolean; onClose: () => void; onSaved: () => void }) {
  const { tr, t, label } = useI18n();
  const [form] = Form.useForm();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const hasPopup = Form.useWatch('hasPopup', form) as boolean | undefined;
  const rules = useLoad(
    async () => (await call(api.GET('/admin/v1/promotion-rules', { params: { query: { limit: 100 } } }))).items,
    [open],
  );
  const coupons = useLoad(
    async () => (await call(api.GET('/admin/v1/coupon-templates', { params: { query: { limit: 100 } } }))).items,
    [open],
  );
  const lotteries = useLoad(async () => (await call(api.GET('/admin/v1/lotteries', { params: { query: { limit: 100 } } }))).items, [open]);
  const flash = useLoad(async () => (await call(api.GET('/admin/v1/flash-sales', { params: { query: { limit: 100 } } }))).items, [open]);

  const close = () => {
    setError(null);
    onClose();
  };
  const submit = async () => {
    setError(null);
    let v;
    try {
      v = await form.validateFields();
    } catch {
      return;
    }
    const body: Schemas['CreateCampaignInput'] = {
      name: v.name,
      description: v.description ?? '',
      startsAt: iso(v.range[0])!,
      endsAt: iso(v.range[1])!,
      segment: v.segment,
      budget: v.budget ?? 0,
      priority: v.priority ?? 0,
      banners: v.banners ?? [],
      popup: v.hasPopup ? v.popup : undefined,
      ruleIds: v.ruleIds?.length ? v.ruleIds : undefined,
      couponTemplateIds: v.couponTemplateIds?.length ? v.couponTemplateIds : undefined,
      lotteryIds: v.lotteryIds?.length ? v.lotteryIds : undefined,
      flashSaleIds: v.flashSaleIds?.length ? v.flashSaleIds : undefined,
    };
    setBusy(true);
    try {
      await call(api.POST('/admin/v1/campaigns', { params: { header: { 'idempotency-key': newIdempotencyKey() } }, body }));
      void message.success(t('saved'));
      form.resetFields();
      onSaved();
    } catch (e) {
      setError(applyApiErrors(form, e));
    } finally {
      setBusy(false);
    }
  };

  const multi = (name: string, label: string, loading: boolean, options: { value: string; label: string; disabled?: boolean }[]) => (
    <Form.Item name={name} label={label} rules={[{ type: 'array', max: 50 }]}>
      <Select
        mode="multiple"
        allowClear
        loading={loading}
        optionFilterProp="label"
        options={options}
        data-testid={`campaign-${name}`}
        placeholder={tr('可多选', 'Pick any')}
      />
    </Form.Item>
  );
  const taken = (campaignId: string | null | undefined) => !!campaignId;
  return (
    <Modal
      open={open}
      width={900}
      title={tr('新建活动', 'New campaign')}
      onCancel={close}
      onOk={() => void submit()}
      confirmLoading={busy}
      okButtonProps={{ 'data-testid': 'campaign-save' }}
      destroyOnHidden
    >
      <FormError error={error} />
      <Form
        form={form}
        layout="vertical"
        preserve={false}
        initialValues={{ priority: 0, segment: { kind: 'all' }, banners: [], hasPopup: false }}
      >
        <Space wrap align="start">
          <Form.Item name="name" label={tr('名称', 'Name')} rules={[{ required: true, max: 60 }]}>
            <Input style={{ width: 280 }} data-testid="campaign-name" />
          </Form.Item>
          <Form.Item name="description" label={tr('说明', 'Description')} rules={[{ max: 500 }]}>
            <Input style={{ width: 460 }} />
          </Form.Item>
        </Space>
        <Space wrap align="start">
          <RangeItem label={tr('活动时间', 'Runs')} />
          <Form.Item name="budget" label={tr('预算（元）', 'Budget (¥)')} rules={[{ required: true, message: tr('必填', 'required') }]}>
            <MoneyInput testId="campaign-budget" style={{ width: 160 }} />
          </Form.Item>
          <Form.Item name="priority" label={tr('优先级', 'Priority')}>
            <InputNumber min={-1000} max={1000} precision={0} />
          </Form.Item>
        </Space>
        <Form.Item name="segment" label={tr('目标人群', 'Audience')} rules={[segmentRule(tr)]}>
          <SegmentPicker testId="campaign-segment" />
        </Form.Item>
        <Form.List
          name="banners"
          rules={[
            {
              validator: async (_, b?: unknown[]) => {
                if ((b?.length ?? 0) > 10) throw new Error(tr('最多 10 个横幅', 'At most 10 banners'));
              },
            },
          ]}
        >
          {(fields, { add, remove }, { errors }) => (
            <div style={{ marginBottom: 16 }} data-testid="banners">
              <div style={{ marginBottom: 8 }}>{tr(`首页横幅（${fields.length}/10）`, `Home banners (${fields.length}/10)`)}</div>
              {fields.map((f, i) => (
                <Space key={f.key} align="start" style={{ marginBottom: 8 }}>
                  <BannerFields prefix={[f.name]} testPrefix={`banner-${i}`} />
                  <Button danger onClick={() => remove(f.name)} data-testid={`banner-remove-${i}`}>
                    {tr('删除', 'Remove')}
                  </Button>
                </Space>
              ))}
              <Button disabled={fields.length >= 10} onClick={() => add({})} data-testid="banner-add">
                + {tr('添加横幅', 'Add banner')}
              </Button>
              <Form.ErrorList errors={errors} />
            </div>
          )}
        </Form.List>
        <Form.Item name="hasPopup" label={tr('首页弹窗（仅展示一次）', 'Home popup (shown once)')} valuePropName="checked">
          <Switch data-testid="campaign-popup" />
        </Form.Item>
        {hasPopup && (
          <div style={{ marginBottom: 16 }}>
            <BannerFields prefix={['popup']} testPrefix="popup" />
          </div>
        )}
        <Space.Compact block style={{ display: 'grid', gridTemplateColumns: '1fr 1fr', gap: 12 }}>
          {multi(
            'ruleIds',
            tr('促销规则', 'Price rules'),
            rules.loading,
            rules.items.map((r) => ({
              value: r.id,
              label: `${r.name} · ${r.label} (${label('promoState', r.state)})`,
              disabled: taken(r.campaignId),
            })),
          )}
          {multi(
            'couponTemplateIds',
            tr('优惠券', 'Coupon templates'),
            coupons.loading,
            coupons.items.map((c) => ({
              value: c.id,
              label: `${c.name} · ${c.label}`,
              disabled: taken((c as { campaignId?: string | null }).campaignId),
            })),
          )}
          {multi(
            'lotteryIds',
            tr('抽奖', 'Lotteries'),
            lotteries.loading,
            lotteries.items.map((l) => ({
              value: l.id,
              label: `${l.name} (${label('promoState', l.state)})`,
              disabled: taken((l as { campaignId?: string | null }).campaignId),
            })),
          )}
          {multi(
            'flashSaleIds',
            tr('秒杀', 'Flash sales'),
            flash.loading,
            flash.items
              .filter((f) => f.status === 'active')
              .map((f) => ({
                value: f.id,
                label: `${f.title} ${f.roundLabel} ${formatFen(f.salePrice)} (${label('promoState', f.state)})`,
              })),
          )}
        </Space.Compact>
        <div style={{ color: '#888' }}>{tr('已属于其他活动的规则/券/抽奖不可选。', 'Items already in another campaign are disabled.')}</div>
      </Form>
    </Modal>
  );
}

type Detail = Omit<Schemas['CampaignDetail'], 'popup'> & { popup: Schemas['CampaignBanner'] | null };
export function CampaignDrawer({ id, onClose }: { id: string; onClose: () => void }) {
  const { tr, label } = useI18n();
  const [c, setC] = useState<Detail | null>(null);
  const [budget, setBudget] = useState<number | null>(null);
  useEffect(() => {
    call(api.GET('/admin/v1/campaigns/{campaignId}', { params: { path: { campaignId: id } } }))
      .then((x) => {
        setC(x as unknown as Detail);
        setBudget(x.budget);
      })
      .catch(showError);
  }, [id]);
  const raise = async () => {
    try {
      const x = await call(
        api.PATCH('/admin/v1/campaigns/{campaignId}', { params: { path: { campaignId: id } }, body: { budget: budget ?? undefined } }),
      );
      setC(x as unknown as Detail);
      void message.success(tr('预算已更新', 'Budget raised'));
    } catch (e) {
      showError(e);
    }
  };
  const pct = c && c.budget > 0 ? Math.min(100, Math.round((c.budgetUsed * 1000) / c.budget) / 10) : 0;
  const popup = c?.popup;
  return (
    <Drawer open width={760} title={c?.name} onClose={onClose} data-testid="campaign-drawer">
      {c && (
        <>
          <Descriptions column={1} size="small" bordered>
            <Descriptions.Item label="ID">{c.id}</Descriptions.Item>
            <Descriptions.Item label={tr('说明', 'Description')}>{c.description}</Descriptions.Item>
            <Descriptions.Item label={tr('时间', 'Runs')}>
              {fmtTime(c.startsAt)} ~ {fmtTime(c.endsAt)}
            </Descriptions.Item>
            <Descriptions.Item label={tr('预算', 'Budget')}>
              <div data-testid="campaign-budget-used">
                {tr('已用', 'Used')} {formatFen(c.budgetUsed)} / {formatFen(c.budget)} · {tr('剩余', 'left')}{' '}
                <b>{formatFen(c.budgetRemaining)}</b>
              </div>
              <Progress percent={pct} status={c.budgetRemaining <= 0 ? 'exception' : 'active'} />
            </Descriptions.Item>
            <Descriptions.Item label={tr('人群', 'Audience')}>{segmentText(c.segment, tr)}</Descriptions.Item>
            <Descriptions.Item label={tr('优先级', 'Priority')}>{c.priority}</Descriptions.Item>
            <Descriptions.Item label={tr('状态', 'State')}>
              <CodeTag group="promoState" code={c.state} />
            </Descriptions.Item>
            <Descriptions.Item label={tr('横幅', 'Banners')}>
              {c.banners.length
                ? c.banners.map((b, i) => (
                    <div key={i}>
                      <a href={b.imageUrl.startsWith('/') ? `${api.baseUrl}${b.imageUrl}` : b.imageUrl} target="_blank" rel="noreferrer">
                        {b.title}
                      </a>{' '}
                      → {b.link}
                    </div>
                  ))
                : '—'}
            </Descriptions.Item>
            <Descriptions.Item label={tr('弹窗', 'Popup')}>{popup?.title ? `${popup.title} → ${popup.link}` : '—'}</Descriptions.Item>
          </Descriptions>
          <Space style={{ marginTop: 16 }}>
            <MoneyInput value={budget} onChange={setBudget} style={{ width: 180 }} />
            <Button onClick={() => void raise()}>{tr('追加预算', 'Raise budget')}</Button>
          </Space>
          <h4 style={{ marginTop: 16 }}>
            {tr('促销规则', 'Price rules')} ({c.rules.length})
          </h4>
          <Table
            size="small"
            rowKey="id"
            pagination={false}
            dataSource={c.rules}
            columns={[
              { title: tr('名称', 'Name'), dataIndex: 'name' },
              { title: tr('文案', 'Label'), dataIndex: 'label' },
              { title: tr('类型', 'Kind'), dataIndex: 'kind', render: (k: string) => label('ruleKind', k) },
              { title: tr('状态', 'State'), dataIndex: 'state', render: (s: string) => <CodeTag group="promoState" code={s} /> },
            ]}
          />
          <h4 style={{ marginTop: 16 }}>
            {tr('优惠券', 'Coupons')} ({c.couponTemplates.length})
          </h4>
          <Table
            size="small"
            rowKey="id"
            pagination={false}
            dataSource={c.couponTemplates}
            columns={[
              { title: tr('名称', 'Name'), dataIndex: 'name' },
              { title: tr('类型', 'Kind'), dataIndex: 'kind', render: (k: string) => label('couponKind', k) },
              { title: tr('已发/总量', 'Issued / total'), render: (_, x) => `${x.issuedCount} / ${x.totalQuantity}` },
              { title: tr('状态', 'Status'), dataIndex: 'status', render: (s: string) => <CodeTag group="promoStatus" code={s} /> },
            ]}
          />
          <h4 style={{ marginTop: 16 }}>
            {tr('抽奖', 'Lotteries')} ({c.lotteries.length})
          </h4>
          <Table
            size="small"
            rowKey="id"
            pagination={false}
            dataSource={c.lotteries}
            columns={[
              { title: tr('名称', 'Name'), dataIndex: 'name' },
              { title: tr('预算', 'Budget'), render: (_, x) => `${formatFen(x.budgetUsed)} / ${formatFen(x.budget)}` },
              { title: tr('状态', 'Status'), dataIndex: 'status', render: (s: string) => <CodeTag group="promoStatus" code={s} /> },
            ]}
          />
          <h4 style={{ marginTop: 16 }}>
            {tr('秒杀', 'Flash sales')} ({c.flashSales.length})
          </h4>
          <Table
            size="small"
            rowKey="id"
            pagination={false}
            dataSource={c.flashSales}
            columns={[
              { title: 'SKU', dataIndex: 'skuId' },
              { title: tr('秒杀价', 'Price'), dataIndex: 'salePrice', render: (p: number) => formatFen(p) },
              { title: tr('数量', 'Units'), dataIndex: 'allocated' },
              { title: tr('时间', 'Runs'), render: (_, x) => `${fmtTime(x.startsAt)} ~ ${fmtTime(x.endsAt)}` },
              { title: tr('状态', 'Status'), dataIndex: 'status', render: (s: string) => <CodeTag group="promoStatus" code={s} /> },
            ]}
          />
        </>
      )}
    </Drawer>
  );
}
