import { View, Text } from '@tarojs/components';
import { api } from '@/api';
import { useApi } from '@/hooks/use-api';
import { go } from '@/lib/nav';
import { percent } from '@/lib/reviews';
import { ReviewCard } from '@/components/review-card';

/** 商品评价 on the product page: the summary (count, good rate), tag chips and the first reviews (photos first). */
export function ProductReviews({ productId }: { productId: string }) {
  const data = useApi(() => api.call('listProductReviews', { path: { productId }, query: { limit: 3 } }), [productId], {
    refreshOnShow: true,
    enabled: !!productId,
  });
  const d = data.data;
  if (!d) return null;
  const s = d.summary;
  const all = (tag?: string) => void go('reviews', { productId, tag });
  return (
    <View className="product__card product__reviews" data-testid="product-reviews">
      <View className="product__reviews-head" onClick={() => all()}>
        <Text className="product__section-title">
          商品评价（<Text data-testid="product-review-count">{s.count}</Text>）
        </Text>
        {s.count > 0 && (
          <Text className="product__reviews-rate" data-testid="product-review-good-rate">
            好评率 {percent(s.goodRate)}
          </Text>
        )}
        <Text className="product__arrow">›</Text>
      </View>
      {s.tags.length > 0 && (
        <View className="product__review-tags">
          {s.tags.slice(0, 6).map((t) => (
            <Text key={t.tag} className="product__review-tag" data-testid="product-review-tag" onClick={() => all(t.tag)}>
              {t.tag} {t.count}
            </Text>
          ))}
        </View>
      )}
      {d.items.length === 0 ? (
        <Text className="product__detail-empty">暂无评价，购买后来写第一条评价吧</Text>
      ) : (
        d.items.map((r) => <ReviewCard key={r.id} review={r} />)
      )}
      {s.count > d.items.length && (
        <View className="product__reviews-more" data-testid="product-reviews-all" onClick={() => all()}>
          查看全部评价
        </View>
      )}
    </View>
  );
}
