// What a shopper's message asks, decided before the FAQ: questions answered from their own data,
// a request for a person, and words that raise a ticket's priority. Pure, so tests pin each phrase.

export type Intent = 'handoff' | 'logistics' | 'aftersale' | 'benefits';

const HANDOFF = /转人工|人工客服|找人工|真人|人工服务/;
const RULES: [Intent, RegExp][] = [
  ['aftersale', /退货|退款|换货|售后|退换|七天无理由|7天无理由/],
  ['benefits', /优惠券|红包|积分|券/],
];

/**
 * 物流 is a question about where the parcel is, not any sentence with 快递 or 包裹 in it
 * (「能在包裹里放张贺卡吗」 is a request for a person): a where/when/status phrase, or the bare
 * word typed alone.
 */
const PARCEL = /快递|物流|包裹|运单|单号/;
const WHERE = /到哪|在哪|发货了?吗|几天能?到|什么时候到|多久能?到|还没到|没收到/;
const STATUS = /查|进度|状态|跟踪|到了/;
const isLogistics = (text: string) =>
  WHERE.test(text) || (PARCEL.test(text) && (STATUS.test(text) || text.replace(/[\s，。？?！!]/g, '').length <= 6));

/** The first intent the text matches, or null (then the FAQ is asked). */
export function intentOf(text: string): Intent | null {
  if (HANDOFF.test(text)) return 'handoff';
  if (isLogistics(text)) return 'logistics';
  for (const [intent, re] of RULES) if (re.test(text)) return intent;
  return null;
}

const ANGRY = /投诉|差评|垃圾|骗子|骗人|太差|气死|愤怒|12315|消协|曝光|举报|退钱/;

/** Words of an upset shopper: their ticket jumps the queue. */
export const isAngry = (text: string) => ANGRY.test(text);

/**
 * A ticket's priority, higher first: the member tier's support priority (×20, so any tier above
 * normal outranks order value and anger together), the order's value and an upset shopper.
 */
export function ticketPriority(p: { tierPriority: number; orderValue: number; angry: boolean }): number {
  const value = p.orderValue >= 100_000 ? 6 : p.orderValue >= 20_000 ? 3 : 0; // ≥ ¥1000, ≥ ¥200
  return p.tierPriority * 20 + value + (p.angry ? 5 : 0);
}
