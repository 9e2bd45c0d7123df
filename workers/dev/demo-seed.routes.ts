import { createRoute, z } from '@hono/zod-openapi';
import { createMiddleware } from 'hono/factory';
import { seedDemoReviews } from './demo-reviews';
import { isSandbox, type Env } from '../shared/env';
import { AppError } from '../shared/errors';
import { bearerSecurity, createRouter, ctxOf, errorResponses, jsonContent, type AppEnv } from '../shared/http';
import { requireStaff } from '../domains/auth/middleware';
import { seedDemoShop } from './demo-seed';
import { ensureDictionary } from '../domains/screening/dictionary.service';
import { seedDemoPromotions } from './demo-promotions';
import { seedDemoActivity } from './demo-activity';
import { seedDemoSegments } from './demo-segments';
import { seedDemoCompliance } from './demo-compliance';
import { seedDemoContent } from './demo-content';

const tags = ['Dev'];

/**
 * These routes are mounted only outside production (mount.ts); there they also need sandbox mode
 * (SANDBOX=true). Checked before the staff check, so with sandbox off everyone gets the same 404.
 */
const sandboxOnly = createMiddleware<AppEnv>(async (c, next) => {
  if (!isSandbox(c.env)) throw new AppError('dev.disabled', 404, 'dev tools are only available in sandbox environments');
  await next();
});

const DemoSeedResultSchema = z
  .object({
    alreadySeeded: z.boolean().openapi({ description: 'true when everything already existed and nothing was created' }),
    categories: z.number().int().openapi({ description: 'categories created by this call' }),
    products: z.number().int().openapi({ description: 'products created by this call' }),
    skus: z.number().int(),
    images: z.number().int().openapi({ description: 'product images generated and uploaded' }),
    merchants: z.number().int(),
    promotions: z.number().int().openapi({ description: 'promotions (rules, coupon templates, lottery, campaign) created by this call' }),
    campaignId: z.string().openapi({ description: 'the seeded 双十一 campaign' }),
    shoppers: z
      .number()
      .int()
      .openapi({ description: 'demo shoppers registered (H5: sign in with 13700000001–3; the sandbox shows the code)' }),
    flashSales: z.number().int().openapi({ description: 'flash-sale pools created: a live sale and upcoming rounds (each round counts)' }),
    groupBuys: z.number().int().openapi({ description: 'group-buy deals created' }),
    teams: z.number().int().openapi({ description: 'group-buy teams a demo shopper opened and paid (still open for members)' }),
    orders: z
      .number()
      .int()
      .openapi({ description: 'orders placed to show every state: unpaid, to ship, shipped, completed, after-sale, refunded' }),
    points: z.number().int().openapi({
      description:
        'points-programme demo rows created: the rules, points history and balances of the demo shoppers, an order paid with points and balance',
    }),
    referrals: z
      .number()
      .int()
      .openapi({ description: "friends bound to 林晓's invite code (老带新: rewarded, blocked, ordered, registered)" }),
    crowdShoppers: z.number().int().openapi({ description: 'generated shoppers with a year of history (用户分层, 回归礼包 report)' }),
    crowdOrders: z.number().int().openapi({ description: 'their backdated, completed orders' }),
    reviews: z.number().int().openapi({ description: "reviews (社区评测) written on the crowd's completed orders" }),
  })
  .openapi('DemoSeedResult');

/**
 * The dev admin routes. `fetch` hands a request to the whole app in-process: the WeChat Pay
 * sandbox delivers the demo's payment and refund notifications to our notify routes through it.
 */
export function createDevRoutes(fetch: (req: Request, env: Env) => Promise<Response>) {
  const routes = createRouter();
  routes.openapi(
    createRoute({
      method: 'post',
      path: '/dev/seed-demo',
      operationId: 'seedDemoShop',
      tags,
      security: bearerSecurity,
      summary: 'Seed the demo shop (sandbox only; idempotent)',
      description:
        'Creates a 3-level category tree, ~60 on-sale products with generated images and a second merchant (山野茶铺). ' +
        'Safe to repeat: existing categories (by name under their parent) and products (by title within their merchant) are kept, ' +
        'missing ones are created. Then the 双十一 promotions: 满减, a 限时折扣, a new-user pack, claimable coupons, a lucky wheel and the campaign ' +
        'with banners and a popup (each looked up by name first). Then the shop in use, relative to now: three demo shoppers, a live flash sale ' +
        'and upcoming flash-sale rounds, two group buys each with an open team, and orders in every state (unpaid, to ship, shipped with tracking, ' +
        'completed, after-sale in progress, refunded) and the 老带新 programme with 林晓’s invited friends, all through the real flows and the WeChat Pay sandbox. A re-run recreates only what no ' +
        'longer holds (an ended sale, a closed unpaid order, …). Counts are what this call created. 404 dev.disabled outside sandbox.',
      middleware: [sandboxOnly, requireStaff('staff.manage')] as const,
      responses: {
        200: jsonContent(DemoSeedResultSchema),
        401: errorResponses[401],
        403: errorResponses[403],
        404: errorResponses[404],
        409: errorResponses[409],
      },
    }),
    async (c) => {
      const ctx = ctxOf(c);
      const shop = await seedDemoShop(ctx);
      // the default 合规词库, so the console's dictionary page is filled before anything was screened
      await ensureDictionary(ctx);
      const promos = await seedDemoPromotions(ctx);
      // scene guides, a seasonal topic scheduled ahead, home sections and their readers
      const content = await seedDemoContent(ctx);
      const activity = await seedDemoActivity(ctx, (req) => fetch(req, c.env));
      const crowd = await seedDemoSegments(ctx);
      const reviews = await seedDemoReviews(ctx);
      // after the rest: a spot check of 山野茶铺 with an open and an overdue notice, a product held by screening
      await seedDemoCompliance(ctx);
      const createdActivity =
        activity.shoppers +
        activity.flashSales +
        activity.groupBuys +
        activity.teams +
        activity.orders +
        activity.points +
        activity.referrals +
        crowd.shoppers +
        crowd.orders +
        reviews;
      return c.json(
        {
          ...shop,
          alreadySeeded: shop.alreadySeeded && promos.created === 0 && createdActivity === 0 && content.articles + content.sections === 0,
          promotions: promos.created,
          campaignId: promos.campaignId,
          ...activity,
          crowdShoppers: crowd.shoppers,
          crowdOrders: crowd.orders,
          reviews,
        },
        200,
      );
    },
  );
  return routes;
}
