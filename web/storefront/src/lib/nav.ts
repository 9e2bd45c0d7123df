import Taro from '@tarojs/taro';

/** The storefront's pages; the tab pages are switched to, the others pushed. */
export const PAGES = {
  home: '/pages/index/index',
  category: '/pages/category/index',
  cart: '/pages/cart/index',
  mine: '/pages/mine/index',
  search: '/pages/search/index',
  product: '/pages/product/index',
  checkout: '/pages/checkout/index',
  pay: '/pages/pay/index',
  orders: '/pages/orders/index',
  order: '/pages/order/index',
  afterSale: '/pages/after-sale/index',
  afterSales: '/pages/after-sales/index',
  addresses: '/pages/addresses/index',
  coupons: '/pages/coupons/index',
  flashSale: '/pages/flash-sale/index',
  groupBuy: '/pages/group-buy/index',
  team: '/pages/team/index',
  lottery: '/pages/lottery/index',
  campaign: '/pages/campaign/index',
  login: '/pages/login/index',
  checkin: '/member/checkin/index',
  tasks: '/member/tasks/index',
  pointsMall: '/member/mall/index',
  pointsMallItem: '/member/mall-item/index',
  pointsMallRecords: '/member/mall-records/index',
  memberPoints: '/member/points/index',
  memberWallet: '/member/wallet/index',
  memberCenter: '/member/center/index',
  memberProfile: '/member/profile/index',
  invite: '/member/invite/index',
  favorites: '/member/favorites/index',
  messages: '/member/messages/index',
  service: '/member/service/index',
  reviews: '/reviews/list/index',
  writeReview: '/reviews/write/index',
  myReviews: '/reviews/mine/index',
  articles: '/content/list/index',
  article: '/content/article/index',
} as const;
export type PageName = keyof typeof PAGES;

const TABS: ReadonlySet<PageName> = new Set(['home', 'category', 'cart', 'mine']);

/** `/pages/product/index` + { id: 'prd_1' } → `/pages/product/index?id=prd_1` */
export function pageUrl(page: PageName, params: Record<string, string | number | undefined> = {}): string {
  const q = Object.entries(params)
    .filter(([, v]) => v !== undefined && v !== '')
    .map(([k, v]) => `${k}=${encodeURIComponent(String(v))}`)
    .join('&');
  return PAGES[page] + (q ? `?${q}` : '');
}

/** Opens a page: tabs are switched to (they take no params), others pushed onto the stack. */
export function go(page: PageName, params?: Record<string, string | number | undefined>) {
  if (TABS.has(page)) return Taro.switchTab({ url: PAGES[page] });
  return Taro.navigateTo({ url: pageUrl(page, params) });
}

/** Replaces the current page (e.g. checkout → pay, so "back" does not return to a used checkout). */
export function replace(page: PageName, params?: Record<string, string | number | undefined>) {
  if (TABS.has(page)) return Taro.switchTab({ url: PAGES[page] });
  return Taro.redirectTo({ url: pageUrl(page, params) });
}

/** Back one page, or home when this page was opened directly (a shared link, an H5 reload). */
export function back() {
  if (Taro.getCurrentPages().length > 1) return Taro.navigateBack();
  return Taro.switchTab({ url: PAGES.home });
}
