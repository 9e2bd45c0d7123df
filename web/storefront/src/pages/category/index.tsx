import { useEffect, useState } from 'react';
import Taro, { useDidShow } from '@tarojs/taro';
import { View, Text, ScrollView, Image } from '@tarojs/components';
import type { OperationResult } from '@edgemall/client/operation-client';
import { api } from '@/api';
import { useApi } from '@/hooks/use-api';
import { go } from '@/lib/nav';
import { PageState } from '@/components/page-state';
import { ListFoot, useProductList } from '@/components/product-card';
import { Price } from '@/components/price';
import './index.css';

type Node = OperationResult<'listCategories'>['items'][number];

/** Written by the home page's category grid: the category to open on this tab. */
const CATEGORY_PICK_KEY = 'edgemall.category.pick';

/** The chain of ids from a top-level category down to `id` ([] when not found). */
function pathTo(nodes: Node[], id: string): string[] {
  for (const n of nodes) {
    if (n.id === id) return [n.id];
    const sub = pathTo(n.children, id);
    if (sub.length) return [n.id, ...sub];
  }
  return [];
}

const enabled = (nodes: Node[] | undefined) => (nodes ?? []).filter((n) => n.enabled);

/** 分类 (tab): top-level categories on the left; the chosen one's sub-categories and products on the right. */
export default function CategoryPage() {
  const cats = useApi(() => api.call('listCategories'), [], { refreshOnShow: true });
  const tops = enabled(cats.data?.items);
  /** top, level 2, level 3 ids as chosen (missing top: the first one) */
  const [path, setPath] = useState<string[]>([]);
  /** a pick from the home page that arrived before the categories did */
  const [pending, setPending] = useState<string | null>(null);

  useDidShow(() => {
    const picked = Taro.getStorageSync(CATEGORY_PICK_KEY) as string;
    if (!picked) return;
    Taro.removeStorageSync(CATEGORY_PICK_KEY);
    setPending(String(picked));
  });

  // Resolve a pick once the tree is there (an unknown id falls back to the first category).
  useEffect(() => {
    if (!pending || !cats.data) return;
    setPath(pathTo(cats.data.items, pending));
    setPending(null);
  }, [pending, cats.data]);

  const top = tops.find((t) => t.id === path[0]) ?? tops[0];
  const level2 = enabled(top?.children);
  const sub = level2.find((c) => c.id === path[1]);
  const level3 = enabled(sub?.children);
  const leaf = level3.find((c) => c.id === path[2]);
  const chosen = leaf ?? sub ?? top;

  const list = useProductList(chosen ? { categoryId: chosen.id } : null);

  const chooseTop = (id: string) => setPath([id]);
  const chooseSub = (id: string | null) => top && setPath(id ? [top.id, id] : [top.id]);
  const chooseLeaf = (id: string | null) => top && sub && setPath(id ? [top.id, sub.id, id] : [top.id, sub.id]);

  if (!cats.data)
    return (
      <View className="category">
        <PageState loading={cats.loading} error={cats.error} onRetry={() => void cats.reload()} />
      </View>
    );
  if (tops.length === 0)
    return (
      <View className="category">
        <PageState empty emptyText="暂无分类" />
      </View>
    );

  return (
    <View className="category">
      <View className="category__search-bar">
        <View className="category__search" data-testid="category-search" onClick={() => void go('search')}>
          <View className="category__search-icon" />
          <Text className="category__search-text">搜索商品</Text>
        </View>
      </View>
      <View className="category__main">
        <ScrollView className="category__side" scrollY>
          {tops.map((t) => (
            <View
              key={t.id}
              className={`category__tab${t.id === top?.id ? ' category__tab--on' : ''}`}
              data-testid="category-tab"
              data-category-id={t.id}
              onClick={() => chooseTop(t.id)}
            >
              <Text className="category__tab-text">{t.name}</Text>
            </View>
          ))}
        </ScrollView>

        <ScrollView key={top?.id} className="category__content" scrollY lowerThreshold={200} onScrollToLower={() => void list.loadMore()}>
          {top && (
            <View className="category__head">
              <Text className="category__head-title">{top.name}</Text>
              {level2.length > 0 && (
                <View className="category__chips">
                  <Text
                    className={`category__chip${!sub ? ' category__chip--on' : ''}`}
                    data-testid="category-sub"
                    onClick={() => chooseSub(null)}
                  >
                    全部
                  </Text>
                  {level2.map((c) => (
                    <Text
                      key={c.id}
                      className={`category__chip${c.id === sub?.id ? ' category__chip--on' : ''}`}
                      data-testid="category-sub"
                      data-category-id={c.id}
                      onClick={() => chooseSub(c.id)}
                    >
                      {c.name}
                    </Text>
                  ))}
                </View>
              )}
              {level3.length > 0 && (
                <View className="category__chips category__chips--leaf">
                  <Text className={`category__leaf${!leaf ? ' category__leaf--on' : ''}`} onClick={() => chooseLeaf(null)}>
                    全部{sub?.name}
                  </Text>
                  {level3.map((c) => (
                    <Text
                      key={c.id}
                      className={`category__leaf${c.id === leaf?.id ? ' category__leaf--on' : ''}`}
                      data-testid="category-leaf"
                      data-category-id={c.id}
                      onClick={() => chooseLeaf(c.id)}
                    >
                      {c.name}
                    </Text>
                  ))}
                </View>
              )}
            </View>
          )}

          {list.items.length > 0 ? (
            <View className="category__products">
              {list.items.map((p) => (
                <View
                  key={p.id}
                  className="category__product"
                  data-testid="category-product"
                  data-product-id={p.id}
                  onClick={() => void go('product', { id: p.id })}
                >
                  <View className="category__product-pic">
                    {p.mainImage?.url ? (
                      <Image className="category__product-img" src={p.mainImage.url} mode="aspectFill" lazyLoad />
                    ) : (
                      <View className="category__product-img category__product-img--none">暂无图片</View>
                    )}
                    {!p.inStock && <Text className="category__product-out">已售罄</Text>}
                  </View>
                  <View className="category__product-body">
                    <Text className="category__product-title">{p.title}</Text>
                    {p.subtitle && <Text className="category__product-sub">{p.subtitle}</Text>}
                    <View className="category__product-foot">
                      <Price fen={p.minPrice} size="md" />
                      {p.maxPrice > p.minPrice && <Text className="category__product-from">起</Text>}
                      {p.salesCount > 0 && <Text className="category__product-sales">已售 {p.salesCount}</Text>}
                    </View>
                  </View>
                </View>
              ))}
            </View>
          ) : (
            <PageState
              loading={list.loading}
              error={list.error}
              empty={!list.loading}
              emptyText="该分类暂无商品"
              onRetry={() => void list.reload()}
            />
          )}
          <ListFoot list={list} />
        </ScrollView>
      </View>
    </View>
  );
}
