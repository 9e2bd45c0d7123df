import { useEffect, useState } from 'react';
import Taro from '@tarojs/taro';
import { View, Text, Image } from '@tarojs/components';
import { api, toastError } from '@/api';
import { ensureLogin } from '@/api/session';
import { useApi } from '@/hooks/use-api';
import { go } from '@/lib/nav';
import { formatTime, fenToYuanString } from '@/lib/format';
import { mediaUrl } from '@/lib/media';
import { exchangeStatusText, exchangeSummary, KIND_LABEL, type Exchange } from '@/lib/points-mall';
import { PageState } from '@/components/page-state';
import './index.css';

const PAGE = 20;

/** 兑换记录: the shopper's exchanges, newest first; goods open their order (待支付 → the cashier). */
export default function PointsMallRecordsPage() {
  const [ready, setReady] = useState(false);
  useEffect(() => {
    void ensureLogin().then(setReady, toastError);
  }, []);
  const list = useApi(() => api.call('listMyPointsMallExchanges', { query: { limit: PAGE } }), [ready], {
    enabled: ready,
    refreshOnShow: true,
  });
  const [more, setMore] = useState<{ items: Exchange[]; cursor: string | null; loading: boolean }>({
    items: [],
    cursor: null,
    loading: false,
  });
  useEffect(() => setMore({ items: [], cursor: list.data?.nextCursor ?? null, loading: false }), [list.data]);

  function loadMore() {
    if (!more.cursor || more.loading) return;
    const cursor = more.cursor;
    setMore((m) => ({ ...m, loading: true }));
    api
      .call('listMyPointsMallExchanges', { query: { limit: PAGE, cursor } })
      .then((r) => setMore((m) => ({ items: [...m.items, ...r.items], cursor: r.nextCursor, loading: false })))
      .catch((e) => {
        setMore((m) => ({ ...m, loading: false }));
        toastError(e);
      });
  }

  function open(x: Exchange) {
    if (x.order?.status === 'pending_payment') return void go('pay', { orderId: x.order.id });
    if (x.order) return void go('order', { id: x.order.id });
    if (x.kind === 'coupon') return void go('coupons', { tab: 'mine' });
    if (x.kind === 'lottery_chance' && x.lotteryId) return void go('lottery', { id: x.lotteryId });
    void Taro.showToast({ title: exchangeSummary(x), icon: 'none' });
  }

  if (!list.data) return <PageState loading={!ready || list.loading} error={list.error} onRetry={() => void list.reload()} />;
  const items = [...list.data.items, ...more.items];
  if (items.length === 0)
    return <PageState empty emptyText="还没有兑换记录" emptyAction={{ text: '去积分商城', onClick: () => void go('pointsMall') }} />;

  return (
    <View className="precords">
      {items.map((x) => (
        <View
          key={x.id}
          className="precords__row"
          data-testid="mall-record"
          data-kind={x.kind}
          data-status={x.status}
          onClick={() => open(x)}
        >
          <View className="precords__pic">
            {x.imageUrl ? (
              <Image className="precords__img" src={mediaUrl(x.imageUrl)} mode="aspectFill" />
            ) : (
              <Text className="precords__kind">{KIND_LABEL[x.kind]}</Text>
            )}
          </View>
          <View className="precords__body">
            <View className="precords__top">
              <Text className="precords__title">{x.title}</Text>
              <Text className={`precords__status precords__status--${x.status}`} data-testid="mall-record-status">
                {exchangeStatusText(x)}
              </Text>
            </View>
            <Text className="precords__cost">
              -{x.pointsTotal}积分{x.cashTotal > 0 ? ` + ¥${fenToYuanString(x.cashTotal)}` : ''}
              {x.quantity > 1 ? ` · ×${x.quantity}` : ''}
            </Text>
            <Text className="precords__sub">{exchangeSummary(x)}</Text>
            <Text className="precords__time">{formatTime(x.createdAt, { year: true })}</Text>
          </View>
        </View>
      ))}
      {more.cursor && (
        <Text className="precords__more" onClick={loadMore}>
          {more.loading ? '加载中…' : '查看更多'}
        </Text>
      )}
    </View>
  );
}
