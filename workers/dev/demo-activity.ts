import type { Ctx } from '../shared/context';
import { runScheduled } from '../scheduled';
import { signInDemoShoppers } from './demo-shoppers';
import { seedDemoDeals, type DemoDealsResult } from './demo-deals';
import { seedDemoOrders } from './demo-orders';
import { seedDemoCheckinTasks } from './demo-checkin-tasks';
import { seedDemoPointsMall } from './demo-points-mall';
import { seedDemoPoints } from './demo-points';
import { seedDemoTiers } from './demo-tiers';
import { seedDemoReferrals } from './demo-referrals';
import { seedDemoMessages } from './demo-messages';
import { seedDemoSupport } from './demo-support';
import type { NotificationDeliver } from './wechatpay-sandbox';

export interface DemoActivityResult extends DemoDealsResult {
  /** Demo shoppers registered by this call. */
  shoppers: number;
  /** Orders placed for the order-state parts (team orders are counted in `teams`). */
  orders: number;
  /** Points-programme demo rows created: rules, ledger entries, balances, the order paid with points. */
  points: number;
  /** Friends bound to 林晓's invite code by this call (老带新). */
  referrals: number;
}

/**
 * The shop in use: demo shoppers, live and upcoming flash sales, group buys with open teams and
 * orders in every state — after the catalogue and promotions exist. Runs as the admin (ctx);
 * `deliver` hands the sandbox's payment and refund notifications to our notify routes.
 */
export async function seedDemoActivity(ctx: Ctx, deliver: NotificationDeliver): Promise<DemoActivityResult> {
  const t0 = Date.now();
  // Local `wrangler dev` never fires the cron of wrangler.toml, so the shop is brought up to date
  // first, as a deployed one would be: ended sales and deals give their unsold units back (else
  // each refresh would take more stock), lapsed orders close, received ones complete.
  await runScheduled(ctx.now, ctx.env);
  const signedIn = await signInDemoShoppers(ctx);
  try {
    const deals = await seedDemoDeals(ctx, signedIn.shoppers, deliver);
    const orders = await seedDemoOrders(ctx, signedIn.shoppers, deliver);
    await seedDemoTiers(ctx, signedIn.shoppers);
    await seedDemoCheckinTasks(ctx, signedIn.shoppers);
    await seedDemoPointsMall(ctx, signedIn.shoppers);
    const points = await seedDemoPoints(ctx, signedIn.shoppers, deliver);
    const referrals = await seedDemoReferrals(ctx, signedIn.shoppers.lin, deliver);
    const messages = await seedDemoMessages(ctx, signedIn.shoppers);
    // after the orders: 王芳's chat is about her shipped order
    const support = await seedDemoSupport(ctx, signedIn.shoppers);
    const result = { shoppers: signedIn.created, ...deals, orders, points, referrals };
    ctx.log.info('demo activity seeded', { ...result, messages, support, ms: Date.now() - t0 });
    return result;
  } finally {
    await signedIn.signOut();
  }
}
