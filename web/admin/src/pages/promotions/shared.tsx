import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Alert, DatePicker, Form, Input, InputNumber, Select, Space, Tag, TreeSelect, type FormInstance } from 'antd';
import type { Dayjs } from 'dayjs';
import { ApiError } from '@edgemall/client';
import { api, call, type Schemas } from '../../api';
import { useI18n } from '../../i18n';
import { errText, useInterval } from '../../ui';

export const iso = (d?: Dayjs | null) => (d ? d.toISOString() : undefined);

export function RangeItem({ label }: { label: string }) {
  return (
    <Form.Item name="range" label={label} rules={[{ required: true }]}>
      <DatePicker.RangePicker showTime data-testid="promo-range" />
    </Form.Item>
  );
}

/** Where a flash sale or group buy stands in time (the list filter). */
export type LiveState = Schemas['FlashSale']['state'];

export function StateFilter({ value, onChange }: { value?: LiveState; onChange: (v?: LiveState) => void }) {
  const { tr, labelOptions } = useI18n();
  return (
    <Space style={{ marginBottom: 12 }}>
      <Select
        allowClear
        placeholder={tr('状态', 'State')}
        style={{ width: 140 }}
        value={value}
        onChange={onChange}
        data-testid="filter-state"
        options={labelOptions('promoState', ['live', 'upcoming', 'ended'] satisfies LiveState[])}
      />
      <span style={{ color: '#999' }}>{tr('每 3 秒自动刷新剩余数量', 'Remaining units refresh every 3 s')}</span>
    </Space>
  );
}

/**
 * Flash-sale and group-buy lists: one page of up to 100, filtered by state and refetched every 3 s so
 * the remaining units stay current. `fetch` must be stable (a module-level function).
 */
export function useLiveList<T>(fetch: (state?: LiveState) => Promise<{ items: T[] }>) {
  const [items, setItems] = useState<T[]>([]);
  const [state, setState] = useState<LiveState | undefined>();
  const [error, setError] = useState<unknown>(null);
  const reload = useCallback(() => {
    fetch(state)
      .then((r) => {
        setItems(r.items);
        setError(null);
      })
      .catch(setError);
  }, [fetch, state]);
  useEffect(reload, [reload]);
  useInterval(reload, 3000);
  return { items, error, state, setState, reload };
}

/** Field path aliases: API field → form field (e.g. startsAt lives in the RangePicker). */
const ALIASES: Record<string, string> = { startsAt: 'range', endsAt: 'range', validFrom: 'range', validTo: 'range' };

/**
 * Puts validation.failed issues next to the matching form fields (paths like "tiers.0.off" or "/tiers/0/off");
 * returns the text for the form-level alert (always the whole message, so nothing is lost).
 */
export function applyApiErrors(form: FormInstance, e: unknown, rename: Record<string, string> = {}): string {
  if (e instanceof ApiError) {
    const issues = (e.details as { issues?: { path?: string | (string | number)[]; message?: string }[] } | undefined)?.issues;
    if (Array.isArray(issues)) {
      const byField = new Map<string, { name: (string | number)[]; errors: string[] }>();
      for (const i of issues) {
        const raw = Array.isArray(i.path)
          ? i.path.map(String)
          : String(i.path ?? '')
              .split(/[./]/)
              .filter(Boolean);
        if (!raw.length) continue;
        const head = rename[raw[0]!] ?? ALIASES[raw[0]!] ?? raw[0]!;
        const name = [head, ...raw.slice(1)].map((p) => (/^\d+$/.test(p) ? Number(p) : p));
        // Only fields the form actually shows get an inline error.
        if (form.getFieldInstance?.(name as never) === undefined && form.getFieldValue(name) === undefined) continue;
        const key = JSON.stringify(name);
        const cur = byField.get(key) ?? { name, errors: [] };
        cur.errors.push(i.message ?? 'invalid');
        byField.set(key, cur);
      }
      if (byField.size) form.setFields([...byField.values()].map((f) => ({ name: f.name, errors: f.errors })));
    }
  }
  return errText(e);
}

export function FormError({ error }: { error: string | null }) {
  return error ? <Alert type="error" showIcon style={{ marginBottom: 12 }} message={error} data-testid="form-error" /> : null;
}

/** Loads option lists once (first page of up to 100). */
export function useLoad<T>(load: () => Promise<T[]>, deps: unknown[] = []): { items: T[]; loading: boolean } {
  const [items, setItems] = useState<T[]>([]);
  const [loading, setLoading] = useState(true);
  useEffect(() => {
    let live = true;
    setLoading(true);
    load()
      .then((x) => live && setItems(x))
      .catch(() => live && setItems([]))
      .finally(() => live && setLoading(false));
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, deps);
  return { items, loading };
}

/* ───────── segment ───────── */
export type Segment = Schemas['Segment'];
const splitIds = (s: string) =>
  s
    .split(/[\s,，、;；]+/)
    .map((x) => x.trim())
    .filter(Boolean);

export function SegmentPicker({ value, onChange, testId }: { value?: Segment; onChange?: (s: Segment) => void; testId?: string }) {
  const { tr, labelOptions } = useI18n();
  const seg: Segment = value ?? { kind: 'all' };
  const [idsText, setIdsText] = useState(seg.kind === 'users' ? seg.userIds.join('\n') : '');
  return (
    <div data-testid={testId}>
      <Space wrap align="start">
        <Select
          style={{ width: 200 }}
          value={seg.kind}
          data-testid="segment-kind"
          onChange={(k: Segment['kind']) =>
            onChange?.(
              k === 'new_users'
                ? { kind: 'new_users', days: 30 }
                : k === 'users'
                  ? { kind: 'users', userIds: splitIds(idsText) }
                  : k === 'segment'
                    ? { kind: 'segment', segmentId: 'layer:dormant' }
                    : { kind: k },
            )
          }
          options={labelOptions('segmentKind')}
        />
        {seg.kind === 'segment' && (
          <MemberSegmentSelect value={seg.segmentId} onChange={(segmentId) => onChange?.({ kind: 'segment', segmentId })} />
        )}
        {seg.kind === 'new_users' && (
          <InputNumber
            min={1}
            max={365}
            precision={0}
            value={seg.days}
            suffix={tr('天内', 'days')}
            data-testid="segment-days"
            onChange={(d) => onChange?.({ kind: 'new_users', days: d ?? 1 })}
          />
        )}
      </Space>
      {seg.kind === 'users' && (
        <Input.TextArea
          rows={3}
          style={{ marginTop: 8 }}
          value={idsText}
          data-testid="segment-users"
          placeholder={tr('用户 ID，每行一个或用逗号分隔（最多 1000 个）', 'User ids, one per line or comma-separated (max 1000)')}
          onChange={(e) => {
            setIdsText(e.target.value);
            onChange?.({ kind: 'users', userIds: splitIds(e.target.value) });
          }}
        />
      )}
    </div>
  );
}

export const segmentRule = (tr: (zh: string, en: string) => string) => ({
  validator: async (_: unknown, s?: Segment) => {
    if (s?.kind === 'users' && (s.userIds.length < 1 || s.userIds.length > 1000))
      throw new Error(tr('请填写 1–1000 个用户 ID', 'Enter 1–1000 user ids'));
  },
});

export function segmentText(s: Segment, tr: (zh: string, en: string) => string): string {
  switch (s.kind) {
    case 'all':
      return tr('全部用户', 'Everyone');
    case 'new_users':
      return tr(`${s.days} 天内注册的新用户`, `Registered within ${s.days} days`);
    case 'no_orders':
      return tr('从未下单的用户', 'Never ordered');
    case 'users':
      return tr(`指定 ${s.userIds.length} 个用户`, `${s.userIds.length} listed users`);
    case 'segment':
      return tr(`用户分群 ${s.segmentId}`, `Segment ${s.segmentId}`);
  }
}

/** The four layers (用户分层) and the operator segments, with their sizes (listSegments). */
function MemberSegmentSelect({ value, onChange }: { value: string; onChange: (id: string) => void }) {
  const { tr } = useI18n();
  const { items } = useLoad(async () => (await call(api.GET('/admin/v1/member-segments'))).items);
  const options = items.map((s) => ({ value: s.id, label: `${s.name}（${s.size} ${tr('人', '')}）` }));
  if (!options.some((o) => o.value === value)) options.push({ value, label: value });
  return <Select style={{ width: 240 }} value={value} onChange={onChange} options={options} data-testid="segment-member" />;
}

/* ───────── catalog pickers ───────── */
export function CategoryTreeSelect({ value, onChange }: { value?: string[]; onChange?: (v: string[]) => void }) {
  const { tr } = useI18n();
  const { items, loading } = useLoad(async () => (await call(api.GET('/admin/v1/categories'))).items);
  const tree = useMemo(() => {
    type Node = { value: string; title: string; children: Node[] };
    const nodes = new Map<string, Node>(
      items.map((c) => [c.id, { value: c.id, title: c.enabled ? c.name : `${c.name} (${tr('停用', 'off')})`, children: [] }]),
    );
    const roots: Node[] = [];
    for (const c of [...items].sort((a, b) => a.sortOrder - b.sortOrder)) {
      const n = nodes.get(c.id)!;
      const p = c.parentId ? nodes.get(c.parentId) : undefined;
      (p ? p.children : roots).push(n);
    }
    return roots;
  }, [items, tr]);
  return (
    <TreeSelect
      multiple
      treeCheckable
      showCheckedStrategy={TreeSelect.SHOW_PARENT}
      loading={loading}
      treeData={tree}
      value={value}
      onChange={onChange}
      treeNodeFilterProp="title"
      showSearch
      placeholder={tr('选择类目', 'Pick categories')}
      style={{ width: '100%' }}
      data-testid="scope-categories"
    />
  );
}

type ProductOpt = { value: string; label: string };
/** Product search-select (listAdminProducts by keyword). */
export function ProductSelect({
  value,
  onChange,
  multiple,
  testId,
  style,
}: {
  value?: string | string[];
  onChange?: (v: string | string[]) => void;
  multiple?: boolean;
  testId?: string;
  style?: React.CSSProperties;
}) {
  const { tr } = useI18n();
  const [opts, setOpts] = useState<ProductOpt[]>([]);
  const known = useRef(new Map<string, string>());
  const [loading, setLoading] = useState(false);
  const seq = useRef(0);
  const search = useCallback(async (q: string) => {
    const my = ++seq.current;
    setLoading(true);
    try {
      const r = await call(api.GET('/admin/v1/products', { params: { query: { limit: 20, q: q || undefined } } }));
      if (my !== seq.current) return;
      for (const p of r.items) known.current.set(p.id, p.title);
      setOpts(r.items.map((p) => ({ value: p.id, label: `${p.title} · ${p.id}` })));
    } catch {
      /* keep the old options */
    } finally {
      if (my === seq.current) setLoading(false);
    }
  }, []);
  useEffect(() => {
    void search('');
  }, [search]);
  // Keep labels of chosen products even when the current search does not list them.
  const selected = (Array.isArray(value) ? value : value ? [value] : [])
    .filter((id) => !opts.some((o) => o.value === id))
    .map((id) => ({ value: id, label: known.current.get(id) ?? id }));
  return (
    <Select
      showSearch
      allowClear
      mode={multiple ? 'multiple' : undefined}
      filterOption={false}
      loading={loading}
      value={value}
      onChange={onChange}
      onSearch={(q) => void search(q)}
      options={[...selected, ...opts]}
      placeholder={tr('搜索商品标题', 'Search products')}
      style={style ?? { width: '100%' }}
      data-testid={testId}
    />
  );
}

export type SkuInfo = { id: string; label: string; price: number };
export function useProductSkus(productId?: string): { skus: SkuInfo[]; title: string; loading: boolean } {
  const [state, setState] = useState<{ skus: SkuInfo[]; title: string; loading: boolean }>({ skus: [], title: '', loading: false });
  useEffect(() => {
    if (!productId) {
      setState({ skus: [], title: '', loading: false });
      return;
    }
    let live = true;
    setState((s) => ({ ...s, loading: true }));
    call(api.GET('/admin/v1/products/{productId}', { params: { path: { productId } } }))
      .then(
        (p) =>
          live &&
          setState({
            title: p.title,
            loading: false,
            skus: p.skus.map((s) => ({ id: s.id, price: s.price, label: `${s.specValues.join(' / ') || s.specKey || s.id}` })),
          }),
      )
      .catch(() => live && setState({ skus: [], title: '', loading: false }));
    return () => {
      live = false;
    };
  }, [productId]);
  return state;
}

/** SKU ids, picked product by product. */
export function SkuMultiPicker({ value, onChange }: { value?: string[]; onChange?: (v: string[]) => void }) {
  const { tr } = useI18n();
  const [productId, setProductId] = useState<string>();
  const { skus, title } = useProductSkus(productId);
  const labels = useRef(new Map<string, string>());
  for (const s of skus) labels.current.set(s.id, `${title} · ${s.label}`);
  const ids = value ?? [];
  return (
    <div data-testid="scope-skus">
      <Space wrap style={{ marginBottom: 8 }}>
        <ProductSelect value={productId} onChange={(v) => setProductId(v as string)} style={{ width: 320 }} />
        {skus.map((s) => (
          <Tag.CheckableTag
            key={s.id}
            checked={ids.includes(s.id)}
            onChange={(on) => onChange?.(on ? [...ids, s.id] : ids.filter((x) => x !== s.id))}
          >
            {s.label}
          </Tag.CheckableTag>
        ))}
      </Space>
      <Select
        mode="multiple"
        value={ids}
        onChange={onChange}
        open={false}
        style={{ width: '100%' }}
        placeholder={tr('先选商品，再勾选 SKU', 'Pick a product, then tick its SKUs')}
        options={ids.map((id) => ({ value: id, label: labels.current.get(id) ?? id }))}
      />
    </div>
  );
}

export function CampaignSelect(props: { value?: string; onChange?: (v?: string) => void }) {
  const { tr, label } = useI18n();
  const { items, loading } = useLoad(async () => (await call(api.GET('/admin/v1/campaigns', { params: { query: { limit: 100 } } }))).items);
  return (
    <Select
      allowClear
      showSearch
      optionFilterProp="label"
      loading={loading}
      placeholder={tr('不关联活动', 'No campaign')}
      {...props}
      options={items.map((c) => ({ value: c.id, label: `${c.name} (${label('promoState', c.state)})` }))}
      data-testid="campaign-select"
    />
  );
}
