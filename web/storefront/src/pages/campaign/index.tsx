import { useEffect, useState } from 'react';
import Taro, { usePullDownRefresh, useReachBottom, useShareAppMessage, stopPullDownRefresh, useDidShow } from '@tarojs/taro';
import { View, Text, Image, Button, Swiper, SwiperItem } from '@tarojs/components';
import { api } from '@/api';
import { isLoggedIn, onSessionChange } from '@/api/session';
import { useApi } from '@/hooks/use-api';
import { useClaimCoupon } from '@/hooks/use-claim-coupon';
import { go, PAGES } from '@/lib/nav';
import { serverNow } from '@/lib/countdown';
import { campaignPeriod, endsInText, pickInOrder, ruleTags } from '@/lib/campaign';
import { flashView } from '@/lib/promo-flash';
import { drawsLeftText, drawCostText } from '@/lib/lottery';
import { mediaUrl } from '@/lib/media';
import { withClock } from '@/components/promo-flow';
import { useProductImages, imageKey } from '@/components/promo-images';
import { PageState } from '@/components/page-state';
import { ClaimableCouponCard } from '@/components/coupon-card';
import { Price } from '@/components/price';
import { ProductCard, ListFoot, useProductList } from '@/components/product-card';
import './index.css';

const OUR_PAGES = new Set<string>(Object.values(PAGES));
const TAB_PAGES = new Set<string>([PAGES.home, PAGES.category, PAGES.cart, PAGES.mine]);

/** A banner's link when it names another of our pages; this page's own link does nothing. */
function openLink(link: string) {
  const url = link.trim();
  const path = url.split('?')[0] ?? '';
  if (!OUR_PAGES.has(path) || path === PAGES.campaign) return;
  if (TAB_PAGES.has(path)) void Taro.switchTab({ url: path });
  else void Taro.navigateTo({ url });
}

const PROMO_SAMPLE = 6;

/** 活动会场: the live campaign's header, 满减 rules, coupons to claim, flash sales, lottery and its best-selling products. */
export default function CampaignPage() {
  const [loggedIn, setLoggedIn] = useState(isLoggedIn());
  useDidShow(() => setLoggedIn(isLoggedIn()));
  useEffect(() => onSessionChange(() => setLoggedIn(isLoggedIn())), []);

  const home = useApi(() => withClock(() => api.call('getHomeCampaign')), [loggedIn], { refreshOnShow: true });
  const campaign = home.data?.campaign ?? null;
  const now = serverNow(home.data?.offset ?? 0);
  const has = (ids: string[] | undefined) => !!campaign && (ids?.length ?? 0) > 0;

  const coupons = useApi(() => api.call('listClaimableCoupons'), [loggedIn], {
    refreshOnShow: true,
    enabled: has(campaign?.couponTemplateIds),
  });
  const { busyId, claim } = useClaimCoupon(coupons);
  const flash = useApi(() => api.call('listFlashSales'), [campaign?.id], { refreshOnShow: true, enabled: has(campaign?.flashSaleIds) });
  const lotteryIds = campaign?.lotteryIds ?? [];
  const lotteries = useApi(
    () => Promise.all(lotteryIds.map((lotteryId) => api.call('getLottery', { path: { lotteryId } }).catch(() => null))),
    [lotteryIds.join(','), loggedIn],
    { refreshOnShow: true, enabled: has(campaign?.lotteryIds) },
  );

  const list = useProductList(campaign ? { sort: 'sales' } : null);
  useReachBottom(() => void list.loadMore());
  usePullDownRefresh(() => {
    void Promise.all([home.reload(), list.reload()]).finally(() => stopPullDownRefresh());
  });

  // The campaign's 满减 / 限时折扣, as the products on show take part in them.
  const sample = list.items.slice(0, PROMO_SAMPLE).map((p) => p.id);
  const promos = useApi(
    () => Promise.all(sample.map((productId) => api.call('getProductPromotions', { path: { productId } }).catch(() => null))),
    [sample.join(',')],
    { enabled: sample.length > 0 },
  );
  const tags = ruleTags((promos.data ?? []).filter((p) => p !== null));

  const myCoupons = pickInOrder(coupons.data?.items ?? [], campaign?.couponTemplateIds ?? [], (c) => c.templateId);
  const sales = pickInOrder(flash.data?.items ?? [], campaign?.flashSaleIds ?? [], (s) => s.id);
  const images = useProductImages(sales);
  const draws = (lotteries.data ?? []).filter((l) => l !== null);

  useShareAppMessage(() => ({
    title: campaign ? `${campaign.name} · ${campaign.description}` : 'edgemall 活动会场',
    path: PAGES.campaign,
  }));

  if (!home.data) return <PageState loading={home.loading} error={home.error} onRetry={() => void home.reload()} />;
  if (!campaign)
    return (
      <View className="campaign campaign--empty" data-testid="campaign-empty">
        <PageState empty emptyText="当前没有进行中的活动，去首页逛逛吧" />
        <Button className="campaign__home-btn" data-testid="campaign-go-home" onClick={() => void go('home')}>
          去首页
        </Button>
      </View>
    );

  const banners = campaign.banners;
  const toProducts = () => void Taro.pageScrollTo({ selector: '#campaign-products', duration: 300 }).catch(() => undefined);

  return (
    <View className="campaign">
      <View className="campaign__head">
        {banners.length > 0 && (
          <Swiper
            className="campaign__banner"
            indicatorDots={banners.length > 1}
            indicatorColor="rgba(255,255,255,0.5)"
            indicatorActiveColor="#ffffff"
            autoplay
            circular
            interval={4000}
          >
            {banners.map((b, i) => (
              <SwiperItem key={`${b.imageUrl}-${i}`}>
                <View className="campaign__banner-item" data-testid="campaign-banner" data-link={b.link} onClick={() => openLink(b.link)}>
                  <Image className="campaign__banner-img" src={mediaUrl(b.imageUrl)} mode="aspectFill" />
                  {b.title && <Text className="campaign__banner-title">{b.title}</Text>}
                </View>
              </SwiperItem>
            ))}
          </Swiper>
        )}
        <View className="campaign__intro">
          <Text className="campaign__title" data-testid="campaign-title">
            {campaign.name}
          </Text>
          {campaign.description && <Text className="campaign__desc">{campaign.description}</Text>}
          <View className="campaign__period">
            <Text>{campaignPeriod(campaign)}</Text>
            <Text className="campaign__ends">{endsInText(campaign.endsAt, now)}</Text>
          </View>
          {tags.length > 0 && (
            <View className="campaign__rules">
              {tags.map((t) => (
                <Text key={t.key} className={`campaign__rule campaign__rule--${t.kind}`} data-testid="campaign-rule" data-kind={t.kind}>
                  {t.kind === 'limited_time' ? `部分商品${t.text}` : t.text}
                </Text>
              ))}
            </View>
          )}
        </View>
      </View>

      {myCoupons.length > 0 && (
        <View className="campaign__card">
          <View className="campaign__section">
            <Text className="campaign__section-title">会场好券</Text>
            <Text className="campaign__section-more" onClick={() => void go('coupons')}>
              领券中心 ›
            </Text>
          </View>
          {myCoupons.map((c) => (
            <ClaimableCouponCard
              key={c.templateId}
              coupon={c}
              testId="campaign-coupon"
              busyId={busyId}
              onClaim={(x) => void claim(x)}
              onUse={toProducts}
            />
          ))}
        </View>
      )}

      {sales.length > 0 && (
        <View className="campaign__card">
          <View className="campaign__section">
            <Text className="campaign__section-title">限时秒杀</Text>
            <Text className="campaign__section-more" onClick={() => void go('flashSale')}>
              更多 ›
            </Text>
          </View>
          <View className="campaign__flash-list">
            {sales.map((s) => {
              const v = flashView(s, now);
              const img = images[imageKey(s)];
              return (
                <View
                  key={s.id}
                  className={`campaign__flash campaign__flash--${v.statusKey}`}
                  data-testid="campaign-flash-sale"
                  data-sale-id={s.id}
                  onClick={() => void go('flashSale', { id: s.id })}
                >
                  {img ? (
                    <Image className="campaign__flash-img" src={img} mode="aspectFill" lazyLoad />
                  ) : (
                    <View className="campaign__flash-img campaign__flash-img--none">秒杀</View>
                  )}
                  <Text className="campaign__flash-title">{s.title}</Text>
                  <Price fen={s.salePrice} size="md" />
                  <Text className={`campaign__flash-status campaign__flash-status--${v.statusKey}`}>{v.status}</Text>
                </View>
              );
            })}
          </View>
        </View>
      )}

      {draws.map((l) => (
        <View
          key={l.id}
          className="campaign__lottery"
          data-testid="campaign-lottery"
          data-lottery-id={l.id}
          onClick={() => void go('lottery', { id: l.id })}
        >
          <View className="campaign__lottery-text">
            <Text className="campaign__lottery-name">{l.name}</Text>
            <Text className="campaign__lottery-sub">{l.me ? drawsLeftText(l) : drawCostText(l) || l.description}</Text>
          </View>
          <Text className="campaign__lottery-go">{l.state === 'live' ? '去抽奖' : l.state === 'upcoming' ? '即将开始' : '已结束'}</Text>
        </View>
      ))}

      <View className="campaign__rec-head" id="campaign-products">
        <Text className="campaign__rec-title">会场热卖</Text>
      </View>
      {list.items.length > 0 ? (
        <View className="product-grid">
          {list.items.map((p) => (
            <ProductCard key={p.id} product={p} testId="campaign-product" />
          ))}
        </View>
      ) : (
        <PageState
          loading={list.loading}
          error={list.error}
          empty={!list.loading}
          emptyText="暂无商品"
          onRetry={() => void list.reload()}
        />
      )}
      <ListFoot list={list} />
    </View>
  );
}
