import { useEffect, useState } from 'react';
import { View, Text, Image, Button } from '@tarojs/components';
import { api, toastError } from '@/api';
import { ensureLogin, isLoggedIn, onSessionChange } from '@/api/session';
import { useApi } from '@/hooks/use-api';
import { go } from '@/lib/nav';
import { mediaUrl } from '@/lib/media';
import { fenToYuanString } from '@/lib/format';
import { KIND_LABEL, limitText, mallTabs, type MallItem, type MallKind } from '@/lib/points-mall';
import { PageState } from '@/components/page-state';
import './index.css';

const ICON: Record<MallKind, string> = { goods: '礼', coupon: '券', lottery_chance: '抽' };

/** 积分商城: the shopper's points, tabs by kind, item cards "N积分 + ¥x"; a card opens its detail. */
export default function PointsMallPage() {
  const [signedIn, setSignedIn] = useState(isLoggedIn());
  useEffect(() => onSessionChange(() => setSignedIn(isLoggedIn())), []);
  const [tab, setTab] = useState<MallKind | 'all'>('all');
  const mall = useApi(() => api.call('listPointsMallItems', { query: {} }), [signedIn], { refreshOnShow: true });
  const m = mall.data;

  const open = async (page: 'pointsMallRecords' | 'coupons', login: boolean) => {
    try {
      if (login && !(await ensureLogin())) return;
      await go(page, page === 'coupons' ? { tab: 'mine' } : undefined);
    } catch (e) {
      toastError(e);
    }
  };

  if (!m) return <PageState loading={mall.loading} error={mall.error} onRetry={() => void mall.reload()} />;
  const items = tab === 'all' ? m.items : m.items.filter((i) => i.kind === tab);

  return (
    <View className="pmall">
      <View className="pmall__head">
        <View className="pmall__points">
          <Text className="pmall__points-label">我的积分</Text>
          {m.points !== null ? (
            <Text className="pmall__points-num" data-testid="mall-points">
              {m.points}
            </Text>
          ) : (
            <Text className="pmall__points-login" data-testid="mall-login" onClick={() => void ensureLogin()}>
              登录查看积分 ›
            </Text>
          )}
        </View>
        <Button className="pmall__records" data-testid="mall-records-link" onClick={() => void open('pointsMallRecords', true)}>
          兑换记录
        </Button>
      </View>

      <View className="pmall__tabs">
        {mallTabs(m).map((t) => (
          <Text
            key={t.key}
            className={`pmall__tab${tab === t.key ? ' pmall__tab--on' : ''}`}
            data-testid="mall-tab"
            data-kind={t.key}
            onClick={() => setTab(t.key)}
          >
            {t.text}
          </Text>
        ))}
      </View>

      {items.length === 0 ? (
        <PageState empty emptyText="暂时没有可兑换的商品，敬请期待" />
      ) : (
        <View className="pmall__grid">
          {items.map((i) => (
            <ItemCard key={i.id} item={i} onClick={() => void go('pointsMallItem', { id: i.id })} />
          ))}
        </View>
      )}
    </View>
  );
}

function ItemCard({ item: i, onClick }: { item: MallItem; onClick: () => void }) {
  const out = i.stock <= 0;
  const limit = limitText(i);
  return (
    <View className="pmall__card" data-testid="mall-item" data-item-id={i.id} data-kind={i.kind} onClick={onClick}>
      <View className="pmall__pic">
        {i.imageUrl ? (
          <Image className="pmall__img" src={mediaUrl(i.imageUrl)} mode="aspectFill" />
        ) : (
          <Text className={`pmall__icon pmall__icon--${i.kind}`}>{ICON[i.kind]}</Text>
        )}
        <Text className="pmall__kind">{KIND_LABEL[i.kind]}</Text>
        {out && <Text className="pmall__out">已兑完</Text>}
        {i.state === 'upcoming' && <Text className="pmall__out">即将开始</Text>}
      </View>
      <View className="pmall__body">
        <Text className="pmall__title">{i.title}</Text>
        <View className="pmall__price" data-testid="mall-item-price">
          <Text className="pmall__pts">{i.pointsPrice}</Text>
          <Text className="pmall__pts-unit">积分</Text>
          {i.cashPrice > 0 && <Text className="pmall__cash">+ ¥{fenToYuanString(i.cashPrice)}</Text>}
        </View>
        <Text className="pmall__meta">
          {i.marketPrice ? `原价¥${fenToYuanString(i.marketPrice)} · ` : ''}剩余{i.stock}
          {limit ? ` · ${limit}` : ''}
        </Text>
      </View>
    </View>
  );
}
