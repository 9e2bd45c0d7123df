import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';

export type Lang = 'zh' | 'en';
const STORAGE_KEY = 'edgemall.admin.lang';

/** Shared words; page-specific labels use `tr(zh, en)` beside the code that shows them. */
const DICT = {
  'app.title': ['edgemall 运营后台', 'edgemall console'],
  'nav.dashboard': ['数据概览', 'Dashboard'],
  'nav.catalog': ['商品', 'Catalog'],
  'nav.products': ['商品管理', 'Products'],
  'nav.categories': ['类目管理', 'Categories'],
  'nav.orders': ['订单管理', 'Orders'],
  'nav.aftersales': ['售后管理', 'After-sales'],
  'nav.marketing': ['营销', 'Marketing'],
  'nav.flash-sales': ['限时秒杀', 'Flash sales'],
  'nav.group-buys': ['拼团', 'Group buys'],
  'nav.coupons': ['优惠券', 'Coupons'],
  'nav.promotion-rules': ['满减/限时折扣', 'Promotion rules'],
  'nav.lotteries': ['抽奖', 'Lotteries'],
  'nav.campaigns': ['活动', 'Campaigns'],
  'nav.members': ['会员', 'Members'],
  'nav.checkin-tasks': ['签到与任务', 'Check-in & tasks'],
  'nav.member-segments': ['用户分层', 'Segments'],
  'nav.win-back': ['回归礼包', 'Win-back'],
  'nav.merchants': ['商家管理', 'Merchants'],
  'nav.merchant-applications': ['入驻审核', 'Applications'],
  'nav.system': ['系统', 'System'],
  'nav.staff': ['员工与角色', 'Staff & roles'],
  'nav.audit-log': ['操作日志', 'Audit log'],
  'nav.ledger': ['结算账单', 'Settlement ledger'],
  'nav.points-mall': ['积分商城', 'Points mall'],
  'nav.points-rules': ['积分规则', 'Points rules'],
  'nav.points-adjust': ['积分/余额调整', 'Points & balance'],
  'nav.member-tiers': ['等级与权益', 'Tiers & perks'],
  'nav.member-settings': ['成长与积分规则', 'Growth & points rules'],
  'nav.member-lookup': ['会员查询', 'Member lookup'],
  'nav.referrals': ['邀请有礼', 'Referrals'],
  'nav.messages': ['消息触达', 'Messages'],
  'nav.screening': ['合规词库', 'Compliance words'],
  'nav.review-moderation': ['评价审核', 'Review moderation'],
  'nav.reviews': ['评价管理', 'Reviews'],
  'nav.spot-checks': ['抽查整改', 'Spot checks'],
  'nav.correction-notices': ['整改通知', 'Correction notices'],
  'nav.support': ['客服', 'Customer service'],
  'nav.support-inbox': ['客服工作台', 'Agent inbox'],
  'nav.support-faqs': ['客服知识库', 'FAQ'],
  'nav.support-report': ['服务报表', 'Service report'],
  'nav.content': ['内容运营', 'Content'],
  'nav.content-list': ['内容管理', 'Articles'],
  'nav.content-calendar': ['内容日历', 'Content calendar'],
  'nav.home-sections': ['首页装修', 'Home sections'],
  logout: ['退出登录', 'Sign out'],
  search: ['查询', 'Search'],
  reset: ['重置', 'Reset'],
  create: ['新建', 'Create'],
  edit: ['编辑', 'Edit'],
  save: ['保存', 'Save'],
  cancel: ['取消', 'Cancel'],
  confirm: ['确定', 'OK'],
  actions: ['操作', 'Actions'],
  status: ['状态', 'Status'],
  detail: ['详情', 'Detail'],
  refresh: ['刷新', 'Refresh'],
  prev: ['上一页', 'Previous'],
  next: ['下一页', 'Next'],
  createdAt: ['创建时间', 'Created'],
  forbidden: ['抱歉，您的角色无权访问此页面', 'Sorry, your role cannot use this page'],
  notFound: ['页面不存在', 'Page not found'],
  backHome: ['返回首页', 'Back home'],
  saved: ['已保存', 'Saved'],
  pendingRoute: ['该功能的服务端接口尚未上线', 'The server route for this screen is not available yet'],
} as const satisfies Record<string, readonly [string, string]>;
export type DictKey = keyof typeof DICT;

type Pair = readonly [zh: string, en: string];

/**
 * What a person sees for each code the API sends (statuses, states, kinds, roles, audit actions…):
 * [zh-CN, English], keyed by the API's value. Render codes only through `label` / `labelOptions`
 * (or `CodeTag` in ui.tsx), never raw. test/labels.test.ts walks the enums of web/client/openapi.json
 * and fails when a value has no label here.
 */
export const LABELS = {
  orderStatus: {
    pending_payment: ['待付款', 'Awaiting payment'],
    paid: ['待发货', 'Paid'],
    shipped: ['已发货', 'Shipped'],
    delivered: ['已签收', 'Delivered'],
    completed: ['已完成', 'Completed'],
    cancelled: ['已取消', 'Cancelled'],
    closed: ['已关闭', 'Closed'],
  },
  // Order timeline entries (OrderEvent.type is a plain string in the API: these are the ones it writes today).
  orderEvent: {
    created: ['下单', 'Order placed'],
    paid: ['支付成功', 'Paid'],
    payment_timeout: ['超时未支付', 'Payment timed out'],
    cancelled: ['取消订单', 'Cancelled'],
    shipped: ['发货', 'Shipped'],
    delivered: ['签收', 'Delivered'],
    receipt_confirmed: ['确认收货', 'Receipt confirmed'],
    auto_confirmed: ['自动确认收货', 'Receipt auto-confirmed'],
    closed: ['订单关闭', 'Closed'],
    note: ['商家备注', 'Seller note'],
    group_formed: ['拼团成功', 'Team complete'],
    hold_lost: ['活动名额失效', 'Promotion hold lost'],
    system_refund: ['系统退款', 'System refund'],
    late_payment_refunded: ['关单后到账，已退款', 'Late payment refunded'],
    aftersale_requested: ['申请售后', 'After-sale requested'],
    aftersale_approved: ['同意售后', 'After-sale approved'],
    aftersale_rejected: ['拒绝售后', 'After-sale rejected'],
    aftersale_cancelled: ['撤销售后', 'After-sale withdrawn'],
    return_shipped: ['买家退货', 'Return shipped'],
    return_received: ['收到退货', 'Return received'],
    exchanged: ['换货完成', 'Exchanged'],
    refund_started: ['发起退款', 'Refund started'],
    refund_succeeded: ['退款成功', 'Refund succeeded'],
    refund_failed: ['退款失败', 'Refund failed'],
  },
  orderActor: {
    user: ['买家', 'Shopper'],
    staff: ['员工', 'Staff'],
    system: ['系统', 'System'],
    wechat: ['微信支付', 'WeChat Pay'],
    carrier: ['快递公司', 'Carrier'],
  },
  discountSource: {
    member_price: ['会员价', 'Member price'],
    member_discount: ['会员折扣', 'Member discount'],
    limited_time: ['限时折扣', 'Limited-time'],
    full_reduction: ['满减', 'Full reduction'],
    full_discount: ['满折', 'Full discount'],
    coupon: ['优惠券', 'Coupon'],
    shipping_coupon: ['运费券', 'Shipping coupon'],
    flash_sale: ['秒杀', 'Flash sale'],
    group_buy: ['拼团', 'Group buy'],
    points_mall: ['积分兑换', 'Points exchange'],
  },
  refundStatus: {
    pending: ['待退款', 'Pending'],
    processing: ['退款中', 'Processing'],
    succeeded: ['已退款', 'Refunded'],
    closed: ['已关闭', 'Closed'],
    abnormal: ['退款异常', 'Abnormal'],
  },
  afterSaleStatus: {
    requested: ['待审核', 'Requested'],
    approved: ['已同意', 'Approved'],
    rejected: ['已拒绝', 'Rejected'],
    returning: ['退货中', 'Returning'],
    received: ['已收货', 'Received'],
    refunding: ['退款中', 'Refunding'],
    refunded: ['已退款', 'Refunded'],
    exchanged: ['已换货', 'Exchanged'],
    cancelled: ['已取消', 'Cancelled'],
  },
  afterSaleType: {
    refund_only: ['仅退款', 'Refund only'],
    return_refund: ['退货退款', 'Return & refund'],
    exchange: ['换货', 'Exchange'],
  },
  productStatus: {
    draft: ['草稿', 'Draft'],
    pending_review: ['待审核', 'Pending review'],
    on_sale: ['在售', 'On sale'],
    off_sale: ['已下架', 'Off sale'],
  },
  stockReason: {
    restock: ['补货', 'Restock'],
    adjust: ['调整', 'Adjustment'],
    damage: ['报损', 'Damage'],
    return: ['退货入库', 'Return'],
    stocktake: ['盘点', 'Stocktake'],
  },
  // Where a flash sale, group buy, rule, campaign or lottery stands in time.
  promoState: {
    upcoming: ['未开始', 'Upcoming'],
    live: ['进行中', 'Live'],
    ended: ['已结束', 'Ended'],
    disabled: ['已停用', 'Disabled'],
  },
  // The operator's switch on a rule, campaign, lottery or coupon template (flash sales: active | cancelled).
  promoStatus: {
    active: ['已启用', 'Enabled'],
    disabled: ['已停用', 'Disabled'],
    cancelled: ['已取消', 'Cancelled'],
  },
  couponKind: {
    amount_off: ['满减/无门槛券', 'Amount off'],
    percent_off: ['折扣券', 'Percent off'],
    free_shipping: ['运费券', 'Free shipping'],
  },
  referralReward: {
    none: ['不奖励', 'None'],
    points: ['积分', 'Points'],
    coupon: ['优惠券', 'Coupon'],
    cash: ['余额返现', 'Cash rebate'],
  },
  referralStatus: {
    registered: ['已注册', 'Registered'],
    ordered: ['已下单', 'Ordered'],
    rewarded: ['已奖励', 'Rewarded'],
    invalid: ['无效', 'Invalid'],
  },
  referralReason: {
    same_phone: ['与邀请人手机号相同', 'Same phone as inviter'],
    same_device: ['与邀请人同一设备', 'Same device as inviter'],
    same_address: ['与邀请人收货地址相同', 'Same address as inviter'],
    daily_cap: ['超出当日奖励上限', 'Over the daily cap'],
    refunded: ['退款收回', 'Clawed back (refund)'],
    revoked: ['平台撤销', 'Revoked by staff'],
    null: ['无', 'None'],
  },
  referralVia: {
    login: ['链接注册', 'Signed up via link'],
    bind: ['填写邀请码', 'Entered a code'],
  },
  referralSide: {
    inviter: ['邀请人', 'Inviter'],
    invitee: ['被邀请人', 'Invitee'],
  },
  couponChannel: {
    storefront: ['领券中心', 'Coupon centre'],
    code: ['兑换码', 'Redemption code'],
    campaign: ['活动页', 'Campaign page'],
    segment: ['定向发放', 'Targeted issue'],
    new_user_pack: ['新人礼包', 'New-user pack'],
    member_perk: ['会员权益', 'Member perk'],
    referral: ['邀请有礼', 'Invite rewards'],
    lottery: ['抽奖', 'Lottery'],
    task: ['任务奖励', 'Task reward'],
    points_mall: ['积分商城', 'Points mall'],
  },
  wordCategory: {
    ad_absolute: ['广告法极限词', 'Ad-law absolute term'],
    medical_claim: ['医疗功效', 'Medical claim'],
    sensitive: ['敏感词', 'Sensitive'],
    political: ['政治', 'Political'],
    vulgar: ['低俗', 'Vulgar'],
    fraud: ['欺诈', 'Fraud'],
    allow: ['放行短语', 'Allow phrase'],
  },
  wordSeverity: {
    block: ['拦截', 'Block'],
    review: ['人工复核', 'Review'],
    warn: ['提示', 'Warn'],
    allow: ['放行', 'Allow'],
  },
  reviewStatus: {
    published: ['已发布', 'Published'],
    pending: ['待审核', 'Pending'],
    rejected: ['已驳回', 'Rejected'],
    null: ['无', 'None'],
  },
  reviewHoldReason: {
    screening: ['命中合规词', 'Flagged words'],
    duplicate: ['疑似复制', 'Copied text'],
    reported: ['被举报', 'Reported'],
    null: ['无', 'None'],
  },
  noticeStatus: {
    open: ['待整改', 'Open'],
    corrected: ['已整改待确认', 'Corrected'],
    taken_down: ['逾期已下架', 'Overdue, taken down'],
    accepted: ['已确认', 'Accepted'],
  },
  spotCheckMode: {
    random: ['随机抽取', 'Random'],
    chosen: ['指定商品', 'Chosen'],
  },
  screenVerdict: {
    pass: ['通过', 'Pass'],
    warn: ['提示', 'Warn'],
    review: ['需人工复核', 'Needs review'],
    block: ['拦截', 'Blocked'],
  },
  taskKind: {
    browse_product: ['浏览商品', 'Browse products'],
    share_product: ['分享商品', 'Share products'],
    write_review: ['评价晒单', 'Write a review'],
    complete_profile: ['完善资料', 'Complete the profile'],
    first_order: ['完成首单', 'First order'],
    subscribe_messages: ['订阅消息', 'Subscribe to messages'],
  },
  taskPeriod: {
    daily: ['每日任务', 'Daily'],
    once: ['新手任务（一次）', 'Once'],
  },
  taskRewardKind: {
    points: ['积分', 'Points'],
    coupon: ['优惠券', 'Coupon'],
    makeup_cards: ['补签卡', 'Make-up cards'],
  },
  mallItemKind: {
    goods: ['实物商品', 'Goods'],
    coupon: ['优惠券', 'Coupon'],
    lottery_chance: ['抽奖次数', 'Lottery chances'],
  },
  mallLimitPeriod: {
    ever: ['每人限兑（总计）', 'Per shopper, ever'],
    day: ['每人每日限兑', 'Per shopper, per day'],
  },
  mallItemStatus: {
    on: ['上架', 'On shelf'],
    off: ['下架', 'Off shelf'],
  },
  mallItemState: {
    upcoming: ['未开始', 'Upcoming'],
    live: ['兑换中', 'Live'],
    ended: ['已结束', 'Ended'],
    off: ['已下架', 'Off shelf'],
  },
  mallExchangeStatus: {
    completed: ['已完成', 'Completed'],
    pending_payment: ['待支付', 'Awaiting payment'],
    cancelled: ['已取消', 'Cancelled'],
  },
  ruleKind: {
    full_reduction: ['满减', 'Full reduction'],
    full_discount: ['满折', 'Full discount'],
    limited_time: ['限时折扣', 'Limited-time'],
  },
  scopeType: {
    all: ['全部商品', 'Everything'],
    categories: ['指定类目', 'Categories'],
    products: ['指定商品', 'Products'],
    skus: ['指定 SKU', 'SKUs'],
  },
  segmentKind: {
    all: ['全部用户', 'Everyone'],
    new_users: ['N 天内注册的新用户', 'New users (N days)'],
    no_orders: ['从未下单的用户', 'Never ordered'],
    users: ['指定用户 ID', 'User id list'],
    segment: ['用户分层 / 自定义分群', 'Member segment'],
  },
  memberLayer: {
    new: ['新客', 'New'],
    active: ['活跃', 'Active'],
    dormant: ['沉睡', 'Dormant'],
    lost: ['流失', 'Lost'],
  },
  prizeKind: {
    coupon: ['优惠券', 'Coupon'],
    points: ['积分', 'Points'],
    goods: ['实物', 'Goods'],
    none: ['谢谢参与', 'No prize'],
  },
  prizeFulfilment: {
    none: ['无需发货', 'Nothing to ship'],
    to_ship: ['待发货', 'To ship'],
    shipped: ['已发货', 'Shipped'],
  },
  merchantStatus: {
    active: ['正常', 'Active'],
    suspended: ['已停用', 'Suspended'],
  },
  applicationStatus: {
    pending: ['待审核', 'Pending'],
    approved: ['已通过', 'Approved'],
    rejected: ['已驳回', 'Rejected'],
  },
  ledgerType: {
    sale: ['销售', 'Sale'],
    commission: ['佣金', 'Commission'],
    refund: ['退款', 'Refund'],
  },
  staffRole: {
    admin: ['超级管理员', 'Admin'],
    operator: ['运营', 'Operator'],
    support: ['客服', 'Support'],
    merchant: ['商家', 'Merchant'],
  },
  staffStatus: {
    active: ['正常', 'Active'],
    disabled: ['已停用', 'Disabled'],
  },
  permission: {
    'catalog.read': ['查看商品', 'View products'],
    'catalog.write': ['编辑商品', 'Edit products'],
    'catalog.review': ['审核商品', 'Review products'],
    'stock.write': ['调整库存', 'Adjust stock'],
    'media.write': ['上传素材', 'Upload media'],
    'orders.read': ['查看订单', 'View orders'],
    'orders.write': ['处理订单（发货、备注）', 'Handle orders (ship, notes)'],
    'aftersales.write': ['处理售后', 'Handle after-sales'],
    'promotions.write': ['营销活动', 'Promotions'],
    'members.read': ['查看会员', 'View members'],
    'members.write': [
      '管理会员（等级、积分、签到、任务、邀请、分层）',
      'Manage members (tiers, points, check-in, tasks, referrals, segments)',
    ],
    'merchants.manage': ['商家管理', 'Manage merchants'],
    'staff.manage': ['人员与角色', 'Staff & roles'],
    'audit.read': ['审计日志', 'Audit log'],
    'support.handle': ['客服工单', 'Support tickets'],
    'support.faq': ['客服知识库', 'Support FAQ'],
    'content.write': ['内容运营（文章、首页装修、内容日历）', 'Content (articles, home sections, calendar)'],
  },
  // The audit log's action: the operationId of each audited admin write.
  auditAction: {
    approveReview: ['通过评价', 'Approve review'],
    rejectReview: ['驳回评价', 'Reject review'],
    replyReview: ['回复评价', 'Reply to review'],
    setCategoryRequiredFacts: ['设置类目必填信息', 'Set required facts'],
    createSpotCheck: ['发起抽查', 'Create spot check'],
    issueCorrectionNotice: ['下发整改通知', 'Issue correction notice'],
    markNoticeCorrected: ['提交整改', 'Mark notice corrected'],
    acceptCorrection: ['确认整改', 'Accept correction'],
    reopenCorrectionNotice: ['重新打开整改通知', 'Reopen correction notice'],
    createArticle: ['新建内容', 'Create article'],
    updateArticle: ['修改内容', 'Update article'],
    submitArticle: ['提交内容审核', 'Submit article'],
    approveArticle: ['通过内容审核', 'Approve article'],
    rejectArticle: ['驳回内容', 'Reject article'],
    scheduleArticle: ['定时发布内容', 'Schedule article'],
    takeDownArticle: ['下线内容', 'Take down article'],
    createHomeSection: ['新建首页模块', 'Create home section'],
    updateHomeSection: ['修改首页模块', 'Update home section'],
    deleteHomeSection: ['删除首页模块', 'Delete home section'],
    reorderHomeSections: ['调整首页模块顺序', 'Reorder home sections'],
    replyTicket: ['回复客服工单', 'Reply to ticket'],
    addTicketNote: ['添加工单备注', 'Add ticket note'],
    assignTicket: ['分配客服工单', 'Assign ticket'],
    closeTicket: ['关闭客服工单', 'Close ticket'],
    escalateTicket: ['升级客服工单', 'Escalate ticket'],
    compensateTicket: ['发放客服补偿券', 'Issue compensation coupon'],
    openTicketAfterSale: ['客服代客申请售后', 'File after-sale for shopper'],
    createFaq: ['新建客服问答', 'Create FAQ'],
    createCannedReply: ['新建快捷回复', 'Create canned reply'],
    updateCannedReply: ['修改快捷回复', 'Update canned reply'],
    updateFaq: ['修改客服问答', 'Update FAQ'],
    createMemberSegment: ['新建用户分群', 'Create segment'],
    previewMemberSegment: ['预览用户分群', 'Preview segment'],
    updateMemberSegment: ['修改用户分群', 'Update segment'],
    deleteMemberSegment: ['删除用户分群', 'Delete segment'],
    updateSegmentSettings: ['修改分层与回归礼包设置', 'Update segment settings'],
    rerunSegmentation: ['重新计算用户分层', 'Recalculate segments'],
    createMemberTag: ['新建用户标签', 'Create tag'],
    deleteMemberTag: ['删除用户标签', 'Delete tag'],
    tagMembers: ['给用户打标签', 'Tag shoppers'],
    untagMember: ['移除用户标签', 'Untag shopper'],
    createStaff: ['新建员工', 'Create staff'],
    createMessageTemplate: ['新建消息模板', 'Create message template'],
    updateMessageTemplate: ['修改消息模板', 'Update message template'],
    previewMessageTemplate: ['预览消息模板', 'Preview message template'],
    updateMessageSettings: ['修改频控与免打扰', 'Update message caps'],
    updateStaff: ['修改员工', 'Update staff'],
    createCategory: ['新建类目', 'Create category'],
    updateCategory: ['修改类目', 'Update category'],
    deleteCategory: ['删除类目', 'Delete category'],
    createProduct: ['新建商品', 'Create product'],
    updateProduct: ['修改商品', 'Update product'],
    deleteProduct: ['删除商品', 'Delete product'],
    reviewProduct: ['审核商品', 'Review product'],
    importProducts: ['导入商品', 'Import products'],
    adjustStock: ['调整库存', 'Adjust stock'],
    schedulePriceChange: ['定时调价', 'Schedule price change'],
    cancelPriceSchedule: ['取消定时调价', 'Cancel price change'],
    uploadMedia: ['上传素材', 'Upload media'],
    createFreightTemplate: ['新建运费模板', 'Create freight template'],
    updateFreightTemplate: ['修改运费模板', 'Update freight template'],
    deleteFreightTemplate: ['删除运费模板', 'Delete freight template'],
    addOrderNote: ['添加订单备注', 'Add order note'],
    shipOrder: ['订单发货', 'Ship order'],
    reviewAfterSale: ['审核售后', 'Review after-sale'],
    receiveAfterSaleReturn: ['确认收到退货', 'Receive return'],
    updateMerchant: ['修改商家', 'Update merchant'],
    approveMerchantApplication: ['通过入驻申请', 'Approve application'],
    rejectMerchantApplication: ['驳回入驻申请', 'Reject application'],
    createFlashSale: ['新建秒杀', 'Create flash sale'],
    reconcileFlashSale: ['秒杀对账', 'Reconcile flash sale'],
    createGroupBuy: ['新建拼团', 'Create group buy'],
    createLottery: ['新建抽奖', 'Create lottery'],
    updateLottery: ['修改抽奖', 'Update lottery'],
    markPrizeShipped: ['奖品发货', 'Mark prize shipped'],
    adjustPoints: ['调整积分', 'Adjust points'],
    updateCheckinSettings: ['修改签到规则', 'Update check-in rules'],
    grantMakeupCards: ['发放补签卡', 'Grant make-up cards'],
    createTask: ['新建任务', 'Create task'],
    createSensitiveWord: ['新增合规词', 'Add compliance word'],
    updateSensitiveWord: ['修改合规词', 'Update compliance word'],
    disableSensitiveWord: ['停用合规词', 'Disable compliance word'],
    screenText: ['合规文本检测', 'Screen text'],
    updateTask: ['修改任务', 'Update task'],
    createPointsMallItem: ['新建积分商城商品', 'Create points-mall item'],
    updatePointsMallItem: ['修改积分商城商品', 'Update points-mall item'],
    adjustPointsMallStock: ['调整积分商城库存', 'Adjust points-mall stock'],
    adjustBalance: ['调整余额', 'Adjust balance'],
    updatePointsRules: ['修改积分规则', 'Update points rules'],
    createPromotionRule: ['新建促销规则', 'Create promotion rule'],
    updatePromotionRule: ['修改促销规则', 'Update promotion rule'],
    updateStackingPolicy: ['修改叠加规则', 'Update stacking policy'],
    createCampaign: ['新建活动', 'Create campaign'],
    updateCampaign: ['修改活动', 'Update campaign'],
    createCouponTemplate: ['新建优惠券', 'Create coupon'],
    updateCouponTemplate: ['修改优惠券', 'Update coupon'],
    issueCoupons: ['定向发券', 'Issue coupons'],
    seedDemoShop: ['生成演示数据', 'Seed demo shop'],
    setDevClock: ['调整开发时钟', 'Set the dev clock'],
    runDevCron: ['立即运行定时任务', 'Run the cron now'],
    createMemberTier: ['新建会员等级', 'Create member tier'],
    updateMemberTier: ['修改会员等级', 'Update member tier'],
    disableMemberTier: ['停用会员等级', 'Disable member tier'],
    enableMemberTier: ['启用会员等级', 'Enable member tier'],
    updateMemberGrowthSettings: ['修改成长与积分规则', 'Update growth rules'],
    setMemberTier: ['调整会员等级', 'Set member tier'],
    adjustMemberGrowth: ['调整成长值', 'Adjust growth'],
    updateReferralSettings: ['修改邀请设置', 'Update referral settings'],
    revokeReferralReward: ['撤销邀请奖励', 'Revoke referral reward'],
  },
  tierIcon: {
    leaf: ['叶子', 'Leaf'],
    star: ['星星', 'Star'],
    medal: ['奖章', 'Medal'],
    crown: ['皇冠', 'Crown'],
    diamond: ['钻石', 'Diamond'],
    gem: ['宝石', 'Gem'],
  },
  birthdayGiftKind: {
    none: ['无', 'None'],
    coupon: ['优惠券', 'Coupon'],
    points: ['积分', 'Points'],
  },
  tierChangeReason: {
    upgrade: ['升级', 'Upgrade'],
    review_downgrade: ['保级未达标降级', 'Downgraded at review'],
    review_keep: ['保级成功', 'Kept at review'],
    admin: ['人工调整', 'Set by staff'],
  },
  giftStatus: {
    granted: ['已发放', 'Granted'],
    failed: ['发放失败', 'Failed'],
  },
  ticketStatus: {
    open: ['处理中', 'Open'],
    closed: ['已关闭', 'Closed'],
  },
  ticketReason: {
    requested: ['顾客转人工', 'Asked for a person'],
    low_confidence: ['机器人无法回答', 'Bot unsure'],
  },
  messageSender: {
    shopper: ['顾客', 'Shopper'],
    bot: ['智能客服', 'Bot'],
    agent: ['人工客服', 'Agent'],
    note: ['内部备注', 'Internal note'],
  },
  gender: {
    male: ['男', 'Male'],
    female: ['女', 'Female'],
    null: ['未填写', 'Not given'],
  },
  msgChannel: {
    wechat_subscribe: ['订阅消息', 'Subscribe message'],
    sms: ['短信', 'SMS'],
    // a send that never got a channel (skipped before one was chosen)
    null: ['无', 'None'],
  },
  msgPurpose: {
    transactional: ['服务通知', 'Service'],
    marketing: ['营销', 'Marketing'],
  },
  msgTrigger: {
    restock: ['到货提醒', 'Back in stock'],
    price_drop: ['降价提醒', 'Price drop'],
    new_arrivals: ['上新提醒', 'New arrivals'],
    win_back: ['回归礼包', 'Win-back pack'],
    checkin_reminder: ['签到提醒', 'Check-in reminder'],
    task_reward: ['任务奖励到账', 'Task reward'],
    points_expiring: ['积分到期提醒', 'Points expiring'],
    promotion: ['活动通知', 'Promotion'],
  },
  msgSendStatus: {
    scheduled: ['免打扰待发', 'Held (quiet hours)'],
    queued: ['排队中', 'Queued'],
    sending: ['发送中', 'Sending'],
    sent: ['已发送', 'Sent'],
    skipped: ['未发送', 'Skipped'],
    failed: ['失败', 'Failed'],
    capped: ['超出频控', 'Over the cap'],
  },
  contentKind: {
    article: ['文章', 'Article'],
    topic: ['专题', 'Topic'],
    scene_guide: ['场景指南', 'Scene guide'],
  },
  contentStatus: {
    draft: ['草稿', 'Draft'],
    review: ['待审核', 'In review'],
    approved: ['已审核', 'Approved'],
    scheduled: ['待发布', 'Scheduled'],
    published: ['已发布', 'Published'],
    taken_down: ['已下线', 'Taken down'],
  },
  contentFlag: {
    none: ['正常', 'None'],
    flagged: ['被举报/差评过多', 'Flagged by shoppers'],
    cleared: ['已复核', 'Cleared'],
  },
  homeSectionKind: {
    banner: ['轮播图', 'Banner'],
    topic_entry: ['专题入口', 'Topic entries'],
    product_rail: ['商品栏', 'Product rail'],
  },
  homeLinkType: {
    article: ['内容', 'Article'],
    product: ['商品', 'Product'],
    articles: ['内容列表', 'Article list'],
    path: ['页面路径', 'Page path'],
  },
  // The audit detail's field diff (the console's own codes).
  diffKind: {
    added: ['新增', 'Added'],
    removed: ['删除', 'Removed'],
    changed: ['修改', 'Changed'],
  },
} as const satisfies Record<string, Record<string, Pair>>;
export type LabelGroup = keyof typeof LABELS;

/** `code`'s label in `lang`; a code the table does not know yet (newer than this console) shows as itself. */
export function labelOf(lang: Lang, group: LabelGroup, code: string | null | undefined): string {
  if (code === null || code === undefined || code === '') return '—';
  const table: Record<string, Pair> = LABELS[group];
  return Object.hasOwn(table, code) ? table[code]![lang === 'zh' ? 0 : 1] : code;
}

interface I18n {
  lang: Lang;
  setLang: (l: Lang) => void;
  t: (key: DictKey) => string;
  tr: (zh: string, en: string) => string;
  /** The label of an API code (see LABELS). */
  label: (group: LabelGroup, code: string | null | undefined) => string;
  /** Select options for `codes` (default: every code of the group), labelled. */
  labelOptions: (group: LabelGroup, codes?: readonly string[]) => { value: string; label: string }[];
}
const Ctx = createContext<I18n | null>(null);

function initialLang(): Lang {
  try {
    return localStorage.getItem(STORAGE_KEY) === 'en' ? 'en' : 'zh';
  } catch {
    return 'zh';
  }
}

export function I18nProvider({ children }: { children: ReactNode }) {
  const [lang, setLangState] = useState<Lang>(() => {
    const l = initialLang();
    dayjs.locale(l === 'zh' ? 'zh-cn' : 'en');
    return l;
  });
  const setLang = useCallback((l: Lang) => {
    try {
      localStorage.setItem(STORAGE_KEY, l);
    } catch {
      /* private mode: keep it for this tab only */
    }
    dayjs.locale(l === 'zh' ? 'zh-cn' : 'en');
    setLangState(l);
  }, []);
  const value = useMemo<I18n>(
    () => ({
      lang,
      setLang,
      t: (key) => DICT[key][lang === 'zh' ? 0 : 1],
      tr: (zh, en) => (lang === 'zh' ? zh : en),
      label: (group, code) => labelOf(lang, group, code),
      labelOptions: (group, codes = Object.keys(LABELS[group])) => codes.map((c) => ({ value: c, label: labelOf(lang, group, c) })),
    }),
    [lang, setLang],
  );
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}

export function useI18n(): I18n {
  const v = useContext(Ctx);
  if (!v) throw new Error('useI18n outside I18nProvider');
  return v;
}
