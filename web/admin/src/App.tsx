import { lazy, Suspense, type ReactNode } from 'react';
import { Navigate, Route, Routes } from 'react-router-dom';
import { Result, Spin } from 'antd';
import { AppLayout } from './Layout';
import { Guard } from './ui';
import type { NavKey } from './nav';
import { useI18n } from './i18n';
import { useAuth } from './auth';
import LoginPage from './pages/login';

const ProductsPage = lazy(() => import('./pages/products'));
const ProductFormPage = lazy(() => import('./pages/product-form'));
const CategoriesPage = lazy(() => import('./pages/categories'));
const OrdersPage = lazy(() => import('./pages/orders'));
const DashboardPage = lazy(() => import('./pages/dashboard'));
const AfterSalesPage = lazy(() => import('./pages/after-sales'));
const StaffPage = lazy(() => import('./pages/staff'));
const AuditLogPage = lazy(() => import('./pages/audit-log'));
const ApplyPage = lazy(() => import('./pages/apply'));
const CouponsPage = lazy(() => import('./pages/promotions/coupon-templates'));
const PromotionRulesPage = lazy(() => import('./pages/promotions/promotion-rules'));
const LotteriesPage = lazy(() => import('./pages/promotions/lotteries'));
const CampaignsPage = lazy(() => import('./pages/promotions/campaigns'));
const FlashSalesPage = lazy(() => import('./pages/promotions/flash-sales'));
const GroupBuysPage = lazy(() => import('./pages/promotions/group-buys'));
const MerchantsPage = lazy(() => import('./pages/merchants'));
const MerchantApplicationsPage = lazy(() => import('./pages/merchant-applications'));
const LedgerPage = lazy(() => import('./pages/ledger'));
const CheckinTasksPage = lazy(() => import('./pages/members/checkin-tasks'));
const PointsMallPage = lazy(() => import('./pages/members/points-mall'));
const PointsRulesPage = lazy(() => import('./pages/members/points-rules'));
const PointsAdjustPage = lazy(() => import('./pages/members/points-adjust'));
const MemberTiersPage = lazy(() => import('./pages/members/tiers'));
const MemberSettingsPage = lazy(() => import('./pages/members/settings'));
const MemberLookupPage = lazy(() => import('./pages/members/member-lookup'));
const ReferralsPage = lazy(() => import('./pages/members/referrals'));
const SegmentsPage = lazy(() => import('./pages/members/segments'));
const WinBackPage = lazy(() => import('./pages/members/win-back'));
const MessagesPage = lazy(() => import('./pages/members/messages'));
const ScreeningPage = lazy(() => import('./pages/screening'));
const ReviewModerationPage = lazy(() => import('./pages/reviews/moderation'));
const ReviewsPage = lazy(() => import('./pages/reviews/manage'));
const SpotChecksPage = lazy(() => import('./pages/compliance/spot-checks'));
const CorrectionNoticesPage = lazy(() => import('./pages/compliance/notices'));

const SupportInboxPage = lazy(() => import('./pages/support/inbox'));
const SupportFaqsPage = lazy(() => import('./pages/support/faqs'));
const SupportReportPage = lazy(() => import('./pages/support/report'));
const ContentListPage = lazy(() => import('./pages/content/articles'));
const ContentCalendarPage = lazy(() => import('./pages/content/calendar'));
const HomeSectionsPage = lazy(() => import('./pages/content/home-sections'));

function NotFound() {
  const { t } = useI18n();
  return <Result status="404" title="404" subTitle={t('notFound')} />;
}

/** A merchant sees its own ledger; platform staff pick a merchant. */
function LedgerRoute() {
  const { me } = useAuth();
  return <LedgerPage merchantId={me?.role === 'merchant' ? me.merchantId : undefined} />;
}

const g = (nav: NavKey, el: ReactNode) => <Guard nav={nav}>{el}</Guard>;

export function AppRoutes() {
  return (
    <Suspense fallback={<Spin style={{ margin: 48 }} />}>
      <Routes>
        <Route path="/login" element={<LoginPage />} />
        <Route path="/apply" element={<ApplyPage />} />
        <Route
          element={
            <Guard>
              <AppLayout />
            </Guard>
          }
        >
          <Route path="/" element={<Navigate to="/dashboard" replace />} />
          <Route path="/dashboard" element={g('dashboard', <DashboardPage />)} />
          <Route path="/products" element={g('products', <ProductsPage />)} />
          <Route path="/products/new" element={g('products', <ProductFormPage />)} />
          <Route path="/products/:id" element={g('products', <ProductFormPage />)} />
          <Route path="/categories" element={g('categories', <CategoriesPage />)} />
          <Route path="/screening" element={g('screening', <ScreeningPage />)} />
          <Route path="/review-moderation" element={g('review-moderation', <ReviewModerationPage />)} />
          <Route path="/reviews" element={g('reviews', <ReviewsPage />)} />
          <Route path="/spot-checks" element={g('spot-checks', <SpotChecksPage />)} />
          <Route path="/correction-notices" element={g('correction-notices', <CorrectionNoticesPage />)} />
          <Route path="/orders" element={g('orders', <OrdersPage />)} />
          <Route path="/orders/:id" element={g('orders', <OrdersPage />)} />
          <Route path="/aftersales" element={g('aftersales', <AfterSalesPage />)} />
          <Route path="/flash-sales" element={g('flash-sales', <FlashSalesPage />)} />
          <Route path="/group-buys" element={g('group-buys', <GroupBuysPage />)} />
          <Route path="/coupons" element={g('coupons', <CouponsPage />)} />
          <Route path="/promotion-rules" element={g('promotion-rules', <PromotionRulesPage />)} />
          <Route path="/lotteries" element={g('lotteries', <LotteriesPage />)} />
          <Route path="/messages" element={g('messages', <MessagesPage />)} />
          <Route path="/campaigns" element={g('campaigns', <CampaignsPage />)} />
          <Route path="/member-segments" element={g('member-segments', <SegmentsPage />)} />
          <Route path="/win-back" element={g('win-back', <WinBackPage />)} />
          <Route path="/merchants" element={g('merchants', <MerchantsPage />)} />
          <Route path="/merchant-applications" element={g('merchant-applications', <MerchantApplicationsPage />)} />
          <Route path="/staff" element={g('staff', <StaffPage />)} />
          <Route path="/audit-log" element={g('audit-log', <AuditLogPage />)} />
          <Route path="/support-inbox" element={g('support-inbox', <SupportInboxPage />)} />
          <Route path="/support-faqs" element={g('support-faqs', <SupportFaqsPage />)} />
          <Route path="/support-report" element={g('support-report', <SupportReportPage />)} />
          <Route path="/content-list" element={g('content-list', <ContentListPage />)} />
          <Route path="/content-calendar" element={g('content-calendar', <ContentCalendarPage />)} />
          <Route path="/home-sections" element={g('home-sections', <HomeSectionsPage />)} />
          <Route path="/ledger" element={g('ledger', <LedgerRoute />)} />
          <Route path="/checkin-tasks" element={g('checkin-tasks', <CheckinTasksPage />)} />
          <Route path="/points-mall" element={g('points-mall', <PointsMallPage />)} />
          <Route path="/points-rules" element={g('points-rules', <PointsRulesPage />)} />
          <Route path="/points-adjust" element={g('points-adjust', <PointsAdjustPage />)} />
          <Route path="/member-tiers" element={g('member-tiers', <MemberTiersPage />)} />
          <Route path="/member-settings" element={g('member-settings', <MemberSettingsPage />)} />
          <Route path="/member-lookup" element={g('member-lookup', <MemberLookupPage />)} />
          <Route path="/member-lookup/:userId" element={g('member-lookup', <MemberLookupPage />)} />
          <Route path="/referrals" element={g('referrals', <ReferralsPage />)} />
          <Route path="*" element={<NotFound />} />
        </Route>
      </Routes>
    </Suspense>
  );
}
