import { describe, expect, it } from 'vitest';
import { bestFaq, rankFaqs, tokens } from './retrieval';
import { intentOf, isAngry, ticketPriority } from './intents';

const faqs = [
  { id: 'faq_ship', question: '下单后多久发货', keywords: ['发货时间'] },
  { id: 'faq_invoice', question: '怎么开发票', keywords: ['电子发票', '增值税'] },
  { id: 'faq_size', question: '衣服尺码怎么选', keywords: ['尺码表', '身高体重'] },
];

describe('retrieval', () => {
  it('tokenises Chinese into bigrams and latin words whole, without punctuation or particles', () => {
    expect(tokens('快递到哪了？')).toEqual(['快递', '递到', '到哪', '哪了']);
    expect(tokens('iPhone 15 壳')).toEqual(['iphone', '15', '壳']);
  });

  it('ranks the FAQ that shares the most informative bigrams first, deterministically', () => {
    expect(bestFaq('我想开个电子发票', faqs)?.id).toBe('faq_invoice');
    expect(bestFaq('尺码怎么选呀', faqs)?.id).toBe('faq_size');
    expect(rankFaqs('发货', faqs).map((m) => m.id)).toEqual(['faq_ship']);
  });

  it('answers nothing below the confidence threshold', () => {
    expect(bestFaq('你们老板是谁', faqs)).toBeNull();
    expect(bestFaq('', faqs)).toBeNull();
  });
});

describe('intents', () => {
  it('knows logistics, after-sales, benefits and 转人工', () => {
    expect(intentOf('我的快递到哪了')).toBe('logistics');
    expect(intentOf('怎么退货')).toBe('aftersale');
    expect(intentOf('我有多少积分')).toBe('benefits');
    expect(intentOf('转人工')).toBe('handoff');
    expect(intentOf('下单后多久发货')).toBeNull();
    // where the parcel is, not any sentence that mentions one
    for (const q of ['物流', '查物流', '快递到了吗', '我的包裹怎么还没到', '运单进度', '发货了吗', '几天能到', '帮我查一下快递'])
      expect(intentOf(q), q).toBe('logistics');
    for (const q of ['能在包裹里放一张手写贺卡吗', '快递盒子压坏了要怎么处理', '可以指定顺丰快递吗'])
      expect(intentOf(q), q).not.toBe('logistics');
  });

  it('orders tickets by tier first, then order value and anger', () => {
    expect(isAngry('我要投诉')).toBe(true);
    expect(isAngry('谢谢')).toBe(false);
    const vip = ticketPriority({ tierPriority: 1, orderValue: 0, angry: false });
    const angryBig = ticketPriority({ tierPriority: 0, orderValue: 200_000, angry: true });
    expect(vip).toBeGreaterThan(angryBig);
    expect(angryBig).toBeGreaterThan(ticketPriority({ tierPriority: 0, orderValue: 200_000, angry: false }));
  });
});
