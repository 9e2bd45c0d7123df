import { useEffect, useState } from 'react';
import Taro, { usePullDownRefresh, useReachBottom, stopPullDownRefresh, useShareAppMessage } from '@tarojs/taro';
import { View, Text, Image, Swiper, SwiperItem } from '@tarojs/components';
import type { OperationResult } from '@edgemall/client/operation-client';
import { api } from '@/api';
import { isLoggedIn } from '@/api/session';
import { useApi } from '@/hooks/use-api';
import { go, PAGES } from '@/lib/nav';
import { mediaUrl } from '@/lib/media';
import { PageState } from '@/components/page-state';
import { ProductCard, ListFoot, useProductList } from '@/components/product-card';
import { HomeSections } from '@/components/home-sections';
import './index.css';

type Campaign = NonNullable<OperationResult<'getHomeCampaign'>['campaign']>;
type Banner = Campaign['banners'][number];

/** Where the category tab reads the category the home grid picked. */
const CATEGORY_PICK_KEY = 'edgemall.category.pick';
/** campaign id → the shop day (Asia/Shanghai) its popup was last shown. */
const POPUP_SEEN_KEY = 'edgemall.home.popup';

const OUR_PAGES = new Set<string>(Object.values(PAGES));
const TAB_PAGES = new Set<string>([PAGES.home, PAGES.category, PAGES.cart, PAGES.mine]);

/** The shop's day (UTC+8) of an instant, "2026-12-05". */
const shopDay = (iso: string) => new Date((Date.parse(iso) || Date.now()) + 8 * 3600_000).toISOString().slice(0, 10);

/** Follows a banner's link when it names one of our pages (a product, the coupon centre …); other links do nothing. */
function openLink(link: string) {
  const url = link.trim();
  const path = url.split('?')[0] ?? '';
  if (!OUR_PAGES.has(path)) return;
  if (TAB_PAGES.has(path)) void Taro.switchTab({ url: path });
  else void Taro.navigateTo({ url });
}

function seenToday(campaignId: string, day: string): boolean {
  const seen = Taro.getStorageSync(POPUP_SEEN_KEY) as Record<string, string> | '';
  return !!seen && typeof seen === 'object' && seen[campaignId] === day;
}
function markSeen(campaignId: string, day: string) {
  // Only the current campaign is kept: older ones would only grow the entry.
  Taro.setStorageSync(POPUP_SEEN_KEY, { [campaignId]: day });
}

const ENTRIES = [
  { key: 'flash', testId: 'home-flash-sale', title: '限时秒杀', sub: '好价限量抢', icon: '秒', page: 'flashSale' },
  { key: 'coupons', testId: 'home-coupons', title: '领券中心', sub: '天天领好券', icon: '券', page: 'coupons' },
  { key: 'group', testId: 'home-group-buy', title: '拼团', sub: '一起拼更省', icon: '团', page: 'groupBuy' },
] as const;

const CATEGORY_COLORS = ['#ff6a3c', '#3c8cff', '#ff4d88', '#18b47b', '#9b6bff', '#ffa12b', '#2bb5c8', '#e4393c', '#6c7bff', '#f25f5c'];

/** 首页: search bar, the operators' home sections (首页装修), campaign banners and popup, category grid, promotion entries, 为你推荐. */
export default function HomePage() {
  const home = useApi(() => api.call('getHomeCampaign'), [], { refreshOnShow: true });
  // 欢迎回来: a shopper back from 沉睡 with an unused 专属回归礼包 coupon.
  const winBack = useApi(() => api.call('getMyWinBack'), [], { refreshOnShow: true, enabled: isLoggedIn() });
  const cats = useApi(() => api.call('listCategories'));
  const list = useProductList({ sort: 'sales' });
  const campaign = home.data?.campaign ?? null;
  const banners = campaign?.banners ?? [];
  const [popup, setPopup] = useState<Banner | null>(null);

  // The campaign popup: once per campaign per shop day.
  useEffect(() => {
    if (!campaign?.popup || !home.data) return;
    const day = shopDay(home.data.serverTime);
    if (seenToday(campaign.id, day)) return;
    markSeen(campaign.id, day);
    setPopup(campaign.popup);
  }, [campaign?.id, home.data?.serverTime]); // eslint-disable-line react-hooks/exhaustive-deps

  usePullDownRefresh(() => {
    void list.reload().finally(() => stopPullDownRefresh());
  });
  useReachBottom(() => void list.loadMore());
  useShareAppMessage(() => ({ title: campaign?.name ? `${campaign.name} · edgemall` : 'edgemall 好物商城', path: PAGES.home }));

  const topCats = (cats.data?.items ?? []).filter((c) => c.enabled);

  const pickCategory = (id: string) => {
    Taro.setStorageSync(CATEGORY_PICK_KEY, id);
    void go('category');
  };

  return (
    <View className="home">
      <View className="home__top">
        <View className="home__search" data-testid="home-search" onClick={() => void go('search')}>
          <View className="home__search-icon" />
          <Text className="home__search-text">搜索商品，如 保温杯</Text>
          <Text className="home__search-btn">搜索</Text>
        </View>
      </View>

      {winBack.data?.active && (
        <View className="home__welcome" data-testid="home-welcome-back" onClick={() => void go('coupons', { tab: 'mine' })}>
          <Text className="home__welcome-title">欢迎回来</Text>
          <Text className="home__welcome-sub">送你专属回归礼包 · {winBack.data.coupons.length} 张券待使用</Text>
          <Text className="home__welcome-go">去使用</Text>
        </View>
      )}

      {banners.length > 0 && (
        <View className="home__banner-wrap">
          <Swiper
            className="home__banner"
            indicatorDots={banners.length > 1}
            indicatorColor="rgba(255,255,255,0.5)"
            indicatorActiveColor="#ffffff"
            autoplay
            circular
            interval={4000}
          >
            {banners.map((b, i) => (
              <SwiperItem key={`${b.imageUrl}-${i}`}>
                <View className="home__banner-item" data-testid="home-banner" data-link={b.link} onClick={() => openLink(b.link)}>
                  <Image className="home__banner-img" src={mediaUrl(b.imageUrl)} mode="aspectFill" />
                  {b.title && <Text className="home__banner-title">{b.title}</Text>}
                  {i === 0 && campaign?.name && <Text className="home__banner-tag">{campaign.name}</Text>}
                </View>
              </SwiperItem>
            ))}
          </Swiper>
        </View>
      )}

      {/* 首页装修: the operators' banners, topic entries and product rails */}
      <HomeSections />

      <View className="home__card home__cats">
        {topCats.map((c, i) => (
          <View key={c.id} className="home__cat" data-testid="home-category" data-category-id={c.id} onClick={() => pickCategory(c.id)}>
            {c.iconUrl ? (
              <Image className="home__cat-icon" src={mediaUrl(c.iconUrl)} mode="aspectFill" />
            ) : (
              <View className="home__cat-icon home__cat-icon--text" style={{ background: CATEGORY_COLORS[i % CATEGORY_COLORS.length] }}>
                {c.name.slice(0, 1)}
              </View>
            )}
            <Text className="home__cat-name">{c.name}</Text>
          </View>
        ))}
        {!cats.data && <PageState loading={cats.loading} error={cats.error} onRetry={() => void cats.reload()} />}
      </View>

      <View className="home__entries">
        {ENTRIES.map((e) => (
          <View key={e.key} className={`home__entry home__entry--${e.key}`} data-testid={e.testId} onClick={() => void go(e.page)}>
            <View className="home__entry-text">
              <Text className="home__entry-title">{e.title}</Text>
              <Text className="home__entry-sub">{e.sub}</Text>
            </View>
            <Text className="home__entry-icon">{e.icon}</Text>
          </View>
        ))}
      </View>

      <View className="home__rec-head">
        <Text className="home__rec-title">为你推荐</Text>
      </View>
      {list.items.length > 0 ? (
        <View className="product-grid">
          {list.items.map((p) => (
            <ProductCard key={p.id} product={p} testId="home-product" />
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

      {popup && (
        <View className="home__popup" data-testid="home-popup" catchMove>
          <View className="home__popup-mask" onClick={() => setPopup(null)} />
          <View className="home__popup-box">
            <View
              className="home__popup-card"
              onClick={() => {
                setPopup(null);
                openLink(popup.link);
              }}
            >
              <Image className="home__popup-img" src={mediaUrl(popup.imageUrl)} mode="aspectFill" />
              <View className="home__popup-body">
                <Text className="home__popup-title">{popup.title}</Text>
                <Text className="home__popup-go">立即查看</Text>
              </View>
            </View>
            <View className="home__popup-close" data-testid="home-popup-close" onClick={() => setPopup(null)}>
              ×
            </View>
          </View>
        </View>
      )}
    </View>
  );
}
