import type { Ctx } from '../shared/context';
import { runScheduled } from '../scheduled';
import { signInDemoShoppers } from './demo-shoppers';
import { seedDemoDeals, type DemoDealsResult } from './demo-deals';
import { seedDemoOrders } from './demo-orders';
import { seedDemoMessages } from './demo-messages';
import type { NotificationDeliver } from './wechatpay-sandbox';

export interface DemoActivityResult extends DemoDealsResult {
  /** Demo shoppers registered by this call. */
  shoppers: number;
  /** Orders placed for the order-state parts (team orders are counted in `teams`). */
  orders: number;
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
    const messages = await seedDemoMessages(ctx, signedIn.shoppers);
    const result = { shoppers: signedIn.created, ...deals, orders };
    ctx.log.info('demo activity seeded', { ...result, messages, ms: Date.now() - t0 });
    return result;
  } finally {
    await signedIn.signOut();
  }
}
