import { describe, expect, it } from 'vitest';
import { adminToken, api, env, shopperToken } from '../../../../test/helpers';
import { systemCtx } from '../../../../test/ctx';
import { newId } from '../../../shared/ids';
import { flashSales } from '../../flash-sales/schema';

// Own file (own D1): the home-page test needs to know every live campaign there is.

const MIN = 60_000;
const HOUR = 60 * MIN;
const at = (ms: number) => new Date(Date.now() + ms).toISOString();

/** Flash sales are another domain's rows: written directly, as campaigns.test.ts does. */
async function makeFlashSales(n: number): Promise<string[]> {
  const now = Date.now();
  const ids = Array.from({ length: n }, () => newId('fls'));
  const rows = ids.map((id, i) => ({
    id,
    skuId: 'sku_campaignlinks01',
    productId: 'prd_campaignlinks01',
    merchantId: 'mch_platform',
    salePrice: 990 + i,
    allocated: 10,
    perShopperLimit: 1,
    startsAt: now - MIN,
    endsAt: now + HOUR,
    reservationTtlMs: 900_000,
    seriesId: id,
    createdAt: now,
  }));
  // a few rows per insert: one row binds 13 parameters
  for (let i = 0; i < rows.length; i += 5)
    await systemCtx()
      .db.insert(flashSales)
      .values(rows.slice(i, i + 5));
  return ids;
}

const createCampaign = async (token: string, over: Record<string, unknown>) => {
  const r = await api('POST', '/admin/v1/campaigns', {
    token,
    body: { name: '双十一', startsAt: at(-MIN), endsAt: at(HOUR), budget: 1_000_000, banners: [], ...over },
  });
  if (r.status !== 201) throw new Error(JSON.stringify(r.body));
  return r.body.id as string;
};

describe('lists of linked items are never cut short by D1’s bound-parameter limit', () => {
  it('getCampaign returns all 200 linked flash sales, in their linked order', async () => {
    const admin = await adminToken();
    const saleIds = await makeFlashSales(200);
    // createCampaign links at most 50 per request; a campaign may still carry more (older data,
    // a raised limit), and reading it must never drop any
    const id = await createCampaign(admin, { flashSaleIds: saleIds.slice(0, 50) });
    await env.DB.prepare('UPDATE campaigns SET flash_sale_ids = ?1 WHERE id = ?2').bind(JSON.stringify(saleIds), id).run();
    const r = await api('GET', `/admin/v1/campaigns/${id}`, { token: admin });
    expect(r.status).toBe(200);
    expect(r.body.flashSaleIds).toHaveLength(200);
    expect(r.body.flashSales.map((s: { id: string }) => s.id)).toEqual(saleIds);
  });

  it("getHomeCampaign shows every flash sale of the shopper's campaign, however many the live campaigns link together", async () => {
    const admin = await adminToken();
    const [hidden, shown] = [await makeFlashSales(50), await makeFlashSales(50)];
    // the top campaign is for someone else; its 50 sales come first in the home page's read
    await createCampaign(admin, {
      name: '专享',
      priority: 1000,
      segment: { kind: 'users', userIds: ['usr_someoneelse0001'] },
      flashSaleIds: hidden,
    });
    await createCampaign(admin, { name: '全场', priority: 999, flashSaleIds: shown });
    const r = await api('GET', '/store/v1/home/campaign', { token: await shopperToken('campaign-links-shopper') });
    expect(r.status).toBe(200);
    expect(r.body.campaign.name).toBe('全场');
    expect(r.body.campaign.flashSaleIds).toEqual(shown);
  });
});
