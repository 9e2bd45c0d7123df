import { swaggerUI } from '@hono/swagger-ui';
import { HTTPException } from 'hono/http-exception';
import { cors } from 'hono/cors';
import type { MiddlewareHandler } from 'hono';
import { createRouter, type AppEnv } from './shared/http';
import { AppError, errorBody } from './shared/errors';
import { createLogger, Tally } from './shared/log';
import { newRequestId } from './shared/ids';
import { catalogPageFromMemory, pathAndSearch } from './domains/catalog/store-fast-path';
import type { CachedPage } from './domains/catalog/store-cache';
import { authenticate } from './domains/auth/middleware';
import { healthRoutes } from './domains/health/routes';
import { userAuthRoutes } from './domains/users/store.routes';
import { loginRoutes } from './flows/login.routes';
import { staffRoutes } from './domains/staff/admin.routes';
import { catalogStoreRoutes } from './domains/catalog/store.routes';
import { cartStoreRoutes } from './domains/cart/store.routes';
import { addressStoreRoutes } from './domains/addresses/store.routes';
import { catalogAdminRoutes } from './domains/catalog/admin.routes';
import { mediaPublicRoutes } from './domains/media/public.routes';
import { mediaAdminRoutes } from './domains/media/admin.routes';
import { logisticsAdminRoutes } from './domains/logistics/admin.routes';
import { merchantsAdminRoutes } from './domains/merchants/admin.routes';
import { applicationsAdminRoutes, applicationsStoreRoutes } from './domains/merchants/applications.routes';
import { merchantOnboardingAdminRoutes, merchantOnboardingStoreRoutes } from './flows/merchant-onboarding.routes';
import { logisticsWebhookRoutes } from './flows/tracking-update.routes';
import { productPromotionsRoutes } from './flows/product-promotions.routes';
import { ordersStoreRoutes } from './domains/orders/store.routes';
import { ordersAdminRoutes } from './domains/orders/admin.routes';
import { checkoutRoutes } from './flows/checkout.routes';
import { paymentRoutes } from './flows/payment.routes';
import { refundRoutes } from './flows/refund.routes';
import { aftersalesStoreRoutes } from './domains/aftersales/store.routes';
import { aftersalesAdminRoutes } from './domains/aftersales/admin.routes';
import { aftersaleReviewRoutes } from './flows/aftersale-review.routes';
import { fulfilmentAdminRoutes, fulfilmentStoreRoutes } from './flows/fulfilment.routes';
import { flashSalesStoreRoutes } from './domains/flash-sales/store.routes';
import { flashSalesAdminRoutes } from './domains/flash-sales/admin.routes';
import { flashAdminFlowRoutes, flashOrderRoutes } from './flows/flash-order.routes';
import { groupBuysStoreRoutes } from './domains/group-buys/store.routes';
import { groupBuysAdminRoutes } from './domains/group-buys/admin.routes';
import { groupBuyOrderRoutes } from './flows/group-buy-order.routes';
import { lotteryStoreRoutes } from './domains/promotions/lottery/store.routes';
import { lotteryAdminRoutes } from './domains/promotions/lottery/admin.routes';
import { membersStoreRoutes } from './domains/members/store.routes';
import { membersAdminRoutes } from './domains/members/admin.routes';
import { checkinAdminRoutes, checkinStoreRoutes, tasksAdminRoutes, tasksStoreRoutes } from './domains/members/growth.routes';
import { pointsMallStoreRoutes } from './domains/members/mall/store.routes';
import { pointsMallAdminRoutes } from './domains/members/mall/admin.routes';
import { pointsMallRedeemRoutes } from './flows/points-mall-redeem.routes';
import { pointsStoreRoutes } from './domains/members/points/store.routes';
import { pointsAdminRoutes } from './domains/members/points/admin.routes';
import { tiersStoreRoutes } from './domains/members/tiers/store.routes';
import { tiersAdminRoutes } from './domains/members/tiers/admin.routes';
import { referralsAdminRoutes } from './domains/members/referrals/admin.routes';
import { referralsStoreRoutes } from './domains/members/referrals/store.routes';
import { referralRewardAdminRoutes } from './flows/referral-rewards.routes';
import { segmentsStoreRoutes } from './domains/members/segments/store.routes';
import { segmentsAdminRoutes } from './domains/members/segments/admin.routes';
import { messagesAdminRoutes } from './domains/notifications/marketing/admin.routes';
import { messagesStoreRoutes } from './domains/notifications/marketing/store.routes';
import { screeningAdminRoutes } from './domains/screening/admin.routes';
import { favoritesAdminRoutes } from './domains/members/favorites/admin.routes';
import { favoritesStoreRoutes } from './domains/members/favorites/store.routes';
import { promotionRulesAdminRoutes } from './domains/promotions/promotion-rules/admin.routes';
import { campaignsAdminRoutes } from './domains/promotions/campaigns/admin.routes';
import { campaignsStoreRoutes } from './domains/promotions/campaigns/store.routes';
import { couponsStoreRoutes } from './domains/promotions/coupons/store.routes';
import { couponsAdminRoutes } from './domains/promotions/coupons/admin.routes';
import { staffManageRoutes } from './domains/staff/roles.routes';
import { auditAdminRoutes } from './domains/audit/admin.routes';
import { complianceAdminRoutes } from './domains/compliance/admin.routes';
import { auditStaffWrites } from './domains/audit/audit.middleware';
import { dashboardAdminRoutes } from './domains/dashboard/admin.routes';
import { supportStoreRoutes } from './domains/support/store.routes';
import { supportAdminRoutes } from './domains/support/admin.routes';
import { supportChatRoutes } from './flows/support.routes';
import { supportActionRoutes } from './flows/support-actions.routes';
import { reviewsStoreRoutes } from './domains/reviews/store.routes';
import { reviewsAdminRoutes } from './domains/reviews/admin.routes';
import { reviewFlowRoutes } from './flows/review.routes';
import { contentStoreRoutes } from './domains/content/store.routes';
import { contentAdminRoutes } from './domains/content/admin.routes';
import { homeAdminRoutes, homeStoreRoutes } from './domains/content/home.routes';
import type { Env } from './shared/env';
// The one import of workers/dev (development only); see the conditional mount in buildApp.
import { mountDevRoutes } from './dev/mount';

const rootLog = createLogger({ service: 'edgemall' });
/** Routine requests are counted, one line per 10 s: refusals a crowd makes, fast successful reads. */
const routine = new Tally(rootLog, 'routine requests');
/** A read slower than this gets its own line, whatever its status. */
const SLOW_MS = 1_000;
/** "/store/v1/products/p_1" → "/store/v1/products": the counts' key, without ids. */
const area = (path: string) => path.split('/', 4).join('/');

/**
 * Builds the whole API. `dev` adds the development-only routes of workers/dev (demo seed, WeChat
 * Pay sandbox controls); a production app is built without them, so they answer 404 like any
 * unknown path and /openapi.json does not list them.
 */
export function buildApp(options: { dev: boolean }) {
  /** Storefront API: shoppers (mini-program, H5). */
  const store = createRouter();
  store.route('/', loginRoutes);
  store.route('/', userAuthRoutes);
  store.route('/', catalogStoreRoutes);
  store.route('/', cartStoreRoutes);
  store.route('/', addressStoreRoutes);
  store.route('/', checkoutRoutes);
  store.route('/', ordersStoreRoutes);
  store.route('/', paymentRoutes);
  store.route('/', refundRoutes);
  store.route('/', aftersalesStoreRoutes);
  store.route('/', fulfilmentStoreRoutes);
  store.route('/', flashSalesStoreRoutes);
  store.route('/', flashOrderRoutes);
  store.route('/', groupBuysStoreRoutes);
  store.route('/', groupBuyOrderRoutes);
  store.route('/', lotteryStoreRoutes);
  store.route('/', membersStoreRoutes);
  store.route('/', checkinStoreRoutes).route('/', tasksStoreRoutes);
  store.route('/', pointsMallStoreRoutes);
  store.route('/', pointsMallRedeemRoutes);
  store.route('/', pointsStoreRoutes);
  store.route('/', tiersStoreRoutes);
  store.route('/', referralsStoreRoutes);
  store.route('/', segmentsStoreRoutes);
  store.route('/', messagesStoreRoutes);
  store.route('/', favoritesStoreRoutes);
  store.route('/', campaignsStoreRoutes);
  store.route('/', couponsStoreRoutes);
  store.route('/', productPromotionsRoutes);
  store.route('/', merchantOnboardingStoreRoutes);
  store.route('/', applicationsStoreRoutes);
  store.route('/', supportStoreRoutes);
  store.route('/', supportChatRoutes);
  store.route('/', reviewFlowRoutes);
  store.route('/', reviewsStoreRoutes);
  store.route('/', contentStoreRoutes).route('/', homeStoreRoutes);

  /** Admin API: staff (operators, support, merchants). */
  const admin = createRouter();
  // Registered before the routes so it wraps them; `authenticate` (on /admin/v1/*) has set the actor by then.
  // The before-snapshot GET goes through the whole app with the caller's token.
  admin.use('*', auditStaffWrites({ prefix: '/admin/v1', router: () => admin, fetch: (req, env, ec) => app.fetch(req, env, ec) }));
  admin.route('/', staffRoutes);
  admin.route('/', staffManageRoutes);
  admin.route('/', auditAdminRoutes);
  admin.route('/', dashboardAdminRoutes);
  admin.route('/', catalogAdminRoutes);
  admin.route('/', mediaAdminRoutes);
  admin.route('/', logisticsAdminRoutes);
  admin.route('/', ordersAdminRoutes);
  admin.route('/', aftersalesAdminRoutes);
  admin.route('/', aftersaleReviewRoutes);
  admin.route('/', merchantsAdminRoutes);
  admin.route('/', applicationsAdminRoutes);
  admin.route('/', merchantOnboardingAdminRoutes);
  admin.route('/', fulfilmentAdminRoutes);
  admin.route('/', flashSalesAdminRoutes);
  admin.route('/', flashAdminFlowRoutes);
  admin.route('/', groupBuysAdminRoutes);
  admin.route('/', lotteryAdminRoutes);
  admin.route('/', membersAdminRoutes);
  admin.route('/', checkinAdminRoutes).route('/', tasksAdminRoutes);
  admin.route('/', pointsMallAdminRoutes);
  admin.route('/', pointsAdminRoutes);
  admin.route('/', tiersAdminRoutes);
  admin.route('/', referralsAdminRoutes);
  admin.route('/', referralRewardAdminRoutes);
  admin.route('/', segmentsAdminRoutes);
  admin.route('/', messagesAdminRoutes);
  admin.route('/', favoritesAdminRoutes);
  admin.route('/', promotionRulesAdminRoutes);
  admin.route('/', campaignsAdminRoutes);
  admin.route('/', couponsAdminRoutes);
  admin.route('/', screeningAdminRoutes);
  admin.route('/', complianceAdminRoutes);

  admin.route('/', supportAdminRoutes);
  admin.route('/', supportActionRoutes);
  admin.route('/', reviewsAdminRoutes);
  admin.route('/', contentAdminRoutes).route('/', homeAdminRoutes);

  const app = createRouter();

  app.use('*', async (c, next) => {
    const requestId = c.req.header('x-request-id')?.slice(0, 64) || c.req.header('cf-ray') || newRequestId();
    c.set('requestId', requestId);
    c.set('log', rootLog.child({ requestId }));
    c.set('actor', { kind: 'anonymous' });
    const t0 = Date.now();
    await next();
    c.header('X-Request-Id', requestId);
    const refusal = c.get('routineRefusal');
    const ms = Date.now() - t0;
    if (refusal) routine.count(`${c.res.status} ${refusal}`);
    else if ((c.req.method === 'GET' || c.req.method === 'HEAD') && c.res.status < 400 && ms < SLOW_MS)
      routine.count(`${c.res.status} ${c.req.method} ${area(c.req.path)}`);
    // writes, errors and slow reads: one line each
    else c.get('log').info('request', { method: c.req.method, path: c.req.path, status: c.res.status, ms });
  });

  // The admin console and H5 run on other origins (Pages, localhost ports) and send bearer tokens
  // (no cookies, so no credentials).
  const crossOrigin = cors({
    origin: (o) => o,
    allowHeaders: ['Authorization', 'Content-Type', 'Idempotency-Key', 'X-Request-Id', 'X-Guest-Cart', 'X-Flash-Token'],
    exposeHeaders: ['X-Request-Id'],
  });
  // Mini-program requests carry no Origin (wx.request is not a browser): no CORS work for them.
  const corsForBrowsers: MiddlewareHandler = (c, next) => (c.req.header('origin') ? crossOrigin(c, next) : next());
  app.use('/store/*', corsForBrowsers);
  app.use('/admin/*', corsForBrowsers);
  app.use('/store/v1/*', authenticate);
  app.use('/admin/v1/*', authenticate);

  app.route('/', healthRoutes);
  app.route('/', logisticsWebhookRoutes);
  app.route('/', mediaPublicRoutes);
  // Development only, never in production: the WeChat Pay sandbox controls, which hand their signed
  // notifications to our own notify routes in-process, and the demo seed (on the admin router, so it
  // is authenticated and audited like any staff write).
  if (options.dev) mountDevRoutes({ root: app, admin, crossOrigin, fetch: (req, env) => Promise.resolve(app.fetch(req, env)) });
  app.route('/store/v1', store);
  app.route('/admin/v1', admin);

  app.openAPIRegistry.registerComponent('securitySchemes', 'bearerAuth', { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' });
  app.doc31('/openapi.json', (c) => ({
    openapi: '3.1.0',
    info: {
      title: 'edgemall API',
      version: '0.1.0',
      description: 'Storefront (/store/v1) and admin (/admin/v1) APIs. Money is integer fen; times are ISO-8601 UTC.',
    },
    servers: [{ url: new URL(c.req.url).origin }],
  }));
  app.get('/docs', swaggerUI({ url: '/openapi.json', title: 'edgemall API docs' }));
  app.get('/', (c) => c.redirect('/docs'));

  app.notFound((c) => c.json(errorBody('not_found', `no route for ${c.req.method} ${c.req.path}`), 404));

  app.onError((err, c) => {
    const log = c.get('log') ?? rootLog;
    c.header('X-Request-Id', c.get('requestId') ?? '');
    if (err instanceof AppError) {
      if (err.routine) c.set('routineRefusal', err.code);
      const retryAfter = (err.details as { retryAfterSeconds?: unknown } | undefined)?.retryAfterSeconds;
      if (typeof retryAfter === 'number') c.header('Retry-After', String(retryAfter));
      if (err.status >= 500) log.error('app error', { code: err.code, message: err.message });
      return c.json(errorBody(err.code, err.message, err.details), err.status);
    }
    if (err instanceof HTTPException) {
      // Hono raises these for malformed JSON bodies and similar client mistakes.
      const status = err.status;
      const code = status === 400 ? 'validation.malformed' : `http.${status}`;
      return c.json(errorBody(code, err.message || 'bad request'), status as 400);
    }
    log.error('unhandled error', { err: err instanceof Error ? (err.stack ?? err.message) : String(err), path: c.req.path });
    return c.json(
      errorBody('internal', 'something went wrong; quote the request id when reporting it', { requestId: c.get('requestId') }),
      500,
    );
  });
  return app;
}

type Api = ReturnType<typeof buildApp>;
let productionApp: Api | undefined;
let devApp: Api | undefined;

/**
 * The app for this environment, built once per isolate: without the dev routes when ENVIRONMENT
 * is production, with them otherwise (the same rule as isSandbox's first half). Bindings arrive
 * with each request, so the choice is made per call rather than at module load.
 */
export function appFor(env: Pick<Env, 'ENVIRONMENT'>): Api {
  if (env.ENVIRONMENT === 'production') return (productionApp ??= buildApp({ dev: false }));
  return (devApp ??= buildApp({ dev: true }));
}

/** The Worker's fetch handler (and what tests call with an env of their choosing). */
export const app = {
  fetch: (req: Request, env: Env, executionCtx?: ExecutionContext): Response | Promise<Response> => {
    // Anonymous catalog reads fresh in this isolate's memory skip the router (store-fast-path.ts).
    if (req.method === 'GET' && !req.headers.has('authorization')) {
      const at = pathAndSearch(req.url);
      if (at?.path.startsWith('/store/v1/')) {
        const now = Date.now();
        const page = catalogPageFromMemory(at.path, at.search, now, {
          env,
          now,
          waitUntil: executionCtx && ((p) => executionCtx.waitUntil(p)),
          log: rootLog,
        });
        if (page) return sendCatalogPage(req, at.path, page);
      }
    }
    return appFor(env).fetch(req, env, executionCtx);
  },
};

/** A catalog page from memory with the headers the routes would send (ETag, CORS, request id). */
function sendCatalogPage(req: Request, path: string, page: CachedPage): Response {
  // One plain object for the headers: cheaper than a Headers object and a set() per header.
  const headers: Record<string, string> = {
    etag: page.etag,
    'cache-control': 'no-cache',
    'x-request-id': req.headers.get('x-request-id')?.slice(0, 64) || req.headers.get('cf-ray') || newRequestId(),
  };
  const origin = req.headers.get('origin');
  if (origin) {
    // as the crossOrigin middleware answers a simple request
    headers['access-control-allow-origin'] = origin;
    headers['access-control-expose-headers'] = 'X-Request-Id';
    headers.vary = 'Origin';
  }
  const notModified = req.headers.get('if-none-match') === page.etag;
  // The tally keys are area(path) — always one of these two here —, spelled out to make no string per request.
  const products = path.startsWith('/store/v1/products');
  if (notModified) routine.count(products ? '304 GET /store/v1/products' : '304 GET /store/v1/categories');
  else routine.count(products ? '200 GET /store/v1/products' : '200 GET /store/v1/categories');
  if (notModified) return new Response(null, { status: 304, headers });
  headers['content-type'] = 'application/json';
  return new Response(page.bytes, { status: 200, headers });
}

export type App = typeof app;
export type { AppEnv };
