import { useEffect, useState } from 'react';
import Taro from '@tarojs/taro';
import { View, Text, Button } from '@tarojs/components';
import { api, toastError } from '@/api';
import { ensureLogin, isLoggedIn } from '@/api/session';
import { newIdempotencyKey } from '@/lib/promo-keys';
import { subscribeResults, templateIdsFor } from '@/lib/subscribe';
import './product-watch.css';

const IS_WEAPP = process.env.TARO_ENV === 'weapp';

interface Props {
  productId: string;
  /**
   * The SKUs 到货提醒 is for: the chosen one, or — when nothing can be chosen because all are sold
   * out — every SKU. The button shows when they are all sold out.
   */
  skus: { id: string; stock: number }[];
}

/**
 * The product page's 收藏 heart and, on a sold-out SKU, the 到货提醒 button. In the mini-program
 * the button first asks for the 到货提醒 subscribe message (WeChat sends nothing without it).
 */
export function ProductWatch({ productId, skus }: Props) {
  const [favorited, setFavorited] = useState(false);
  const [waiting, setWaiting] = useState<string[]>([]);
  const [wxTemplates, setWxTemplates] = useState<{ key: string; wxTemplateId: string }[]>([]);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (!isLoggedIn()) return;
    api
      .call('getProductWatchState', { path: { productId } })
      .then((s) => {
        setFavorited(s.favorited);
        setWaiting(s.restockSkuIds);
      })
      .catch(() => undefined);
    if (IS_WEAPP)
      api
        .call('getMyMessageSettings')
        .then((s) => setWxTemplates(s.subscribeTemplates))
        .catch(() => undefined);
  }, [productId]);

  const toggleFavorite = async () => {
    if (busy) return;
    setBusy(true);
    try {
      if (!(await ensureLogin())) return;
      const s = favorited
        ? await api.call('removeFavorite', { path: { productId } })
        : await api.call('addFavorite', { path: { productId } });
      setFavorited(s.favorited);
      void Taro.showToast({ title: s.favorited ? '已收藏' : '已取消收藏', icon: 'none' });
    } catch (e) {
      toastError(e);
    } finally {
      setBusy(false);
    }
  };

  const remind = async () => {
    if (!skus.length || busy) return;
    // WeChat opens the dialog only straight from the tap: ask before any network call.
    const asked = IS_WEAPP ? templateIdsFor(wxTemplates, ['restock']) : [];
    const answer = asked.length ? await Taro.requestSubscribeMessage({ tmplIds: asked } as never).catch(() => null) : null;
    setBusy(true);
    try {
      if (!(await ensureLogin())) return;
      if (answer && asked.length) {
        const results = subscribeResults(answer as unknown as Record<string, unknown>, asked);
        if (results.length)
          await api
            .call('recordSubscribeResults', { body: { results }, headers: { 'Idempotency-Key': newIdempotencyKey('sub') } })
            .catch(() => undefined);
      }
      for (const sku of skus) if (!waiting.includes(sku.id)) await api.call('subscribeRestock', { body: { skuId: sku.id } });
      setWaiting((w) => [...new Set([...w, ...skus.map((x) => x.id)])]);
      void Taro.showToast({ title: '到货后会通知您', icon: 'none' });
    } catch (e) {
      toastError(e);
    } finally {
      setBusy(false);
    }
  };

  const soldOut = skus.length > 0 && skus.every((x) => x.stock <= 0);
  const subscribed = soldOut && skus.every((x) => waiting.includes(x.id));
  return (
    <View className="product-watch">
      <View className="product-watch__fav" data-testid="product-favorite" onClick={() => void toggleFavorite()}>
        <Text className={`product-watch__heart${favorited ? ' product-watch__heart--on' : ''}`}>{favorited ? '♥' : '♡'}</Text>
        <Text className="product-watch__fav-text" data-testid="product-favorite-text">
          {favorited ? '已收藏' : '收藏'}
        </Text>
      </View>
      {soldOut && (
        <Button
          className={`product-watch__remind${subscribed ? ' product-watch__remind--on' : ''}`}
          size="mini"
          data-testid="product-restock"
          disabled={subscribed || busy || undefined}
          onClick={() => void remind()}
        >
          {subscribed ? '已设置到货提醒' : '到货提醒'}
        </Button>
      )}
    </View>
  );
}
