// The demo's 社区评测: reviews on the demo products by the crowd of shoppers whose completed orders
// demo-segments wrote, so a product page shows a rating summary, tag chips, reviews with photos, a
// follow-up (追评), a merchant reply, and the console's 评价审核 has one review held for moderation.
// Reviews go through the reviews domain (screened like any other); the 30-day window is the
// storefront's rule for new reviews and is not applied to this history. Re-running skips lines
// that already have a review.
import type { Ctx } from '../shared/context';
import { uploadMedia } from '../domains/media/media.service';
import { decide } from '../domains/reviews/policy';
import { insertReview, reviewedLineIds, screenReviewText } from '../domains/reviews/reviews.service';
import { appendReview } from '../domains/reviews/actions.service';
import { replyReview } from '../domains/reviews/moderation.service';
import { encodePng } from './png';

interface DemoReview {
  rating: number;
  text: string;
  tags: string[];
  photos: number;
  anonymous?: boolean;
  append?: string;
  reply?: string;
}

/** The most reviewed product's reviews; the last one's 最好 holds it for moderation. */
const FEATURED: DemoReview[] = [
  {
    rating: 5,
    text: '收到货很惊喜，做工比想象中精细，颜色和图片一致，家里人都说好看。',
    tags: ['质量好', '描述相符', '颜值高'],
    photos: 2,
    append: '用了两周，依然很满意，没有任何异味，推荐！',
  },
  {
    rating: 5,
    text: '物流很快，第二天就到了，包装严实没有破损，性价比很高。',
    tags: ['物流快', '包装好', '性价比高'],
    photos: 1,
    reply: '感谢您的认可，期待再次光临！',
  },
  { rating: 4, text: '整体不错，就是稍微有点小，日常用足够了，客服回复也及时。', tags: ['服务好', '性价比高'], photos: 0, anonymous: true },
  {
    rating: 3,
    text: '一般般吧，用起来还行，希望下次包装能再用心一点。',
    tags: ['性价比高'],
    photos: 0,
    reply: '抱歉给您带来不便，我们会改进包装。',
  },
  { rating: 5, text: '第二次回购了，品质稳定，值得信赖，已经推荐给同事。', tags: ['质量好', '值得回购'], photos: 1 },
  { rating: 5, text: '这是我买过最好的一款，全家都在用，强烈推荐大家入手。', tags: ['质量好'], photos: 0 },
];

/** Reviews for a few other products, so more than one page has them. */
const OTHERS: DemoReview[] = [
  { rating: 5, text: '很满意的一次购物，东西实在，下次还来。', tags: ['质量好', '物流快'], photos: 1 },
  { rating: 4, text: '和描述相符，价格实惠，发货速度也可以。', tags: ['描述相符', '性价比高'], photos: 0, anonymous: true },
  {
    rating: 2,
    text: '到手有一点划痕，联系客服后给了补偿，服务态度还可以。',
    tags: ['服务好'],
    photos: 0,
    reply: '非常抱歉，已为您登记质量反馈。',
  },
];

interface LineRow {
  lineId: string;
  orderId: string;
  userId: string;
  merchantId: string;
  productId: string;
  skuId: string;
  title: string;
  specKey: string;
}

/** A photo of the goods: a soft gradient with a pattern, different per review. */
const photo = (seed: number) => encodePng(480, 480, (x, y) => [(x + seed * 40) & 255, (y + seed * 70) & 255, ((x ^ y) + seed * 25) & 255]);

export async function seedDemoReviews(ctx: Ctx): Promise<number> {
  // one completed line per (product, shopper): the crowd's history (dev code reads the rows directly, as demo-segments writes them)
  const { results } = await ctx.env.DB.prepare(
    `SELECT l.id AS lineId, o.id AS orderId, o.user_id AS userId, o.merchant_id AS merchantId, l.product_id AS productId,
            l.sku_id AS skuId, l.title AS title, l.spec_key AS specKey
     FROM orders o JOIN order_lines l ON l.order_id = o.id
     WHERE o.status = 'completed' ORDER BY o.completed_at DESC LIMIT 2000`,
  ).all<LineRow>();
  const byProduct = new Map<string, LineRow[]>();
  for (const r of results) {
    const list = byProduct.get(r.productId) ?? [];
    if (!list.some((x) => x.userId === r.userId)) list.push(r);
    byProduct.set(r.productId, list);
  }
  const ranked = [...byProduct.values()].sort((a, b) => b.length - a.length);
  if (!ranked.length) return 0;
  const plan: { line: LineRow; review: DemoReview }[] = [];
  ranked[0]!.slice(0, FEATURED.length).forEach((line, i) => plan.push({ line, review: FEATURED[i]! }));
  ranked.slice(1, 1 + OTHERS.length).forEach((lines, i) => plan.push({ line: lines[0]!, review: OTHERS[i]! }));

  const done = await reviewedLineIds(
    ctx,
    plan.map((p) => p.line.lineId),
  );
  let created = 0;
  for (const [i, { line, review }] of plan.entries()) {
    if (done.has(line.lineId)) continue;
    const as: Ctx = { ...ctx, actor: { kind: 'user', userId: line.userId, sessionId: 'demo-seed' } };
    const photoKeys: string[] = [];
    for (let k = 0; k < review.photos; k++)
      photoKeys.push((await uploadMedia(as, { bytes: await photo(i * 3 + k), contentType: 'image/png', purpose: 'review' })).key);
    const screening = await screenReviewText(ctx, review.text);
    const d = decide(screening);
    if (d.outcome === 'refuse') continue;
    const { row } = await insertReview(as, {
      orderLineId: line.lineId,
      orderId: line.orderId,
      userId: line.userId,
      merchantId: line.merchantId,
      productId: line.productId,
      skuId: line.skuId,
      productTitle: line.title,
      specKey: line.specKey,
      rating: review.rating,
      text: review.text,
      photoKeys,
      videoKey: null,
      tags: review.tags,
      anonymous: review.anonymous ?? false,
      status: d.outcome === 'publish' ? 'published' : 'pending',
      holdReason: d.outcome === 'hold' ? d.reason : null,
      screening,
    });
    created++;
    if (review.append) await appendReview(as, row.id, { text: review.append, photoKeys: [] });
    if (review.reply) await replyReview(ctx, row.id, review.reply);
  }
  return created;
}
