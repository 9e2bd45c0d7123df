import { useCallback, useEffect, useRef, useState, type ReactNode } from 'react';
import { Button, Input, Result, Space, Tag, message } from 'antd';
import dayjs from 'dayjs';
import { Link, Navigate, useLocation } from 'react-router-dom';
import { ApiError, fenToYuanString, formatFen, yuanToFen } from '@edgemall/client';
import { useAuth } from './auth';
import { useI18n, type LabelGroup } from './i18n';
import { canSee, type NavKey } from './nav';

export { formatFen, yuanToFen, fenToYuanString };

export function fmtTime(iso: string | null | undefined): string {
  return iso ? dayjs(iso).format('YYYY-MM-DD HH:mm:ss') : '—';
}

/** Commission in basis points as a percentage: 800 → "8.00%". */
export function formatBps(bps: number | null | undefined): string {
  return bps === null || bps === undefined ? '—' : `${(bps / 100).toFixed(2)}%`;
}

export function errText(e: unknown): string {
  if (e instanceof ApiError) {
    // validation.failed and friends list every field problem in details.issues.
    const issues = (e.details as { issues?: { path?: string; message?: string }[] } | undefined)?.issues;
    if (Array.isArray(issues) && issues.length > 1)
      return `${issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join('; ')} (${e.code})`;
    return e.code && e.code !== 'unknown' ? `${e.message} (${e.code})` : e.message;
  }
  if (e instanceof Error) return e.message;
  return String(e);
}

export function showError(e: unknown) {
  void message.error(errText(e));
}

/** Tag colours of codes that need one; anything else is a plain grey tag. */
const TAG_COLORS: Partial<Record<LabelGroup, Record<string, string>>> = {
  orderStatus: { pending_payment: 'gold', paid: 'blue', shipped: 'cyan', delivered: 'geekblue', completed: 'green' },
  afterSaleStatus: {
    requested: 'gold',
    approved: 'blue',
    rejected: 'red',
    returning: 'cyan',
    received: 'geekblue',
    refunding: 'purple',
    refunded: 'green',
    exchanged: 'green',
  },
  refundStatus: { pending: 'gold', processing: 'purple', succeeded: 'green', abnormal: 'red' },
  productStatus: { pending_review: 'orange', on_sale: 'green', off_sale: 'red' },
  promoState: { upcoming: 'blue', live: 'green', disabled: 'red' },
  promoStatus: { active: 'green', disabled: 'red', cancelled: 'red' },
  prizeFulfilment: { to_ship: 'orange', shipped: 'green' },
  merchantStatus: { active: 'green', suspended: 'red' },
  applicationStatus: { pending: 'gold', approved: 'green', rejected: 'red' },
  ledgerType: { sale: 'green', refund: 'red', commission: 'orange' },
  staffRole: { admin: 'blue', operator: 'blue', support: 'blue', merchant: 'blue' },
  staffStatus: { active: 'green', disabled: 'red' },
  diffKind: { added: 'green', removed: 'red', changed: 'orange' },
  reviewStatus: { published: 'green', pending: 'orange', rejected: 'red' },
  reviewHoldReason: { screening: 'red', duplicate: 'purple', reported: 'orange' },
  noticeStatus: { open: 'orange', corrected: 'blue', taken_down: 'red', accepted: 'green' },
  screenVerdict: { pass: 'green', warn: 'gold', review: 'orange', block: 'red' },
  contentStatus: { draft: 'default', review: 'orange', approved: 'blue', scheduled: 'cyan', published: 'green', taken_down: 'red' },
  contentFlag: { flagged: 'red', cleared: 'green' },
};

/** An API code (status, state, kind…) as a coloured tag with its label. */
export function CodeTag({ group, code, testId }: { group: LabelGroup; code: string | null | undefined; testId?: string }) {
  const { label } = useI18n();
  return (
    <Tag color={code ? TAG_COLORS[group]?.[code] : undefined} data-testid={testId}>
      {label(group, code)}
    </Tag>
  );
}

export function Forbidden() {
  const { t } = useI18n();
  return (
    <div data-testid="forbidden">
      <Result
        status="403"
        title="403"
        subTitle={t('forbidden')}
        extra={
          <Link to="/dashboard">
            <Button type="primary">{t('backHome')}</Button>
          </Link>
        }
      />
    </div>
  );
}

/** Signed-in pages: login redirect, then the role check for the screen. */
export function Guard({ nav, children }: { nav?: NavKey; children: ReactNode }) {
  const { me, loading } = useAuth();
  const loc = useLocation();
  if (loading) return null;
  if (!me) return <Navigate to="/login" replace state={{ from: loc.pathname + loc.search }} />;
  if (nav && !canSee(me, nav)) return <Forbidden />;
  return <>{children}</>;
}

export interface CursorPage<T> {
  items: T[];
  nextCursor?: string | null;
}

/**
 * Cursor pagination: keeps the cursors of the pages seen so far, so "previous" works too.
 * `fetchPage` must be stable for a given set of filters (wrap it in useCallback with the filters).
 */
export function useCursorList<T>(fetchPage: (cursor: string | undefined) => Promise<CursorPage<T>>) {
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  const [page, setPage] = useState(0);
  const [items, setItems] = useState<T[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const seq = useRef(0);

  const load = useCallback(
    async (p: number, cs: (string | undefined)[]) => {
      const my = ++seq.current;
      setLoading(true);
      try {
        const res = await fetchPage(cs[p]);
        if (my !== seq.current) return;
        setItems(res.items);
        setNext(res.nextCursor ?? null);
        setError(null);
      } catch (e) {
        if (my !== seq.current) return;
        setError(e);
        setItems([]);
        setNext(null);
      } finally {
        if (my === seq.current) setLoading(false);
      }
    },
    [fetchPage],
  );

  // Filters changed → back to the first page.
  useEffect(() => {
    setCursors([undefined]);
    setPage(0);
    void load(0, [undefined]);
  }, [load]);

  const goNext = () => {
    if (!next) return;
    const cs = [...cursors.slice(0, page + 1), next];
    setCursors(cs);
    setPage(page + 1);
    void load(page + 1, cs);
  };
  const goPrev = () => {
    if (page === 0) return;
    setPage(page - 1);
    void load(page - 1, cursors);
  };
  const reload = () => load(page, cursors);
  return { items, loading, error, page, hasNext: !!next, goNext, goPrev, reload, setItems };
}

export function Pager({ list }: { list: { page: number; hasNext: boolean; goNext: () => void; goPrev: () => void; loading: boolean } }) {
  const { t, tr } = useI18n();
  return (
    <Space style={{ marginTop: 12, float: 'right' }}>
      <span>{tr(`第 ${list.page + 1} 页`, `Page ${list.page + 1}`)}</span>
      <Button size="small" disabled={list.page === 0 || list.loading} onClick={list.goPrev} data-testid="page-prev">
        {t('prev')}
      </Button>
      <Button size="small" disabled={!list.hasNext || list.loading} onClick={list.goNext} data-testid="page-next">
        {t('next')}
      </Button>
    </Space>
  );
}

/** A yuan amount typed as text, held as integer fen (no float arithmetic). */
export function MoneyInput({
  value,
  onChange,
  testId,
  placeholder,
  style,
  disabled,
}: {
  value?: number | null;
  onChange?: (fen: number | null) => void;
  testId?: string;
  placeholder?: string;
  style?: React.CSSProperties;
  disabled?: boolean;
}) {
  const [text, setText] = useState<string>(value === null || value === undefined ? '' : fenToYuanString(value));
  const last = useRef<number | null | undefined>(value);
  useEffect(() => {
    if (value !== last.current) {
      last.current = value;
      setText(value === null || value === undefined ? '' : fenToYuanString(value));
    }
  }, [value]);
  const bad = text.trim() !== '' && yuanToFen(text) === null;
  return (
    <Input
      prefix="¥"
      value={text}
      status={bad ? 'error' : undefined}
      placeholder={placeholder ?? '0.00'}
      data-testid={testId}
      style={style}
      disabled={disabled}
      inputMode="decimal"
      onChange={(e) => {
        setText(e.target.value);
        const fen = e.target.value.trim() === '' ? null : yuanToFen(e.target.value);
        last.current = fen;
        onChange?.(fen);
      }}
    />
  );
}

export function useInterval(fn: () => void, ms: number | null) {
  const ref = useRef(fn);
  ref.current = fn;
  useEffect(() => {
    if (ms === null) return;
    const id = setInterval(() => ref.current(), ms);
    return () => clearInterval(id);
  }, [ms]);
}

export function PageTitle({ children, extra }: { children: ReactNode; extra?: ReactNode }) {
  return (
    <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'center', marginBottom: 16 }}>
      <h2 style={{ margin: 0, fontSize: 20 }}>{children}</h2>
      <Space>{extra}</Space>
    </div>
  );
}

export function JsonBlock({ value }: { value: unknown }) {
  return (
    <pre style={{ background: '#fafafa', padding: 8, fontSize: 12, maxHeight: 360, overflow: 'auto', margin: 0 }}>
      {JSON.stringify(value, null, 2)}
    </pre>
  );
}
