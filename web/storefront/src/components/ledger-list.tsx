import { useEffect, useState } from 'react';
import { useReachBottom } from '@tarojs/taro';
import { View, Text } from '@tarojs/components';
import { toastError } from '@/api';
import { PageState } from '@/components/page-state';
import { formatTime } from '@/lib/format';
import { deltaText, entryTitle } from '@/lib/points';
import './ledger-list.css';

export type LedgerType = 'all' | 'earn' | 'spend';
export interface LedgerEntry {
  id: string;
  delta: number;
  reason: string;
  note?: string | null;
  createdAt: string;
}
export interface LedgerPage {
  items: LedgerEntry[];
  nextCursor: string | null;
}

export const LEDGER_TABS: { key: LedgerType; text: string }[] = [
  { key: 'all', text: '全部' },
  { key: 'earn', text: '获得' },
  { key: 'spend', text: '使用' },
];

/** 全部 / 获得 / 使用 */
export function LedgerTabs({ value, onChange, testId }: { value: LedgerType; onChange: (t: LedgerType) => void; testId: string }) {
  return (
    <View className="ledger-tabs">
      {LEDGER_TABS.map((t) => (
        <View
          key={t.key}
          className={`ledger-tabs__tab${value === t.key ? ' ledger-tabs__tab--on' : ''}`}
          data-testid={`${testId}-${t.key}`}
          onClick={() => onChange(t.key)}
        >
          <Text>{t.text}</Text>
        </View>
      ))}
    </View>
  );
}

/**
 * A ledger's entries (积分明细 / 余额明细) from the first page the page loaded; further pages load
 * on reaching the bottom with `loadMore(cursor)`.
 */
export function LedgerList({
  first,
  loading,
  error,
  onRetry,
  loadMore,
  kind,
  emptyText,
  testId,
}: {
  first: LedgerPage | undefined;
  loading: boolean;
  error: unknown;
  onRetry: () => void;
  loadMore: (cursor: string) => Promise<LedgerPage>;
  kind: 'points' | 'balance';
  emptyText: string;
  testId: string;
}) {
  const [more, setMore] = useState<{ items: LedgerEntry[]; cursor: string | null; busy: boolean }>({
    items: [],
    cursor: null,
    busy: false,
  });
  useEffect(() => setMore({ items: [], cursor: first?.nextCursor ?? null, busy: false }), [first]);
  useReachBottom(() => {
    if (!more.cursor || more.busy) return;
    const cursor = more.cursor;
    setMore((m) => ({ ...m, busy: true }));
    loadMore(cursor)
      .then((r) => setMore((m) => ({ items: [...m.items, ...r.items], cursor: r.nextCursor, busy: false })))
      .catch((e) => {
        setMore((m) => ({ ...m, busy: false }));
        toastError(e);
      });
  });
  if (!first) return <PageState loading={loading} error={error} onRetry={onRetry} />;
  const items = [...first.items, ...more.items];
  if (items.length === 0) return <PageState empty emptyText={emptyText} />;
  return (
    <View className="ledger-list" data-testid={testId}>
      {items.map((e) => (
        <View key={e.id} className="ledger-list__row" data-testid={`${testId}-row`} data-reason={e.reason}>
          <View className="ledger-list__main">
            <Text className="ledger-list__title">{entryTitle(e)}</Text>
            <Text className="ledger-list__time">{formatTime(e.createdAt, { year: true })}</Text>
          </View>
          <Text className={`ledger-list__delta${e.delta > 0 ? ' ledger-list__delta--plus' : ''}`}>{deltaText(e.delta, kind)}</Text>
        </View>
      ))}
      <View className="ledger-list__more">
        <Text>{more.busy ? '加载中…' : more.cursor ? '上拉加载更多' : '没有更多了'}</Text>
      </View>
    </View>
  );
}
