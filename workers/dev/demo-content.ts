// The demo shop's content (内容运营): two scene guides (职场穿搭指南, 家庭清洁必备清单) and an
// article already public, a 春节 topic scheduled a few days ahead, a 情人节 draft prepared without a
// date, home banners, topic entries and a product rail — and enough views and clicks (real events
// from demo devices) that the content calendar flags one guide as a low performer. Everything goes
// through the content services. Idempotent: content is looked up by title, sections by title, and
// events are only fired for content this run created.
import type { Ctx } from '../shared/context';
import { PLATFORM_MERCHANT_ID } from '../shared/rbac';
import { findProductIdByTitle } from '../domains/catalog/products.service';
import { uploadMedia } from '../domains/media/media.service';
import { approveArticle, createArticle, listAdminContent } from '../domains/content/articles.service';
import { submitArticle } from '../domains/content/submit.service';
import { createHomeSection, listHomeSections } from '../domains/content/home.service';
import { recordContentEvent } from '../domains/content/metrics.service';
import type { CreateArticleInput, CreateHomeSectionInput } from '../domains/content/dto';
import { encodePng } from './png';

const DAY = 86_400_000;

interface DemoArticle {
  input: Omit<CreateArticleInput, 'productIds' | 'publishAt' | 'coverMediaKey'>;
  products: string[];
  /** days from now; null: no publish time yet */
  publishInDays: number | null;
  cover: [number, number, number];
  /** demo device views and product clicks (only for content public now) */
  views?: number;
  clicks?: number;
}

const ARTICLES: DemoArticle[] = [
  {
    input: {
      kind: 'scene_guide',
      title: '职场穿搭指南',
      summary: '通勤、面试、见客户：三套不出错的职场搭配',
      tags: ['穿搭', '职场'],
      body:
        '<h2>通勤日常</h2><p>免烫白衬衫配深色西裤，干净利落；天气热时换成珠地网眼的商务 Polo 衫，透气也有型。</p>' +
        '<h2>面试与见客户</h2><p>真丝连衣裙垂顺有光泽，外搭一件短款西装外套就足够正式。</p>' +
        '<h2>办公桌上</h2><p>一只大容量保温杯，早上泡好的茶到下午还是热的。</p>',
    },
    products: ['男士免烫白衬衫 长袖 商务正装', '商务Polo衫 男 翻领短袖', '真丝连衣裙 桑蚕丝 通勤款', '316不锈钢保温杯 大容量便携'],
    publishInDays: -6,
    cover: [70, 100, 160],
    views: 160,
    clicks: 32,
  },
  {
    input: {
      kind: 'scene_guide',
      title: '家庭清洁必备清单',
      summary: '厨房、卧室、储物间，一张清单收拾妥当',
      tags: ['家居', '收纳'],
      body:
        '<h2>厨房</h2><p>砧板生熟分开，用后立起晾干；筷子每月高温消毒一次。</p>' +
        '<h2>卧室与储物</h2><p>换季衣物和被子装进可折叠收纳箱，带轮的透明箱子放床底，找东西一眼就看到。</p>',
    },
    products: ['整竹砧板 加厚双面切菜板', '304不锈钢筷子 防滑防霉 10双装', '可折叠布艺收纳箱 大号 衣物整理', '透明塑料收纳箱 带轮 可叠加'],
    publishInDays: -4,
    cover: [60, 150, 120],
    // a low performer: many readers, hardly anyone opens a product
    views: 140,
    clicks: 3,
  },
  {
    input: {
      kind: 'article',
      title: '通勤降噪耳机怎么选',
      summary: '地铁上也能安静听完一集播客',
      tags: ['数码'],
      body: '<p>主动降噪看深度也看佩戴：入耳式隔音好，开放式骨传导适合骑行时听路况。续航按一周通勤算，单次 6 小时以上更省心。</p>',
    },
    products: ['真无线蓝牙耳机 主动降噪 长续航', '骨传导耳机 开放式不入耳'],
    publishInDays: -2,
    cover: [90, 90, 110],
    views: 120,
    clicks: 18,
  },
  {
    input: {
      kind: 'topic',
      title: '春节年货清单',
      summary: '回家过年带什么：茶叶、餐具、床品一次备齐',
      tags: ['年货'],
      seasonTag: '春节',
      body: '<p>给长辈带一套釉下彩碗盘，给家里换一套全棉四件套，年味从餐桌和被窝开始。</p>',
    },
    products: ['釉下彩陶瓷碗盘套装 10件 家用', '全棉四件套 简约纯色 床单被套'],
    publishInDays: 5,
    cover: [190, 50, 50],
  },
  {
    input: {
      kind: 'topic',
      title: '情人节礼物灵感',
      summary: '准备中：礼物清单与包装建议',
      tags: ['礼物'],
      seasonTag: '情人节',
      body: '<p>一对情侣款国潮印花 T 恤，或一只复古木质蓝牙音箱。</p>',
    },
    products: ['国潮印花T恤 宽松落肩 情侣款', '复古木质蓝牙音箱 桌面收音机'],
    publishInDays: null,
    cover: [220, 110, 150],
  },
];

const RAIL = ['男士免烫白衬衫 长袖 商务正装', '316不锈钢保温杯 大容量便携', '真无线蓝牙耳机 主动降噪 长续航', '真丝连衣裙 桑蚕丝 通勤款'];

/** A soft gradient picture (cover or banner) in the given colour. */
function picture(width: number, height: number, [r, g, b]: [number, number, number]): Promise<Uint8Array> {
  return encodePng(width, height, (x, y) => {
    const t = (x / width) * 0.6 + (y / height) * 0.4;
    return [r + (255 - r) * (0.75 - t * 0.6), g + (255 - g) * (0.75 - t * 0.6), b + (255 - b) * (0.75 - t * 0.6)];
  });
}

async function productIds(ctx: Ctx, titles: string[]): Promise<string[]> {
  const ids = await Promise.all(titles.map((t) => findProductIdByTitle(ctx, PLATFORM_MERCHANT_ID, t)));
  return ids.filter((id): id is string => id !== null);
}

export interface DemoContentResult {
  articles: number;
  sections: number;
  events: number;
}

/** Seeds the demo content (see the file comment); runs as the admin who called the seed route. */
export async function seedDemoContent(ctx: Ctx): Promise<DemoContentResult> {
  const result: DemoContentResult = { articles: 0, sections: 0, events: 0 };
  const existing = new Map((await listAdminContent(ctx, {})).items.map((c) => [c.title, c.id]));
  const idOf = new Map<string, string>();
  for (const a of ARTICLES) {
    const have = existing.get(a.input.title);
    if (have) {
      idOf.set(a.input.title, have);
      continue;
    }
    const cover = await uploadMedia(ctx, { bytes: await picture(750, 420, a.cover), contentType: 'image/png', purpose: 'banner' });
    const publishAt = a.publishInDays === null ? null : new Date(ctx.now + a.publishInDays * DAY).toISOString();
    const { content } = await createArticle(ctx, {
      ...a.input,
      coverMediaKey: cover.key,
      productIds: await productIds(ctx, a.products),
      publishAt,
    });
    idOf.set(a.input.title, content.id);
    result.articles++;
    if (a.publishInDays === null) continue; // prepared ahead, still a draft
    const submitted = await submitArticle(ctx, content.id);
    if (submitted.status === 'review') await approveArticle(ctx, content.id);
    if (a.views) result.events += await demoEvents(ctx, content.id, a.views, a.clicks ?? 0, content.productIds);
  }

  const sections = new Set((await listHomeSections(ctx)).items.map((s) => s.title));
  const guide = idOf.get('职场穿搭指南')!;
  const cleaning = idOf.get('家庭清洁必备清单')!;
  const newYear = idOf.get('春节年货清单')!;
  const banner = async (rgb: [number, number, number]) =>
    (await uploadMedia(ctx, { bytes: await picture(750, 300, rgb), contentType: 'image/png', purpose: 'banner' })).key;
  // each built only when missing, so a re-run uploads no pictures
  const wanted: [string, () => Promise<CreateHomeSectionInput | null>][] = [
    [
      '首页轮播',
      async () => ({
        kind: 'banner',
        title: '首页轮播',
        enabled: true,
        payload: {
          slides: [
            { imageMediaKey: await banner([70, 100, 160]), title: '职场穿搭指南', link: { type: 'article', target: guide } },
            // shows from the topic's publish time, like the topic itself
            { imageMediaKey: await banner([190, 50, 50]), title: '春节年货清单', link: { type: 'article', target: newYear } },
          ],
        },
      }),
    ],
    [
      '场景指南',
      async () => ({
        kind: 'topic_entry',
        title: '场景指南',
        enabled: true,
        payload: {
          entries: [
            { title: '职场穿搭', link: { type: 'article', target: guide } },
            { title: '家庭清洁', link: { type: 'article', target: cleaning } },
            { title: '年货清单', link: { type: 'article', target: newYear } },
            { title: '全部内容', link: { type: 'articles', target: '' } },
          ],
        },
      }),
    ],
    [
      '通勤好物',
      async () => {
        const ids = await productIds(ctx, RAIL);
        if (!ids.length) return null;
        return {
          kind: 'product_rail',
          title: '通勤好物',
          enabled: true,
          payload: { productIds: ids, moreLink: { type: 'article', target: guide } },
        };
      },
    ],
  ];
  for (const [title, build] of wanted) {
    if (sections.has(title)) continue;
    const input = await build();
    if (!input) continue;
    await createHomeSection(ctx, input);
    result.sections++;
  }
  ctx.log.info('demo content seeded', { ...result });
  return result;
}

/** Views from `views` demo devices, the first `clicks` of them opening a product card. */
async function demoEvents(ctx: Ctx, contentId: string, views: number, clicks: number, products: string[]): Promise<number> {
  const anonymous: Ctx = { ...ctx, actor: { kind: 'anonymous' } };
  let n = 0;
  for (let i = 0; i < views; i++) {
    const deviceId = `demo-device-${String(i).padStart(4, '0')}`;
    await recordContentEvent(anonymous, contentId, { kind: 'view', deviceId });
    await recordContentEvent(anonymous, contentId, { kind: 'dwell', seconds: 20 + ((i * 7) % 90), deviceId });
    n += 2;
    if (i < clicks && products.length) {
      await recordContentEvent(anonymous, contentId, { kind: 'click', productId: products[i % products.length]!, deviceId });
      n++;
    }
  }
  return n;
}
