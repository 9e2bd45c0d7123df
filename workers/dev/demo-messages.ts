// The demo shop's messages (周期性触达): the templates a shop would set up in the MP console and at
// its SMS gateway, the caps and quiet hours, and what the demo shoppers watch — favourites, a
// 到货提醒 on the sold-out headphones, a followed category — plus one 活动通知 each, so the
// console's send log and the storefront's 我的收藏 / 消息设置 show real rows. Idempotent: templates
// are looked up by trigger and channel, favourites and subscriptions are idempotent, sends have refs.
import type { Ctx } from '../shared/context';
import { PLATFORM_MERCHANT_ID } from '../shared/rbac';
import { findProductIdByTitle, loadStoreProduct } from '../domains/catalog/products.service';
import { CreateMessageTemplateInput } from '../domains/notifications/marketing/dto';
import { getMessageSettings, updateMessageSettings } from '../domains/notifications/marketing/preferences.service';
import { sendMarketingMessage } from '../domains/notifications/marketing/send.service';
import { createMessageTemplate, listMessageTemplates } from '../domains/notifications/marketing/templates.service';
import { addFavorite, followCategory, subscribeRestock } from '../domains/members/favorites/favorites.service';
import type { DemoShopper, ShopperKey } from './demo-shoppers';

const TEMPLATES: unknown[] = [
  {
    key: 'restock',
    channel: 'wechat_subscribe',
    name: '到货提醒（订阅消息）',
    wxTemplateId: 'demoTmplRestock001',
    fields: { thing1: '${productName}', thing2: '${skuName}', amount3: '${price}元', thing4: '您订阅的商品到货了，数量有限' },
    page: 'pages/product/index?id=${productId}',
  },
  {
    key: 'restock',
    channel: 'sms',
    name: '到货提醒（短信）',
    smsSign: 'edgemall',
    smsTemplateCode: 'SMS_RESTOCK_01',
    smsText: '您订阅的${productName}（${skuName}）已到货，现价${price}元，数量有限，快去看看吧。回T退订',
  },
  {
    key: 'price_drop',
    channel: 'wechat_subscribe',
    name: '降价提醒（订阅消息）',
    wxTemplateId: 'demoTmplPriceDrop1',
    fields: { thing1: '${productName}', amount2: '${oldPrice}元', amount3: '${newPrice}元', thing4: '您收藏的商品降价了' },
    page: 'pages/product/index?id=${productId}',
  },
  {
    key: 'price_drop',
    channel: 'sms',
    name: '降价提醒（短信）',
    smsSign: 'edgemall',
    smsTemplateCode: 'SMS_PRICE_DROP_01',
    smsText: '您收藏的${productName}降价啦：${oldPrice}元→${newPrice}元。回T退订',
  },
  {
    key: 'new_arrivals',
    channel: 'sms',
    name: '上新提醒（短信）',
    smsSign: 'edgemall',
    smsTemplateCode: 'SMS_NEW_ARRIVALS_01',
    smsText: '您关注的${categoryName}上新${count}件，${productName}等你来看。回T退订',
  },
  {
    key: 'win_back',
    channel: 'sms',
    name: '回归礼包（短信）',
    smsSign: 'edgemall',
    smsTemplateCode: 'SMS_WIN_BACK_01',
    smsText: '好久不见！${packName}（${couponCount}张券）已放入您的账户，${expireDate}前有效。回T退订',
  },
  {
    key: 'promotion',
    channel: 'sms',
    name: '活动通知（短信）',
    smsSign: 'edgemall',
    smsTemplateCode: 'SMS_PROMOTION_01',
    smsText: '${title}：${content}，戳小程序查看。回T退订',
  },
  {
    key: 'task_reward',
    channel: 'sms',
    name: '任务奖励到账（短信）',
    smsSign: 'edgemall',
    smsTemplateCode: 'SMS_TASK_REWARD_01',
    smsText: '您完成了任务「${taskName}」，${points}积分已到账。',
  },
];

/** Seeds the message templates, caps and the shoppers' watches; returns how many rows it created. */
export async function seedDemoMessages(ctx: Ctx, shoppers: Record<ShopperKey, DemoShopper>): Promise<number> {
  let created = 0;
  const existing = (await listMessageTemplates(ctx, { status: 'active' })).items;
  for (const raw of TEMPLATES) {
    const t = CreateMessageTemplateInput.parse(raw);
    if (existing.some((e) => e.key === t.key && e.channel === t.channel)) continue;
    await createMessageTemplate(ctx, t);
    created++;
  }
  // writes the defaults (2 a day, 5 a week, quiet 22:00–08:00) the first time; keeps an operator's changes
  await updateMessageSettings(ctx, await getMessageSettings(ctx));

  const productId = (title: string) => findProductIdByTitle(ctx, PLATFORM_MERCHANT_ID, title);
  const cup = await productId('316不锈钢保温杯 大容量便携');
  const kidsCup = await productId('儿童保温杯 吸管款 防漏防摔');
  const headphones = await productId('头戴式蓝牙耳机 降噪游戏耳机');
  const favourites: [ShopperKey, string | null][] = [
    ['lin', cup],
    ['lin', kidsCup],
    ['lin', headphones],
    ['chen', cup],
    ['wang', headphones],
  ];
  for (const [who, id] of favourites) if (id && (await addFavorite(shoppers[who].ctx, id)).created) created++;

  // 到货提醒 on the sold-out headphones (while they are sold out)
  if (headphones) {
    const p = await loadStoreProduct(ctx, headphones);
    for (const [who, sku] of [
      ['lin', p.skus[0]],
      ['wang', p.skus[1] ?? p.skus[0]],
    ] as const)
      if (sku && sku.stock === 0) {
        const r = await subscribeRestock(shoppers[who].ctx, sku.id);
        if (r.created) created++;
      }
    await followCategory(shoppers.chen.ctx, p.categoryId);
  }

  // one 活动通知 each, so the send log has rows (quiet hours hold it until 08:00)
  for (const s of Object.values(shoppers)) {
    const d = await sendMarketingMessage(ctx, {
      userId: s.userId,
      templateKey: 'promotion',
      ref: `demo:promotion:${s.userId}`,
      vars: { title: '双十一狂欢节', content: '全场满300减50，新人再领5元券' },
    });
    if (!d.replayed) created++;
  }
  return created;
}
