import type { Permission, Staff } from './api';

export type NavKey =
  | 'dashboard'
  | 'products'
  | 'categories'
  | 'orders'
  | 'aftersales'
  | 'flash-sales'
  | 'group-buys'
  | 'coupons'
  | 'promotion-rules'
  | 'lotteries'
  | 'campaigns'
  | 'member-segments'
  | 'win-back'
  | 'merchants'
  | 'merchant-applications'
  | 'staff'
  | 'audit-log'
  | 'ledger'
  | 'checkin-tasks'
  | 'points-mall'
  | 'points-rules'
  | 'points-adjust'
  | 'member-tiers'
  | 'member-settings'
  | 'member-lookup'
  | 'referrals'
  | 'messages'
  | 'screening'
  | 'review-moderation'
  | 'reviews'
  | 'spot-checks'
  | 'correction-notices'
  | 'support-inbox'
  | 'support-faqs'
  | 'support-report'
  | 'content-list'
  | 'content-calendar'
  | 'home-sections';

/**
 * Who sees which screen. The server enforces permissions (workers/shared/rbac.ts); the console only
 * hides what the signed-in role cannot do.
 */
export function canSee(me: Staff | null, key: NavKey): boolean {
  if (!me) return false;
  const has = (p: Permission) => me.permissions.includes(p);
  const merchant = me.role === 'merchant';
  switch (key) {
    case 'dashboard':
      return has('orders.read') || has('catalog.read');
    case 'products':
    case 'screening': // reading the words and checking copy; editing needs catalog.review (checked on the page and the server)
      return has('catalog.read');
    case 'categories':
      return has('catalog.write') && !merchant;
    case 'review-moderation':
      return has('catalog.review');
    case 'reviews': // a merchant sees its own products' reviews (the server scopes the list)
      return has('catalog.read');
    case 'spot-checks':
      return has('catalog.review') && !merchant;
    case 'correction-notices': // a merchant's own 整改通知 (operators work on them in 抽查整改)
      return merchant && has('catalog.read');
    case 'orders':
      return has('orders.read');
    case 'aftersales':
      return has('aftersales.write');
    case 'flash-sales':
    case 'group-buys':
    case 'coupons':
    case 'promotion-rules':
    case 'lotteries':
    case 'campaigns':
      return has('promotions.write');
    case 'member-segments':
    case 'win-back':
      return has('members.read');
    case 'merchants':
    case 'merchant-applications':
      return has('merchants.manage');
    case 'staff':
      return has('staff.manage');
    case 'audit-log':
      return has('audit.read');
    case 'support-inbox':
    case 'support-report':
      return has('support.handle');
    case 'support-faqs':
      return has('support.faq');
    case 'content-list':
    case 'content-calendar':
    case 'home-sections':
      return has('content.write');
    case 'referrals':
    case 'messages':
      return has('members.read');
    case 'ledger':
      return (merchant && !!me.merchantId) || has('merchants.manage');
    case 'checkin-tasks':
    case 'points-mall':
    case 'points-rules':
    case 'points-adjust':
    case 'member-tiers':
    case 'member-settings':
    case 'member-lookup':
      return has('members.read');
  }
}
