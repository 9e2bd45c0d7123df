import { useEffect, useState } from 'react';
import { useRouter } from '@tarojs/taro';
import { View, Text, Image, Button } from '@tarojs/components';
import { api, toastError } from '@/api';
import { ensureLogin } from '@/api/session';
import { useApi } from '@/hooks/use-api';
import { go } from '@/lib/nav';
import { mediaUrl } from '@/lib/media';
import { reviewDay } from '@/lib/reviews';
import { ReviewCard } from '@/components/review-card';
import { PageState } from '@/components/page-state';
import './index.css';

/** 我的评价 (?tab=todo|done): 待评价 (delivered lines still open for a review) and 已评价 (with status and 追评). */
export default function MyReviewsPage() {
  const { params } = useRouter();
  const [tab, setTab] = useState<'todo' | 'done'>(params.tab === 'done' ? 'done' : 'todo');
  const [ready, setReady] = useState(false);
  useEffect(() => {
    void ensureLogin().then(setReady, toastError);
  }, []);
  const todo = useApi(() => api.call('listReviewableLines'), [], { refreshOnShow: true, enabled: ready });
  const done = useApi(() => api.call('listMyReviews', { query: { limit: 50 } }), [], { refreshOnShow: true, enabled: ready });

  const todoItems = todo.data?.items ?? [];
  const doneItems = done.data?.items ?? [];
  const current = tab === 'todo' ? todo : done;
  return (
    <View className="my-reviews">
      <View className="my-reviews__tabs">
        <Text
          className={`my-reviews__tab${tab === 'todo' ? ' my-reviews__tab--on' : ''}`}
          data-testid="my-reviews-todo"
          onClick={() => setTab('todo')}
        >
          待评价{todoItems.length ? ` ${todoItems.length}` : ''}
        </Text>
        <Text
          className={`my-reviews__tab${tab === 'done' ? ' my-reviews__tab--on' : ''}`}
          data-testid="my-reviews-done"
          onClick={() => setTab('done')}
        >
          已评价
        </Text>
      </View>
      {!current.data ? (
        <PageState loading={current.loading || !ready} error={current.error} onRetry={() => void current.reload()} />
      ) : tab === 'todo' ? (
        todoItems.length === 0 ? (
          <PageState empty emptyText="没有待评价的商品" />
        ) : (
          todoItems.map((l) => (
            <View key={l.orderLineId} className="my-reviews__line" data-testid="my-reviews-line" data-line-id={l.orderLineId}>
              {l.imageUrl ? (
                <Image className="my-reviews__image" src={mediaUrl(l.imageUrl)} mode="aspectFill" />
              ) : (
                <View className="my-reviews__image" />
              )}
              <View className="my-reviews__info">
                <Text className="my-reviews__title">{l.title}</Text>
                {l.specKey ? <Text className="my-reviews__spec">{l.specKey}</Text> : null}
                <Text className="my-reviews__by">{reviewDay(l.reviewBy)} 前可评价</Text>
              </View>
              <Button
                className="my-reviews__btn"
                data-testid="my-reviews-write"
                onClick={() => void go('writeReview', { orderLineId: l.orderLineId, title: l.title, image: l.imageUrl ?? '' })}
              >
                去评价
              </Button>
            </View>
          ))
        )
      ) : doneItems.length === 0 ? (
        <PageState empty emptyText="还没有评价" />
      ) : (
        <View className="my-reviews__done">
          {doneItems.map((r) => (
            <ReviewCard
              key={r.id}
              review={r}
              mine
              onAppend={(x) => void go('writeReview', { reviewId: x.id, title: x.productTitle })}
              onRewrite={(x) => x.orderLineId && void go('writeReview', { orderLineId: x.orderLineId, title: x.productTitle })}
            />
          ))}
        </View>
      )}
    </View>
  );
}
