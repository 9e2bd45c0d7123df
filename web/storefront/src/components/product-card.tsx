import { useCallback, useEffect, useRef, useState } from 'react';
import { View, Text, Image } from '@tarojs/components';
import type { OperationInput, OperationResult } from '@edgemall/client/operation-client';
import { api } from '@/api';
import { go } from '@/lib/nav';
import { Price } from '@/components/price';
import './product-card.css';

export type ProductSummary = OperationResult<'listProducts'>['items'][number];
export type ProductQuery = NonNullable<OperationInput<'listProducts'>['query']>;

/** "已售 1.2万" / "已售 356"; '' before the first sale. */
function salesText(n: number): string {
  if (!(n > 0)) return '';
  if (n >= 10000) return `已售 ${Math.floor(n / 1000) / 10}万+`;
  return `已售 ${n}`;
}

/**
 * A product tile, shared by home, category and search: picture, title, lowest price ("起" when
 * the SKUs differ), sales; `grid` is the two-column card, `row` the list line.
 */
export function ProductCard({
  product,
  layout = 'grid',
  testId,
  onOpen,
}: {
  product: ProductSummary;
  layout?: 'grid' | 'row';
  testId?: string;
  onOpen?: (p: ProductSummary) => void;
}) {
  const open = () => (onOpen ? onOpen(product) : void go('product', { id: product.id }));
  const soldOut = !product.inStock;
  const sales = salesText(product.salesCount);
  return (
    <View
      className={`product-card product-card--${layout}${soldOut ? ' product-card--sold-out' : ''}`}
      data-testid={testId}
      data-product-id={product.id}
      onClick={open}
    >
      <View className="product-card__pic">
        {product.mainImage?.url ? (
          <Image className="product-card__img" src={product.mainImage.url} mode="aspectFill" lazyLoad />
        ) : (
          <View className="product-card__img product-card__img--none">暂无图片</View>
        )}
        {soldOut && <Text className="product-card__badge">已售罄</Text>}
      </View>
      <View className="product-card__body">
        <Text className="product-card__title">{product.title}</Text>
        {layout === 'row' && product.subtitle && <Text className="product-card__sub">{product.subtitle}</Text>}
        <View className="product-card__foot">
          <Price fen={product.minPrice} size="md" />
          {product.maxPrice > product.minPrice && <Text className="product-card__from">起</Text>}
          {sales && <Text className="product-card__sales">{sales}</Text>}
        </View>
      </View>
    </View>
  );
}

export interface ProductList {
  items: ProductSummary[];
  /** the first page is loading (nothing to show yet) */
  loading: boolean;
  /** a further page is loading */
  loadingMore: boolean;
  error: unknown;
  /** the last page has come */
  done: boolean;
  loadMore: () => Promise<void>;
  reload: () => Promise<void>;
}

/**
 * listProducts page by page (cursor): the first page whenever `query` changes (null: nothing yet),
 * the next on `loadMore()` (the page's useReachBottom / a ScrollView's onScrollToLower).
 * Answers for an older query are dropped; a product already shown is not repeated.
 */
export function useProductList(query: ProductQuery | null, pageSize = 20): ProductList {
  const [items, setItems] = useState<ProductSummary[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [done, setDone] = useState(false);
  const [loading, setLoading] = useState(query !== null);
  const [loadingMore, setLoadingMore] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  const seq = useRef(0);
  const busy = useRef(false);
  const key = query === null ? null : JSON.stringify(query);
  const state = useRef({ key, cursor, done });
  state.current = { key, cursor, done };

  const fetchPage = useCallback(
    async (first: boolean) => {
      const k = state.current.key;
      if (k === null) return;
      if (!first && (busy.current || state.current.done || !state.current.cursor)) return;
      const n = ++seq.current;
      busy.current = true;
      if (first) setLoading(true);
      else setLoadingMore(true);
      try {
        const q = JSON.parse(k) as ProductQuery;
        const page = await api.call('listProducts', {
          query: { ...q, limit: pageSize, cursor: first ? undefined : (state.current.cursor ?? undefined) },
        });
        if (n !== seq.current) return;
        setItems((old) => {
          if (first) return page.items;
          const seen = new Set(old.map((p) => p.id));
          return [...old, ...page.items.filter((p) => !seen.has(p.id))];
        });
        setCursor(page.nextCursor);
        setDone(!page.nextCursor);
        setError(undefined);
      } catch (e) {
        if (n === seq.current) setError(e);
      } finally {
        if (n === seq.current) {
          busy.current = false;
          setLoading(false);
          setLoadingMore(false);
        }
      }
    },
    [pageSize],
  );

  useEffect(() => {
    if (key === null) {
      seq.current++;
      busy.current = false;
      setItems([]);
      setCursor(null);
      setDone(false);
      setLoading(false);
      setError(undefined);
      return;
    }
    setItems([]);
    setCursor(null);
    setDone(false);
    setError(undefined);
    state.current = { key, cursor: null, done: false };
    void fetchPage(true);
  }, [key, fetchPage]);

  return { items, loading, loadingMore, error, done, loadMore: () => fetchPage(false), reload: () => fetchPage(true) };
}

/** The line under an endless list: 加载中… / 没有更多了 / 加载失败，点击重试. */
export function ListFoot({ list, emptyHidden = true }: { list: ProductList; emptyHidden?: boolean }) {
  if (emptyHidden && list.items.length === 0) return null;
  if (list.error && list.items.length > 0)
    return (
      <View className="product-list-foot product-list-foot--error" onClick={() => void list.loadMore()}>
        加载失败，点击重试
      </View>
    );
  if (list.loadingMore) return <View className="product-list-foot">加载中…</View>;
  if (list.done) return <View className="product-list-foot">— 没有更多了 —</View>;
  return <View className="product-list-foot">上拉加载更多</View>;
}
