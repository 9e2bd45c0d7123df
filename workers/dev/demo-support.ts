// The demo's customer service: a 客服知识库 of the questions shoppers ask most, 快捷回复 for agents,
// and conversations through the real chat flow — 王芳 asks where her parcel is (the bot answers with
// its tracking) and then something only a person can answer, so 客服工作台 has an open ticket about
// her order; 陈一鸣's complaint was answered, closed and rated 5, so the service report has a
// resolved ticket. Re-running adds nothing: FAQs and replies by question/title, chats only for a
// shopper who has none yet.
import type { Ctx } from '../shared/context';
import { listMyOrders } from '../domains/orders/orders.service';
import { createCannedReply, listCannedReplies } from '../domains/support/canned.service';
import { latestConversationOf } from '../domains/support/conversations.service';
import { CreateCannedReplyInput, CreateFaqInput } from '../domains/support/dto';
import { createFaq, listFaqs } from '../domains/support/faq.service';
import { closeTicket, rateConversation, replyTicket } from '../domains/support/tickets.service';
import { sendSupportMessage, startSupportConversation } from '../flows/support-chat';
import type { DemoShopper, ShopperKey } from './demo-shoppers';

const FAQS: { question: string; answer: string; keywords: string[] }[] = [
  {
    question: '多久发货',
    answer: '现货商品付款后 48 小时内发货，预售商品以商品页写明的发货时间为准。发货后可在「我的订单」查看物流。',
    keywords: ['发货时间', '什么时候发', '几天发货'],
  },
  {
    question: '可以开发票吗',
    answer: '可以。订单完成后在订单详情点「申请发票」，支持个人和企业抬头的电子普通发票，1–3 个工作日开出。',
    keywords: ['发票', '开票', '抬头', '税号'],
  },
  {
    question: '能修改收货地址吗',
    answer: '发货前可以联系客服修改地址；已发货的订单请联系快递员改派，或拒收后重新下单。',
    keywords: ['改地址', '地址写错', '收货地址'],
  },
  {
    question: '支持哪些付款方式',
    answer: '小程序和 H5 都支持微信支付，也可以用积分和余额抵扣一部分。',
    keywords: ['付款', '支付方式', '微信支付'],
  },
  {
    question: '会员等级怎么升级',
    answer: '确认收货且售后期结束的订单计入成长值，成长值达到门槛自动升级，等级权益见「我的 → 会员中心」。',
    keywords: ['会员', '升级', '成长值', '等级'],
  },
  {
    question: '商品有质量问题怎么办',
    answer: '签收后在订单详情点「申请售后」，选择质量问题并上传照片，审核通过后我们承担退货运费。',
    keywords: ['质量问题', '坏了', '破损', '划痕'],
  },
  {
    question: '拼团失败怎么办',
    answer: '拼团到时间未成团会自动退款，原路退回，一般 1–3 个工作日到账。',
    keywords: ['拼团', '成团', '没成团'],
  },
];

const CANNED = [
  { title: '问候', body: '您好，我是人工客服，很高兴为您服务，请问有什么可以帮您？' },
  { title: '稍等查询', body: '好的，我这边帮您查询一下，请稍等 1–2 分钟。' },
  { title: '致歉补偿', body: '非常抱歉给您带来不好的体验，我们已为您登记，会尽快处理并给您答复。' },
];

const say = (as: Ctx, conversationId: string, text: string, id: string) =>
  sendSupportMessage(as, conversationId, { text, clientMessageId: `demo-${id}` });

export async function seedDemoSupport(ctx: Ctx, shoppers: Record<ShopperKey, DemoShopper>): Promise<number> {
  let created = 0;
  const faqs = new Set((await listFaqs(ctx)).items.map((f) => f.question));
  for (const f of FAQS)
    if (!faqs.has(f.question)) {
      await createFaq(ctx, CreateFaqInput.parse(f));
      created++;
    }
  const replies = new Set((await listCannedReplies(ctx)).items.map((r) => r.title));
  for (const r of CANNED)
    if (!replies.has(r.title)) {
      await createCannedReply(ctx, CreateCannedReplyInput.parse(r));
      created++;
    }

  // 王芳: tracking from the bot, then a question for a person about the same order
  const wang = shoppers.wang.ctx;
  if (!(await latestConversationOf(wang))) {
    const shipped = (await listMyOrders(wang, { limit: 1, status: 'shipped' })).items[0];
    const { conversation } = await startSupportConversation(wang, shipped ? { orderId: shipped.id } : {});
    await say(wang, conversation.id, '我的快递到哪了', 'wang-1');
    await say(wang, conversation.id, '这单是送客户的礼物，能帮我在包裹里附一张手写贺卡吗', 'wang-2');
    created++;
  }

  // 陈一鸣: a complaint answered by an agent, closed and rated
  const chen = shoppers.chen.ctx;
  if (!(await latestConversationOf(chen))) {
    const { conversation } = await startSupportConversation(chen, {});
    const r = await say(chen, conversation.id, '转人工，上次买的杯子盖子有点松', 'chen-1');
    const ticketId = r.conversation.ticketId;
    if (ticketId) {
      await replyTicket(ctx, ticketId, {
        text: '非常抱歉！盖子松动可以免费补寄一个新的杯盖，今天就为您安排发出，请留意物流。',
        clientMessageId: 'demo-chen-reply',
      });
      await say(chen, conversation.id, '好的，谢谢，服务很好', 'chen-2');
      await closeTicket(ctx, ticketId);
      await rateConversation(chen, conversation.id, 5);
    }
    created++;
  }
  return created;
}
