import type { Ctx } from '../shared/context';
import { listCategories } from '../domains/catalog/categories.service';
import { createProduct, findProductIdByTitle, getProductRow } from '../domains/catalog/products.service';
import { requiredFactsOf, setRequiredFacts } from '../domains/catalog/required-facts.service';
import { CreateProductInput } from '../domains/catalog/dto';
import { uploadMedia } from '../domains/media/media.service';
import { createSpotCheck } from '../domains/compliance/spot-checks.service';
import { issueNotice } from '../domains/compliance/notices.service';
import { takeDownOverdueProducts } from '../flows/correction-deadlines';
import { encodePng } from './png';
import { TEA_MERCHANT } from './demo-seed-data';

const DAY = 86_400_000;

/** Demo-only products of 山野茶铺 the compliance demo acts on (the seeded teas stay on sale for the other demos). */
const SPOT_OPEN = '高山云雾绿茶 散装 250克';
const SPOT_OVERDUE = '陈年普洱茶饼 357克';
const HELD = '古树滇红 独家秘制 罐装';

async function teaProduct(ctx: Ctx, categoryId: string, title: string, subtitle: string, seed: number): Promise<string> {
  const existing = await findProductIdByTitle(ctx, TEA_MERCHANT.id, title);
  if (existing) return existing;
  const png = await encodePng(400, 400, (x, y) => [120 + ((x * seed) % 80), 90 + ((y * 3) % 60), 60]);
  const media = await uploadMedia(ctx, { bytes: png, contentType: 'image/png', purpose: 'product' });
  const input = CreateProductInput.parse({
    categoryId,
    title,
    subtitle,
    material: '茶叶',
    origin: '云南',
    attributes: { 品牌: TEA_MERCHANT.name, 保质期: '24个月' },
    detailHtml: `<p>${subtitle}</p>`,
    skus: [{ specValues: [], price: 8800, originalPrice: 12800, cost: 4000, stock: 40 }],
    status: 'on_sale',
  });
  const p = await createProduct(ctx, { ...input, merchantId: TEA_MERCHANT.id, mainMediaKey: media.key });
  return p.id;
}

/**
 * The compliance demo: every top-level demo category requires 材质 and 产地 (the console's
 * category settings show them), a 山野茶铺 product held for review by screening (独家), and a
 * spot check (抽查) of 山野茶铺 with one open correction notice and one overdue one whose product
 * the deadline cron took off sale. Safe to repeat: each part is looked up first.
 */
export async function seedDemoCompliance(ctx: Ctx): Promise<{ created: number }> {
  let created = 0;
  const cats = await listCategories(ctx, { includeDisabled: true });
  for (const top of cats.filter((c) => c.parentId === null)) {
    const facts = await requiredFactsOf(ctx, top.id);
    if (facts.own === null) {
      await setRequiredFacts(ctx, top.id, ['材质', '产地']);
      created++;
    }
  }
  const tea = cats.find((c) => c.name === '绿茶') ?? cats.find((c) => c.name === '茶叶');
  if (!tea) return { created };

  const open = await teaProduct(ctx, tea.id, SPOT_OPEN, '云雾缭绕的高山茶园 清香回甘', 3);
  const overdue = await teaProduct(ctx, tea.id, SPOT_OVERDUE, '七子饼茶 越陈越香', 5);

  // A merchant's own save with a review-level term: held for the operator, the match stored.
  if (!(await findProductIdByTitle(ctx, TEA_MERCHANT.id, HELD))) {
    const asMerchant: Ctx = {
      ...ctx,
      actor: { kind: 'staff', staffId: 'stf_demo_tea', role: 'merchant', merchantId: TEA_MERCHANT.id, sessionId: 'demo-seed' },
    };
    const input = CreateProductInput.parse({
      categoryId: tea.id,
      title: HELD,
      subtitle: '云南古树红茶 蜜香浓郁',
      material: '茶叶',
      origin: '云南临沧',
      attributes: { 品牌: TEA_MERCHANT.name },
      detailHtml: '<p>独家秘制工艺，古树滇红蜜香浓郁。</p>',
      skus: [{ specValues: [], price: 9900, stock: 30 }],
      status: 'on_sale',
    });
    await createProduct(asMerchant, { ...input, merchantId: TEA_MERCHANT.id });
    created++;
  }

  const { spotCheck, created: newCheck } = await createSpotCheck(
    ctx,
    { merchantId: TEA_MERCHANT.id, productIds: [open, overdue], note: '演示抽查：详情页与必填信息' },
    'demo-compliance-spot-check',
  );
  if (newCheck) created++;
  const item = (productId: string) => spotCheck.items.find((i) => i.productId === productId)!;
  if (!item(open).notice)
    await issueNotice(ctx, spotCheck.id, item(open).id, {
      reason: '详情页未写明茶叶等级依据，请补充检测报告或删除相关描述',
      deadlineAt: new Date(ctx.now + 3 * DAY).toISOString(),
    });
  if (!item(overdue).notice) {
    // Issued two days ago with yesterday as the deadline, so the cron below finds it overdue.
    await issueNotice({ ...ctx, now: ctx.now - 2 * DAY }, spotCheck.id, item(overdue).id, {
      reason: '产地描述与包装不一致，请更正产地信息',
      deadlineAt: new Date(ctx.now - DAY).toISOString(),
    });
    created++;
  }
  await takeDownOverdueProducts({ ...ctx, actor: { kind: 'system', name: 'demo-seed' } });
  ctx.log.info('demo compliance seeded', { created, overdueStatus: (await getProductRow(ctx, overdue)).status });
  return { created };
}
