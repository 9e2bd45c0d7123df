import { useState } from 'react';
import { useReachBottom, useRouter } from '@tarojs/taro';
import { View, Text } from '@tarojs/components';
import { api, toastError } from '@/api';
import { ensureLogin, isLoggedIn } from '@/api/session';
import { useApi } from '@/hooks/use-api';
import { percent, REVIEW_FILTERS, REVIEW_TAGS, type ReviewFilter } from '@/lib/reviews';
import { ReviewCard, type Review } from '@/components/review-card';
import { PageState } from '@/components/page-state';
import './index.css';

type Tag = (typeof REVIEW_TAGS)[number];

/** 全部评价 (?productId=&tag=): summary with star counts, filters (全部/有图/好评/中评/差评/追评), tag chips, pages of reviews. */
export default function ReviewListPage() {
  const { params } = useRouter();
  const productId = params.productId ?? '';
  const [filter, setFilter] = useState<ReviewFilter>('all');
  const [tag, setTag] = useState<string | undefined>(params.tag ? decodeURIComponent(params.tag) : undefined);
  const [more, setMore] = useState<{ items: Review[]; cursor: string | null } | null>(null);
  const query = { filter, tag: tag as Tag | undefined, limit: 10 };
  const data = useApi(
    async () => {
      const r = await api.call('listProductReviews', { path: { productId }, query });
      setMore({ items: r.items, cursor: r.nextCursor });
      return r;
    },
    [productId, filter, tag],
    { enabled: !!productId },
  );

  useReachBottom(() => {
    if (!more?.cursor) return;
    const cursor = more.cursor;
    api
      .call('listProductReviews', { path: { productId }, query: { ...query, cursor } })
      .then((r) => setMore((m) => ({ items: [...(m?.items ?? []), ...r.items], cursor: r.nextCursor })))
      .catch(toastError);
  });

  async function helpful(r: Review) {
    try {
      if (!isLoggedIn() && !(await ensureLogin())) return;
      const res = r.votedHelpful
        ? await api.call('unmarkReviewHelpful', { path: { reviewId: r.id } })
        : await api.call('markReviewHelpful', { path: { reviewId: r.id } });
      setMore((m) =>
        m
          ? {
              ...m,
              items: m.items.map((x) => (x.id === r.id ? { ...x, votedHelpful: res.votedHelpful, helpfulCount: res.helpfulCount } : x)),
            }
          : m,
      );
    } catch (e) {
      toastError(e);
    }
  }

  const s = data.data?.summary;
  if (!productId) return <PageState empty emptyText="没有指定商品" />;
  if (!s) return <PageState loading={data.loading} error={data.error} onRetry={() => void data.reload()} />;
  const items = more?.items ?? [];
  return (
    <View className="review-list">
      <View className="review-list__summary" data-testid="reviews-summary">
        <View className="review-list__score">
          <Text className="review-list__avg">{s.average.toFixed(1)}</Text>
          <Text className="review-list__sub">
            {s.count} 条评价 · 好评率 {percent(s.goodRate)}
          </Text>
        </View>
        <View className="review-list__stars">
          {[5, 4, 3, 2, 1].map((n) => (
            <View key={n} className="review-list__star-row">
              <Text className="review-list__star-label">{n}星</Text>
              <View className="review-list__bar">
                <View className="review-list__bar-fill" style={{ width: `${s.count ? (s.stars[n as 1] / s.count) * 100 : 0}%` }} />
              </View>
              <Text className="review-list__star-count">{s.stars[n as 1]}</Text>
            </View>
          ))}
        </View>
      </View>
      <View className="review-list__filters">
        {REVIEW_FILTERS.map((f) => (
          <Text
            key={f.key}
            className={`review-list__chip${filter === f.key && !tag ? ' review-list__chip--on' : ''}`}
            data-testid={`reviews-filter-${f.key}`}
            onClick={() => {
              setTag(undefined);
              setFilter(f.key);
            }}
          >
            {f.label}
            {f.key === 'media' ? ` ${s.withMedia}` : f.key === 'append' ? ` ${s.withAppend}` : ''}
          </Text>
        ))}
        {s.tags.map((t) => (
          <Text
            key={t.tag}
            className={`review-list__chip${tag === t.tag ? ' review-list__chip--on' : ''}`}
            onClick={() => {
              setFilter('all');
              setTag(t.tag);
            }}
          >
            {t.tag} {t.count}
          </Text>
        ))}
      </View>
      <View className="review-list__items">
        {items.length === 0 ? (
          <PageState empty emptyText="暂无相关评价" />
        ) : (
          items.map((r) => <ReviewCard key={r.id} review={r} onHelpful={(x) => void helpful(x)} />)
        )}
        {more?.cursor ? <Text className="review-list__more">上拉加载更多</Text> : null}
      </View>
    </View>
  );
}
