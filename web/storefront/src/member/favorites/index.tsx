import { useEffect, useState } from 'react';
import Taro, { useReachBottom } from '@tarojs/taro';
import { View, Text, Image } from '@tarojs/components';
import type { OperationResult } from '@edgemall/client/operation-client';
import { api, toastError } from '@/api';
import { useApi } from '@/hooks/use-api';
import { go } from '@/lib/nav';
import { Price } from '@/components/price';
import { PageState } from '@/components/page-state';
import './index.css';

type Favorite = OperationResult<'listFavorites'>['items'][number];
const PAGE = 20;

/** 我的收藏: favourite products with the price now, how much cheaper since favouriting, 取消收藏. */
export default function FavoritesPage() {
  const first = useApi(() => api.call('listFavorites', { query: { limit: PAGE } }), [], { refreshOnShow: true });
  const [items, setItems] = useState<Favorite[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loadingMore, setLoadingMore] = useState(false);
  useEffect(() => {
    setItems(first.data?.items ?? []);
    setCursor(first.data?.nextCursor ?? null);
  }, [first.data]);
  useReachBottom(() => {
    if (!cursor || loadingMore) return;
    setLoadingMore(true);
    api
      .call('listFavorites', { query: { limit: PAGE, cursor } })
      .then((r) => {
        setItems((xs) => [...xs, ...r.items]);
        setCursor(r.nextCursor);
      })
      .catch(toastError)
      .finally(() => setLoadingMore(false));
  });

  const remove = async (f: Favorite) => {
    const r = await Taro.showModal({ title: '取消收藏', content: `不再收藏「${f.title}」？`, confirmColor: '#e4393c' });
    if (!r.confirm) return;
    try {
      await api.call('removeFavorite', { path: { productId: f.productId } });
      setItems((xs) => xs.filter((x) => x.productId !== f.productId));
    } catch (e) {
      toastError(e);
    }
  };

  return (
    <View className="favorites" data-testid="favorites-page">
      {first.data && <Text className="favorites__count">共 {first.data.total} 件收藏</Text>}
      {items.length === 0 ? (
        <PageState
          loading={first.loading && !first.data}
          error={first.error}
          onRetry={() => void first.reload()}
          empty
          emptyText="还没有收藏的商品"
          emptyAction={{ text: '去逛逛', onClick: () => void go('home') }}
        />
      ) : (
        items.map((f) => (
          <View key={f.productId} className={`favorites__item${f.onSale ? '' : ' favorites__item--off'}`} data-testid="favorite-item">
            <View className="favorites__main" onClick={() => f.onSale && void go('product', { id: f.productId })}>
              {f.imageUrl ? <Image className="favorites__img" src={f.imageUrl} mode="aspectFill" /> : <View className="favorites__img" />}
              <View className="favorites__info">
                <Text className="favorites__title" data-testid="favorite-title">
                  {f.title}
                </Text>
                <View className="favorites__price">
                  <Price fen={f.price} />
                  {f.priceDrop > 0 && (
                    <Text className="favorites__drop" data-testid="favorite-drop">
                      比收藏时降 ¥{(f.priceDrop / 100).toFixed(2)}
                    </Text>
                  )}
                </View>
                {!f.onSale ? (
                  <Text className="favorites__state">已下架</Text>
                ) : !f.inStock ? (
                  <Text className="favorites__state">暂时缺货</Text>
                ) : null}
              </View>
            </View>
            <Text className="favorites__remove" data-testid="favorite-remove" onClick={() => void remove(f)}>
              取消收藏
            </Text>
          </View>
        ))
      )}
      {loadingMore && <Text className="favorites__more">加载中…</Text>}
    </View>
  );
}
