/**
 * What a shopper reads when a call fails. The API's messages are English developer text
 * ("sold out", "you have reached the per-shopper limit…"), so the storefront maps the error
 * `code` to Chinese here and never shows a raw code or English. Pure: no Taro.
 */

export interface ErrLike {
  code?: string;
  status?: number;
  message?: string;
  errMsg?: string;
  details?: unknown;
}

/** How a reserve / seat / claim attempt ended, for the page's own state (mark 已抢光, keep the key…). */
export type PromoOutcome =
  | 'sold_out'
  | 'limit'
  | 'rate_limited'
  | 'not_started'
  | 'ended'
  | 'token'
  | 'lapsed'
  | 'no_address'
  | 'not_found'
  | 'team_closed'
  | 'already_member'
  | 'network'
  | 'other';

const TEXT: Record<string, string> = {
  'flash_sales.sold_out': '已抢光',
  'group_buys.sold_out': '已抢光',
  'promotions.coupons_gone': '已抢光',
  'promotions.campaign_budget_exhausted': '已抢光',
  'flash_sales.limit_reached': '已达限购',
  'group_buys.limit_reached': '已达限购',
  'promotions.claim_limit': '已领取',
  'flash_sales.rate_limited': '请稍后再试',
  'group_buys.rate_limited': '请稍后再试',
  'flash_sales.not_started': '活动尚未开始',
  'group_buys.not_started': '活动尚未开始',
  'flash_sales.ended': '活动已结束',
  'group_buys.ended': '活动已结束',
  'flash_sales.token_required': '验证已过期，请重试',
  'flash_sales.reservation_lapsed': '上次抢购已失效，请重新抢购',
  'group_buys.seat_lapsed': '名额已失效，请重试',
  'flash_sales.sale_not_found': '活动不存在或已取消',
  'flash_sales.reservation_not_found': '没有找到这次抢购',
  'group_buys.deal_not_found': '拼团活动不存在或已结束',
  'group_buys.team_not_found': '这个团不存在',
  'group_buys.unknown_team': '这个团不存在',
  'group_buys.team_full': '该团已满员',
  'group_buys.team_not_open': '该团暂不可加入',
  'group_buys.team_expired': '该团已过期',
  'group_buys.already_in_team': '你已在这个团里',
  'group_buys.team_succeeded': '该团已拼团成功',
  'group_buys.team_failed': '该团已拼团失败',
  'group_buys.insufficient_stock': '库存不足',
  'users.not_found': '账号不存在',
  'members.invite_code_not_found': '邀请码不存在，请核对',
  'members.self_invite': '不能填写自己的邀请码',
  'members.already_bound': '你已接受过好友邀请，不能更改',
  'members.referral_circular': '你们已是邀请关系，不能互相邀请',
  'members.bind_window_closed': '仅限注册24小时内填写邀请码',
  'members.bind_after_order': '下单后不能再填写邀请码',
  'members.referral_closed': '邀请活动暂未开启',
  'members.sku_in_stock': '该规格有货，可以直接购买',
  'members.sku_not_found': '商品已下架',
  'members.product_not_found': '商品已下架',
  'members.restock_full': '到货提醒太多了，先取消一些吧',
  'members.favorites_full': '收藏夹已满，先删除一些吧',
  'members.category_not_found': '分类不存在',
  'members.follows_full': '关注的分类太多了',
  'flash_sales.unavailable': '活动太火爆，请稍后再试',
  'flash_sales.busy': '排队中，请稍后再试',
  'group_buys.busy': '排队中，请稍后再试',
  'group_buys.unavailable': '活动太火爆，请稍后再试',
  'addresses.none': '请先添加收货地址',
  'addresses.not_found': '收货地址不存在',
  'promotions.claim_not_open': '不在领取时间内',
  'promotions.coupon_not_found': '兑换码无效',
  'promotions.wrong_channel': '该券不能在这里领取',
  'promotions.claim_failed': '领取失败，请重试',
  'promotions.idempotency_key_reused': '请重试',
  'promotions.coupon_template_not_found': '优惠券不存在',
  'users.sms_too_frequent': '发送太频繁，请稍后再试',
  'users.sms_code_expired': '验证码已过期，请重新获取',
  'users.sms_code_locked': '错误次数过多，请重新获取验证码',
  'users.sms_code_wrong': '验证码错误',
  'users.sms_not_configured': '短信登录暂不可用',
  'users.disabled': '账号已停用',
  'users.wechat_unavailable': '微信登录繁忙，请稍后再试',
  'users.invalid_wechat_code': '微信登录失败，请重试',
  'users.wechat_not_configured': '微信登录暂不可用',
  'cart.insufficient_stock': '库存不足',
  'cart.item_not_found': '购物车里没有这件商品了',
  'cart.quantity_limit': '超出可购买数量',
  'cart.sku_not_found': '商品规格不存在',
  'cart.sku_unavailable': '该规格已下架或售罄',
  'cart.too_many_lines': '购物车已满，请先结算或删除部分商品',
  'catalog.product_not_found': '商品不存在或已下架',
  'catalog.sku_not_found': '商品规格不存在',
  'catalog.insufficient_stock': '库存不足',
  'orders.insufficient_stock': '库存不足，请减少数量',
  'orders.price_changed': '价格有变动，请确认新的金额',
  'orders.promotions_changed': '优惠有变动，请确认新的金额',
  'orders.off_sale': '部分商品已下架',
  'orders.sku_gone': '部分商品已下架',
  'orders.sku_not_found': '商品规格不存在',
  'orders.not_orderable': '部分商品暂不可购买',
  'orders.empty_checkout': '请先选择要结算的商品',
  'orders.expired': '订单已超时关闭',
  'orders.payment_timeout': '订单已超时关闭',
  'orders.already_paid': '订单已支付',
  'orders.not_payable': '订单当前不能支付',
  'orders.not_found': '订单不存在',
  'orders.invalid_transition': '订单状态已变化，请刷新',
  'orders.awaiting_group': '拼团成功后才能操作',
  'orders.aftersale_pending': '售后处理中，暂不能操作',
  'orders.idempotency_key_reused': '请重试',
  'payments.already_paid': '订单已支付',
  'payments.closed': '支付已关闭，请重新下单',
  'payments.not_configured': '支付暂不可用',
  'payments.sandbox_disabled': '沙箱支付未开启',
  'payments.sandbox_transaction_closed': '支付已关闭',
  'payments.wechat_login_required': '请在微信内打开以完成支付',
  'payments.wechat_unreachable': '微信支付繁忙，请稍后再试',
  'payments.wechat_error': '微信支付出错，请稍后再试',
  'aftersales.window_closed': '已超过售后期限',
  'aftersales.quantity_exceeded': '申请数量超过可售后数量',
  'aftersales.amount_exceeded': '退款金额超过可退金额',
  'aftersales.refund_exceeds_paid': '退款金额超过实付金额',
  'aftersales.order_not_eligible': '该订单暂不能申请售后',
  'aftersales.not_paid': '订单未支付，不能申请售后',
  'aftersales.not_shipped': '订单未发货，请申请仅退款',
  'aftersales.awaiting_group': '拼团中的订单暂不能退款，未成团将自动全额退款',
  'aftersales.no_return_needed': '该申请无需寄回商品',
  'aftersales.invalid_state': '售后状态已变化，请刷新',
  'aftersales.nothing_to_refund': '没有可退的金额',
  'aftersales.not_found': '售后单不存在',
  'aftersales.busy': '正在处理，请稍后再试',
  'aftersales.order_line_not_found': '订单中没有这件商品',
  'addresses.limit_reached': '地址数量已达上限',
  'addresses.default_required': '请保留一个默认地址',
  'promotions.coupon_expired': '优惠券已过期',
  'promotions.coupon_not_started': '优惠券尚未生效',
  'promotions.coupon_threshold': '未达到优惠券使用门槛',
  'promotions.coupon_not_applicable': '该券不适用于这些商品',
  'promotions.coupon_not_stackable': '这几张券不能同时使用',
  'promotions.coupon_unavailable': '优惠券不可用',
  'promotions.template_expired': '优惠券已过期',
  'promotions.template_disabled': '优惠券已停用',
  'logistics.region_not_served': '该地区暂不配送',
  'media.too_large': '图片不能超过5MB',
  'media.unsupported_type': '仅支持JPG/PNG/WebP/GIF图片',
  'media.empty': '图片为空，请重新选择',
  'aftersales.idempotency_key_reused': '请重试',
  'aftersales.exchange_has_no_refund': '换货不涉及退款',
  'payments.sandbox_transaction_not_found': '沙箱支付不可用',
  'payments.sandbox_not_configured': '沙箱支付不可用',
  'dev.disabled': '沙箱支付不可用',
  'validation.malformed': '输入有误，请检查后重试',
  'promotions.no_draws_left': '今日抽奖次数已用完，明天再来',
  'promotions.not_enough_points': '积分不足，暂时不能抽奖',
  'promotions.lottery_not_open': '活动已结束',
  'promotions.draw_busy': '参与的人太多了，请稍后再试',
  'promotions.lottery_not_found': '活动不存在或已结束',
  'validation.failed': '输入有误，请检查后重试',
  'members.mall_sold_out': '已兑完',
  'members.mall_limit_reached': '已达兑换上限',
  'members.not_enough_points': '积分不足',
  'members.mall_item_off_shelf': '该商品已下架',
  'members.mall_item_not_started': '兑换尚未开始',
  'members.mall_item_ended': '兑换已结束',
  'members.mall_item_not_found': '商品不存在或已下架',
  'members.mall_item_unavailable': '该商品暂不可兑换',
  'members.mall_busy': '商品信息有变化，请刷新后重试',
  'members.tier_required': '该商品仅限更高等级会员兑换',
  'members.idempotency_key_reused': '请重试',
  unauthorized: '请先登录',
  'auth.unauthorized': '请先登录',
  'auth.forbidden': '没有权限进行此操作',
  'auth.session_ended': '登录已过期，请重新登录',
  network: '网络不给力，请稍后再试',
};

const OUTCOME: Record<string, PromoOutcome> = {
  sold_out: 'sold_out',
  coupons_gone: 'sold_out',
  campaign_budget_exhausted: 'sold_out',
  limit_reached: 'limit',
  claim_limit: 'limit',
  rate_limited: 'rate_limited',
  busy: 'rate_limited',
  not_started: 'not_started',
  claim_not_open: 'ended',
  ended: 'ended',
  token_required: 'token',
  reservation_lapsed: 'lapsed',
  seat_lapsed: 'lapsed',
  sale_not_found: 'not_found',
  deal_not_found: 'not_found',
  team_not_found: 'not_found',
  unknown_team: 'not_found',
  team_full: 'team_closed',
  team_not_open: 'team_closed',
  team_expired: 'team_closed',
  team_succeeded: 'team_closed',
  team_failed: 'team_closed',
  already_in_team: 'already_member',
};

const hasChinese = (s: string | undefined): s is string => !!s && /[\u4e00-\u9fff]/.test(s);

/** The Chinese text for an error: by code, else the server's message if it is Chinese, else by status. */
export function errorText(e: unknown): string {
  const err = (e ?? {}) as ErrLike;
  const byCode = err.code ? TEXT[err.code] : undefined;
  if (byCode) return byCode;
  if (hasChinese(err.message)) return err.message;
  if (err.status === 429) return '请稍后再试';
  if (err.status === 401) return '请先登录';
  if (err.status === 404) return '内容不存在或已下架';
  if (err.status !== undefined && err.status >= 500) return '服务繁忙，请稍后再试';
  if (err.status === 0 || err.errMsg) return '网络不给力，请稍后再试';
  return '操作失败，请稍后再试';
}

/** The kind of outcome an error means for the page. */
export function promoOutcome(e: unknown): PromoOutcome {
  const err = (e ?? {}) as ErrLike;
  if (err.code === 'network' || err.status === 0) return 'network';
  if (err.code === 'addresses.none' || err.code === 'addresses.not_found') return 'no_address';
  if (err.code?.startsWith('addresses.')) return 'other';
  const tail = err.code?.split('.').pop();
  if (tail && OUTCOME[tail]) return OUTCOME[tail]!;
  if (err.status === 429) return 'rate_limited';
  return 'other';
}

/**
 * Whether a retry may send the same Idempotency-Key: true when we cannot know whether the server
 * acted (network, 5xx, rate limit — nothing was reserved, the same key is harmless), false once
 * the answer was definite (a refusal — next time is a new attempt, a new key).
 */
export function keepsKey(e: unknown): boolean {
  const o = promoOutcome(e);
  if (o === 'network' || o === 'rate_limited' || o === 'token') return true;
  const status = (e as ErrLike | undefined)?.status ?? 0;
  return status >= 500;
}
