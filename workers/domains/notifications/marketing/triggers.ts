/*
 * What can send a templated message, and the variables each one provides. A template is written
 * for one trigger, so its ${var}s are checked against this list when the operator saves it.
 * `time` (the delivery time, Beijing) is provided to every trigger.
 */

export interface TriggerDef {
  /** 中文 name shown in the console and the shopper's 消息设置. */
  label: string;
  /** The purpose a new template for it gets by default. */
  purpose: 'transactional' | 'marketing';
  /** variable → what it holds (Chinese, for the console), with a sample value for previews. */
  vars: Record<string, { label: string; sample: string }>;
  /** Whether the shopper can switch this kind off in 消息设置 (marketing kinds). */
  shopperCanMute: boolean;
}

const time = { time: { label: '发送时间', sample: '2026年11月11日 10:00' } };

export const TRIGGERS = {
  restock: {
    label: '到货提醒',
    purpose: 'marketing',
    shopperCanMute: true,
    vars: {
      productId: { label: '商品ID', sample: 'prd_demo' },
      productName: { label: '商品名称', sample: '不锈钢保温杯' },
      skuName: { label: '规格', sample: '白色/500ml' },
      price: { label: '价格（元）', sample: '89.00' },
      ...time,
    },
  },
  price_drop: {
    label: '降价提醒',
    purpose: 'marketing',
    shopperCanMute: true,
    vars: {
      productId: { label: '商品ID', sample: 'prd_demo' },
      productName: { label: '商品名称', sample: '不锈钢保温杯' },
      oldPrice: { label: '原价（元）', sample: '99.00' },
      newPrice: { label: '现价（元）', sample: '79.00' },
      ...time,
    },
  },
  new_arrivals: {
    label: '上新提醒',
    purpose: 'marketing',
    shopperCanMute: true,
    vars: {
      categoryId: { label: '分类ID', sample: 'cat_demo' },
      categoryName: { label: '分类名称', sample: '家居' },
      productId: { label: '首个新品ID', sample: 'prd_demo' },
      productName: { label: '首个新品名称', sample: '北欧陶瓷餐具' },
      count: { label: '新品数量', sample: '3' },
      ...time,
    },
  },
  win_back: {
    label: '回归礼包',
    purpose: 'marketing',
    shopperCanMute: true,
    vars: {
      packName: { label: '礼包名称', sample: '专属回归礼包' },
      couponCount: { label: '券数量', sample: '3' },
      expireDate: { label: '有效期至', sample: '2026年11月30日' },
      ...time,
    },
  },
  checkin_reminder: {
    label: '签到提醒',
    purpose: 'marketing',
    shopperCanMute: true,
    vars: {
      streakDays: { label: '已连续签到天数', sample: '6' },
      points: { label: '今日可得积分', sample: '10' },
      ...time,
    },
  },
  task_reward: {
    label: '任务奖励到账',
    purpose: 'transactional',
    shopperCanMute: false,
    vars: {
      taskName: { label: '任务名称', sample: '完善个人资料' },
      points: { label: '奖励积分', sample: '50' },
      ...time,
    },
  },
  points_expiring: {
    label: '积分到期提醒',
    purpose: 'transactional',
    shopperCanMute: false,
    vars: {
      points: { label: '即将过期积分', sample: '120' },
      expireDate: { label: '过期日期', sample: '2026年12月31日' },
      ...time,
    },
  },
  promotion: {
    label: '活动通知',
    purpose: 'marketing',
    shopperCanMute: true,
    vars: {
      title: { label: '活动名称', sample: '双十一狂欢' },
      content: { label: '活动内容', sample: '全场满300减50' },
      ...time,
    },
  },
} satisfies Record<string, TriggerDef>;

export type TriggerKey = keyof typeof TRIGGERS;
export const TRIGGER_KEYS = Object.keys(TRIGGERS) as [TriggerKey, ...TriggerKey[]];

/** The sample variables of a trigger (previews). */
export function sampleVars(key: TriggerKey): Record<string, string> {
  return Object.fromEntries(Object.entries(TRIGGERS[key].vars as Record<string, { sample: string }>).map(([k, v]) => [k, v.sample]));
}
