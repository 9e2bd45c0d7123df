import { useState } from 'react';
import Taro, { useRouter, useReachBottom, usePullDownRefresh, stopPullDownRefresh } from '@tarojs/taro';
import { View, Text, Input } from '@tarojs/components';
import { PageState } from '@/components/page-state';
import { ProductCard, ListFoot, useProductList, type ProductQuery } from '@/components/product-card';
import './index.css';

type Sort = NonNullable<ProductQuery['sort']>;

const RECENT_KEY = 'edgemall.search.recent';
const RECENT_MAX = 10;
/** what listProducts takes as q */
const MAX_KEYWORD = 50;

function readRecent(): string[] {
  const v = Taro.getStorageSync(RECENT_KEY) as unknown;
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string' && x.length > 0).slice(0, RECENT_MAX) : [];
}

/** The newest search first, no repeats, at most 10. */
function withRecent(list: string[], word: string): string[] {
  return [word, ...list.filter((w) => w !== word)].slice(0, RECENT_MAX);
}

function decode(s: string | undefined): string {
  if (!s) return '';
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

const SORTS: { key: 'default' | 'sales' | 'price'; text: string }[] = [
  { key: 'default', text: '综合' },
  { key: 'sales', text: '销量' },
  { key: 'price', text: '价格' },
];

/** 搜索: keyword box, 搜索历史, results sorted 综合/销量/价格, endless list. Opens with ?q= searched. */
export default function SearchPage() {
  const { params } = useRouter();
  const initial = decode(params.q).trim().slice(0, MAX_KEYWORD);
  const [text, setText] = useState(initial);
  const [keyword, setKeyword] = useState<string | null>(initial || null);
  const [sort, setSort] = useState<Sort>('newest');
  const [recent, setRecent] = useState<string[]>(() => {
    const r = readRecent();
    if (!initial) return r;
    const next = withRecent(r, initial);
    Taro.setStorageSync(RECENT_KEY, next);
    return next;
  });

  const list = useProductList(keyword ? { q: keyword, sort } : null);
  useReachBottom(() => void list.loadMore());
  usePullDownRefresh(() => {
    void (keyword ? list.reload() : Promise.resolve()).finally(() => stopPullDownRefresh());
  });

  function search(word: string) {
    const w = word.trim().slice(0, MAX_KEYWORD);
    if (!w) {
      void Taro.showToast({ title: '请输入搜索内容', icon: 'none' });
      return;
    }
    setText(w);
    setKeyword(w);
    const next = withRecent(recent, w);
    setRecent(next);
    Taro.setStorageSync(RECENT_KEY, next);
    void Taro.pageScrollTo({ scrollTop: 0, duration: 0 }).catch(() => undefined);
  }

  async function clearRecent() {
    const r = await Taro.showModal({ title: '提示', content: '确定清空搜索历史吗？', confirmText: '清空', confirmColor: '#e4393c' });
    if (!r.confirm) return;
    Taro.removeStorageSync(RECENT_KEY);
    setRecent([]);
  }

  const tapSort = (key: 'default' | 'sales' | 'price') => {
    if (key === 'default') setSort('newest');
    else if (key === 'sales') setSort('sales');
    else setSort(sort === 'price_asc' ? 'price_desc' : 'price_asc');
  };
  const sortOn = (key: string) => (key === 'default' ? sort === 'newest' : key === 'sales' ? sort === 'sales' : sort.startsWith('price'));

  return (
    <View className="search">
      <View className="search__bar">
        <View className="search__box">
          <View className="search__icon" />
          <Input
            className="search__input"
            data-testid="search-input"
            value={text}
            focus={!initial}
            confirmType="search"
            maxlength={MAX_KEYWORD}
            placeholder="搜索商品，如 保温杯"
            placeholderClass="search__placeholder"
            onInput={(e) => {
              setText(e.detail.value);
              if (!e.detail.value.trim()) setKeyword(null);
            }}
            onConfirm={(e) => search(e.detail.value)}
          />
          {text && (
            <Text
              className="search__clear"
              onClick={() => {
                setText('');
                setKeyword(null);
              }}
            >
              ×
            </Text>
          )}
        </View>
        <Text className="search__submit" data-testid="search-submit" onClick={() => search(text)}>
          搜索
        </Text>
      </View>

      {keyword === null ? (
        <View className="search__panel">
          {recent.length > 0 ? (
            <View className="search__recent" data-testid="search-recent">
              <View className="search__recent-head">
                <Text className="search__recent-title">搜索历史</Text>
                <Text className="search__recent-clear" data-testid="search-recent-clear" onClick={() => void clearRecent()}>
                  清空
                </Text>
              </View>
              <View className="search__words">
                {recent.map((w) => (
                  <Text key={w} className="search__word" data-testid="search-recent-item" onClick={() => search(w)}>
                    {w}
                  </Text>
                ))}
              </View>
            </View>
          ) : (
            <View className="search__hint">输入商品名称、品牌或规格搜索</View>
          )}
        </View>
      ) : (
        <View className="search__results">
          <View className="search__sorts">
            {SORTS.map((s) => (
              <View
                key={s.key}
                className={`search__sort${sortOn(s.key) ? ' search__sort--on' : ''}`}
                data-testid="search-sort"
                data-sort={s.key}
                onClick={() => tapSort(s.key)}
              >
                <Text>{s.text}</Text>
                {s.key === 'price' && (
                  <View className="search__arrows">
                    <Text className={`search__arrow${sort === 'price_asc' ? ' search__arrow--on' : ''}`}>▲</Text>
                    <Text className={`search__arrow${sort === 'price_desc' ? ' search__arrow--on' : ''}`}>▼</Text>
                  </View>
                )}
              </View>
            ))}
          </View>
          {list.items.length > 0 ? (
            <View className="search__list">
              {list.items.map((p) => (
                <ProductCard key={p.id} product={p} layout="row" testId="search-result" />
              ))}
            </View>
          ) : list.loading || list.error ? (
            <PageState loading={list.loading} error={list.error} onRetry={() => void list.reload()} />
          ) : (
            <View className="search__empty" data-testid="search-empty">
              <Text className="search__empty-icon">⌕</Text>
              <Text className="search__empty-text">没有找到相关商品</Text>
              <Text className="search__empty-sub">换个关键词试试，或减少关键词</Text>
            </View>
          )}
          <ListFoot list={list} />
        </View>
      )}
    </View>
  );
}
