// The review lists never read the reviews table whole: a product's page (photos first, every
// filter, page 2), my reviews, the moderation queue (a partial index of held rows only), the
// console's list scoped to a merchant, and 待评价. Each request goes through the real app; every
// statement it runs is explained (test/query-plans.ts).
import { beforeAll, describe, expect, it } from 'vitest';
import { env, staffToken } from '../../../test/helpers';
import { createReview, deliveredOrder } from '../../../test/reviews';
import { expectRequestPlans } from '../../../test/query-plans';

let productId: string;
let token: string;
let ops: string;
let merchant: string;

beforeAll(async () => {
  const a = await deliveredOrder({ qty: 1 });
  const b = await deliveredOrder({ qty: 1, shopper: { token: a.token, addressId: a.addressId } });
  productId = a.productId;
  token = a.token;
  // two published reviews of one product (b's line moved onto a's product), and one held
  await env.DB.prepare('UPDATE order_lines SET product_id = ? WHERE id = ?').bind(productId, b.lineId).run();
  expect((await createReview(token, { rating: 5, text: '很好用', tags: ['质量好'], orderLineId: a.lineId })).status).toBe(201);
  expect((await createReview(token, { rating: 4, text: '不错，还可以', tags: ['物流快'], orderLineId: b.lineId })).status).toBe(201);
  expect(
    (await createReview(token, { rating: 5, text: '最好的杯子', orderLineId: (await deliveredOrder({ qty: 1 })).lineId })).status,
  ).toBe(404);
  ops = await staffToken('operator');
  merchant = await staffToken('merchant', 'mch_platform');
});

const byProduct = { table: 'reviews', first: /^SEARCH (?:reviews|r) USING INDEX reviews_product_list_idx \(product_id=\? AND status=\?/ };
const tagCounts = { reviews: "the tag counts group one product's published reviews" };

describe('review lists', () => {
  it("a product's reviews: every filter, and page 2 seeks past the cursor", async () => {
    for (const q of ['', '?filter=media', '?filter=good', '?filter=append', '?star=5', `?tag=${encodeURIComponent('质量好')}`])
      await expectRequestPlans(`listProductReviews ${q}`, 'GET', `/store/v1/products/${productId}/reviews${q}`, {
        drives: byProduct,
        sorts: tagCounts,
      });
    const first = await expectRequestPlans('listProductReviews page 1', 'GET', `/store/v1/products/${productId}/reviews?limit=1`, {
      drives: byProduct,
      sorts: tagCounts,
    });
    expect(first.body.nextCursor).toBeTruthy();
    await expectRequestPlans(
      'listProductReviews page 2',
      'GET',
      `/store/v1/products/${productId}/reviews?limit=1&cursor=${first.body.nextCursor}`,
      {
        sorts: tagCounts,
      },
    );
  });

  it('my reviews, 待评价, the moderation queue and the merchant-scoped console list', async () => {
    await expectRequestPlans('listMyReviews', 'GET', '/store/v1/me/reviews', {
      token,
      drives: { table: 'reviews', first: /^SEARCH reviews USING INDEX reviews_user_idx \(user_id=\?/ },
    });
    await expectRequestPlans('listReviewableLines', 'GET', '/store/v1/me/reviews/pending', {
      token,
      sorts: { orders: "one shopper's delivered and completed orders (two status ranges merged)" },
    });
    await expectRequestPlans('listModerationQueue', 'GET', '/admin/v1/reviews/moderation', {
      token: ops,
      drives: { table: 'reviews', first: /^SCAN reviews USING INDEX reviews_pending_idx/ },
      walks: { 'reviews/reviews_pending_idx': 'a partial index of held reviews only, oldest first, stopped by the LIMIT' },
    });
    await expectRequestPlans('listReviews (merchant)', 'GET', '/admin/v1/reviews', {
      token: merchant,
      drives: { table: 'reviews', first: /^SEARCH reviews USING INDEX reviews_merchant_idx \(merchant_id=\?/ },
    });
  });
});
