import { useEffect, useRef, useState } from 'react';
import Taro, { useRouter } from '@tarojs/taro';
import { View, Text } from '@tarojs/components';
import { api, toastError } from '@/api';
import { ensureLogin, onSessionChange } from '@/api/session';
import { useApi } from '@/hooks/use-api';
import { usePolling } from '@/hooks/use-polling';
import { go } from '@/lib/nav';
import { PageState } from '@/components/page-state';
import { withClock, quickOrderAddressId } from '@/components/promo-flow';
import { useProductImages, imageKey } from '@/components/promo-images';
import { serverNow } from '@/lib/countdown';
import { AttemptKeys } from '@/lib/promo-keys';
import { keepsKey, promoOutcome } from '@/lib/error-text';
import { joinBlock, type GroupDeal, type GroupTeam } from '@/lib/promo-group';
import { GroupDealCard } from './group-deal';
import './index.css';

/** Open teams looked at per deal (each needs its own getGroupBuyTeam for the members). */
const TEAMS_PER_DEAL = 6;

/** The deals with serverTime, and for each live deal its open teams in full (members, seats left). */
async function loadDeals() {
  const list = await withClock(() => api.call('listGroupBuys'));
  const teams: Record<string, GroupTeam[]> = {};
  await Promise.all(
    list.items
      .filter((d) => d.state === 'live')
      .map(async (d) => {
        try {
          const { items } = await api.call('listGroupBuyTeams', { path: { dealId: d.id } });
          const views = await Promise.all(
            items.slice(0, TEAMS_PER_DEAL).map((t) => api.call('getGroupBuyTeam', { path: { teamId: t.id } }).catch(() => null)),
          );
          teams[d.id] = views.filter((v): v is GroupTeam => v !== null);
        } catch {
          teams[d.id] = []; // the deal still shows; its teams come with the next refresh
        }
      }),
  );
  return { ...list, teams };
}

/** 拼团: live and upcoming deals, the teams of others to join, and 发起拼团 → pay the leader's order. */
export default function GroupBuyPage() {
  const { params } = useRouter();
  const highlightId = params.id;
  const list = useApi(loadDeals, [], { refreshOnShow: true });
  const data = list.data;
  const offset = data?.offset ?? 0;
  const [, setBeat] = useState(0);
  const now = serverNow(offset);

  const [busyId, setBusyId] = useState<string | null>(null);
  const busy = useRef(false);
  const keys = useRef(new AttemptKeys('gbo'));

  // Signing in or out changes which teams are "mine".
  useEffect(() => onSessionChange(() => void list.reload()), []); // eslint-disable-line react-hooks/exhaustive-deps

  const deals = data?.items ?? [];
  const images = useProductImages(deals.filter((d) => !d.imageUrl));

  // Teams fill up and expire: refresh every ~20 s while a deal is live and the page is on screen.
  const anyLive = deals.some((d) => d.state === 'live');
  usePolling(list.reload, 20_000, anyLive);

  // Opened for one deal (?id=): bring it into view once.
  const scrolled = useRef(false);
  useEffect(() => {
    if (scrolled.current || !highlightId || !deals.some((d) => d.id === highlightId)) return;
    scrolled.current = true;
    setTimeout(() => void Taro.pageScrollTo({ selector: `#deal-${highlightId}`, duration: 300 }).catch(() => undefined), 300);
  }, [highlightId, deals]);

  const onBoundary = () => {
    setBeat((n) => n + 1);
    void list.reload();
  };

  async function openTeam(deal: GroupDeal) {
    if (busy.current) return;
    busy.current = true;
    setBusyId(deal.id);
    try {
      if (!(await ensureLogin())) return;
      const addressId = await quickOrderAddressId();
      if (!addressId) return;
      const seat = await api.call('openGroupBuyTeam', {
        path: { dealId: deal.id },
        body: { addressId, buyerNote: '' },
        headers: { 'Idempotency-Key': keys.current.keyFor(deal.id) },
      });
      keys.current.settle(deal.id);
      // The team opens once the leader's order is paid.
      await go('pay', { orderId: seat.order.orderId });
    } catch (e) {
      if (!keepsKey(e)) keys.current.settle(deal.id);
      const o = promoOutcome(e);
      if (o === 'ended' || o === 'not_started' || o === 'not_found' || o === 'sold_out') void list.reload();
      toastError(e);
    } finally {
      busy.current = false;
      setBusyId(null);
    }
  }

  return (
    <View className="group">
      <View className="group__head">
        <Text className="group__head-title">拼团</Text>
        <Text className="group__head-sub">好友一起拼 · 价格更低 · 不成团自动退款</Text>
      </View>
      {data ? (
        deals.length === 0 ? (
          <PageState empty emptyText="暂无拼团活动，晚点再来看看" />
        ) : (
          <View className="group__list">
            {deals.map((d) => {
              const teams = data.teams[d.id] ?? [];
              const mine = teams.filter((t) => t.members.some((m) => m.you));
              const others = teams.filter((t) => !t.members.some((m) => m.you) && joinBlock(t, now) === null);
              return (
                <GroupDealCard
                  key={d.id}
                  deal={d}
                  others={others}
                  mine={mine}
                  offset={offset}
                  now={now}
                  image={d.imageUrl ?? images[imageKey(d)]}
                  highlight={d.id === highlightId}
                  busy={busyId === d.id}
                  locked={busyId !== null && busyId !== d.id}
                  onOpenTeam={openTeam}
                  onTeam={(t) => void go('team', { id: t.id })}
                  onProduct={(x) => void go('product', { id: x.productId })}
                  onBoundary={onBoundary}
                />
              );
            })}
          </View>
        )
      ) : (
        <PageState loading={list.loading} error={list.error} onRetry={() => void list.reload()} />
      )}
      {data && deals.length > 0 && (
        <View className="group__rules">
          <Text className="group__rules-title">拼团规则</Text>
          <Text className="group__rules-line">1. 发起拼团并支付后开团，邀请好友在时限内参团</Text>
          <Text className="group__rules-line">2. 人数凑齐即拼团成功，商家发货</Text>
          <Text className="group__rules-line">3. 超时未成团，已付款项自动原路退回</Text>
        </View>
      )}
    </View>
  );
}
