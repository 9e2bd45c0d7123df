// Every code the console shows has a label in both languages (src/i18n.tsx LABELS). The values come
// from the API's own document, web/client/openapi.json (what schema.d.ts is generated from), so a
// value or an enum field the API gains fails here until the console labels it.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { LABELS, labelOf, type LabelGroup } from '../src/i18n';

const here = path.dirname(fileURLToPath(import.meta.url));
const SRC = path.join(here, '..', 'src');
type Schema = Record<string, any>;
const doc: Schema = JSON.parse(readFileSync(path.join(here, '..', '..', 'client', 'openapi.json'), 'utf8'));

/**
 * Each enum field the console reads or sends → the label group that shows it. Keys: `Schema.field`
 * (nested `Schema.a.b`), query parameters `operationId?name`.
 */
const SHOWN: Record<LabelGroup, string[]> = {
  orderStatus: ['OrderSummary.status', 'listAdminOrders?status', 'exportOrders?status'],
  afterSaleStatus: ['AfterSale.status', 'listAdminAfterSales?status'],
  afterSaleType: ['TicketAfterSaleInput.type', 'AfterSale.type', 'listAdminAfterSales?type'],
  productStatus: [
    'ProductSummary.status',
    'AdminProduct.status',
    'CreateProductInput.status',
    'UpdateProductInput.status',
    'listAdminProducts?status',
  ],
  stockReason: ['AdjustStockInput.reason'],
  promoState: [
    'FlashSale.state',
    'GroupBuy.state',
    'PromotionRule.state',
    'Campaign.state',
    'CampaignDetail.rules.state',
    'LotterySummary.state',
    'listAdminFlashSales?state',
    'listAdminGroupBuys?state',
    'listCampaigns?state',
    'listPromotionRules?state',
  ],
  promoStatus: [
    'FlashSale.status',
    'AdminGroupBuyList.items.status',
    'PromotionRule.status',
    'Campaign.status',
    'LotterySummary.status',
    'CouponTemplate.status',
    'UpdatePromotionRuleInput.status',
    'UpdateCampaignInput.status',
    'UpdateLotteryInput.status',
    'UpdateCouponTemplateInput.status',
    'listCouponTemplates?status',
    'listPromotionRules?status',
    'listCampaigns?status',
    'listLotteries?status',
    'MemberTier.status',
    'listAdminFlashSales?status',
    'listAdminGroupBuys?status',
    'MessageTemplate.status',
    'UpdateMessageTemplateInput.status',
    'listMessageTemplates?status',
  ],
  couponKind: ['CouponTemplate.kind', 'CreateCouponTemplateInput.kind'],
  couponChannel: ['CouponTemplate.channels', 'CreateCouponTemplateInput.channels', 'listCouponTemplates?channel'],
  ruleKind: [
    'PromotionRule.kind',
    'FullReductionRuleInput.kind',
    'FullDiscountRuleInput.kind',
    'LimitedTimeRuleInput.kind',
    'listPromotionRules?kind',
  ],
  scopeType: ['PromoScope.type', 'CouponScope.type'],
  segmentKind: ['Segment.kind'],
  memberLayer: ['SegmentMember.layer', 'SegmentRules.layers'],
  prizeKind: ['LotteryPrizeAdmin.kind', 'LotteryDrawAdmin.prizeKind', 'CreateLotteryInput.prizes.kind'],
  prizeFulfilment: ['LotteryDrawAdmin.fulfilment', 'listLotteryDraws?fulfilment'],
  wordCategory: [
    'SensitiveWord.category',
    'CreateSensitiveWordInput.category',
    'UpdateSensitiveWordInput.category',
    'listSensitiveWords?category',
  ],
  wordSeverity: [
    'SensitiveWord.severity',
    'CreateSensitiveWordInput.severity',
    'UpdateSensitiveWordInput.severity',
    'listSensitiveWords?severity',
    'ScreenMatch.severity',
    'ProductScreeningMatch.severity',
    'MerchantApplicationListItem.screening.matches.severity',
    'MerchantApplication.screening.matches.severity',
    'SpotCheckMatch.severity',
    'ContentScreenMatch.severity',
  ],
  screenVerdict: [
    'ScreenResult.verdict',
    'ProductScreening.verdict',
    'MerchantApplicationListItem.screening.verdict',
    'MerchantApplication.screening.verdict',
    'SpotCheckItem.verdict',
  ],
  noticeStatus: ['CorrectionNotice.status', 'SpotCheckItem.notice.status', 'listCorrectionNotices?status'],
  spotCheckMode: ['SpotCheck.mode', 'SpotCheckSummary.mode'],
  reviewStatus: ['Review.status', 'ReviewAppend.status', 'AdminReview.appendStatus', 'listReviews?status'],
  reviewHoldReason: ['AdminReview.holdReason', 'AdminReview.appendHoldReason'],
  taskKind: ['TaskConfig.kind', 'CreateTaskInput.kind'],
  taskPeriod: ['TaskConfig.period', 'CreateTaskInput.period'],
  taskRewardKind: ['TaskReward.kind', 'TaskRewardInput.kind'],
  mallItemKind: ['CreatePointsMallItemInput.kind', 'PointsMallItemAdmin.kind', 'listAdminPointsMallItems?kind', 'PointsMallExchange.kind'],
  mallLimitPeriod: ['CreatePointsMallItemInput.limitPeriod', 'PointsMallItemAdmin.limitPeriod', 'UpdatePointsMallItemInput.limitPeriod'],
  mallItemStatus: [
    'CreatePointsMallItemInput.status',
    'PointsMallItemAdmin.status',
    'listAdminPointsMallItems?status',
    'UpdatePointsMallItemInput.status',
  ],
  mallItemState: ['PointsMallItemAdmin.state'],
  mallExchangeStatus: ['PointsMallExchange.status'],
  merchantStatus: ['Merchant.status', 'UpdateMerchantInput.status', 'listMerchants?status'],
  applicationStatus: [
    'MerchantApplicationListItem.status',
    'MerchantApplication.status',
    'ApplyMerchantResult.status',
    'listMerchantApplications?status',
  ],
  ledgerType: ['MerchantLedgerEntry.type'],
  staffRole: [
    'Staff.role',
    'CreateStaffInput.role',
    'UpdateStaffInput.role',
    'Role.role',
    'AuditEntry.role',
    'MerchantApprovalResult.staff.role',
  ],
  staffStatus: ['Staff.status', 'UpdateStaffInput.status'],
  permission: ['Staff.permissions', 'Role.permissions.key'],
  referralReward: ['ReferralRewardView.type', 'ReferralRewardInput.type', 'ReferralRewardEntry.kind'],
  referralStatus: ['AdminReferral.status'],
  referralReason: ['ReferralFraudReport.byReason.reason', 'AdminReferral.reason'],
  referralVia: ['AdminReferral.via'],
  referralSide: ['ReferralRewardEntry.side'],
  msgChannel: ['MessageTemplate.channel', 'CreateMessageTemplateInput.channel', 'MessageSend.channel'],
  msgPurpose: [
    'MessageTemplate.purpose',
    'CreateMessageTemplateInput.purpose',
    'UpdateMessageTemplateInput.purpose',
    'MessageTrigger.purpose',
    'MessageSend.purpose',
  ],
  msgTrigger: [
    'MessageTemplate.key',
    'CreateMessageTemplateInput.key',
    'MessageTrigger.key',
    'listMessageTemplates?key',
    'listMessageSends?templateKey',
  ],
  msgSendStatus: ['MessageSend.status', 'listMessageSends?status'],
  // The API types these as plain strings, so only the labels themselves are checked for them (below).
  orderEvent: [],
  orderActor: [],
  discountSource: [],
  refundStatus: [],
  // Filled from the audited operations, not from a field (below).
  auditAction: [],
  // The console's own codes.
  diffKind: [],
  tierIcon: ['CreateMemberTierInput.iconName', 'UpdateMemberTierInput.iconName', 'TierIcon.name'],
  birthdayGiftKind: ['TierBirthdayGift.kind', 'BirthdayGiftRecord.kind'],
  tierChangeReason: ['TierChange.reason'],
  giftStatus: ['BirthdayGiftRecord.status'],
  gender: ['MemberDetail.user.gender'],
  ticketStatus: ['SupportTicket.status', 'listTickets?status'],
  ticketReason: ['SupportTicket.reason'],
  messageSender: ['SupportMessage.sender'],
  contentKind: [
    'AdminContent.kind',
    'CreateArticleInput.kind',
    'UpdateArticleInput.kind',
    'listContent?kind',
    'ContentCalendarItem.kind',
    'ContentCalendar.unscheduled.kind',
  ],
  contentStatus: ['AdminContent.status', 'listContent?status', 'ContentCalendarItem.status', 'ContentCalendar.unscheduled.status'],
  contentFlag: ['AdminContent.flagState', 'ContentCalendarItem.flagState', 'ContentCalendar.unscheduled.flagState'],
  homeSectionKind: ['AdminHomeSection.kind', 'CreateHomeSectionInput.kind'],
  homeLinkType: ['HomeLink.type'],
};

/** Enum fields the console never shows as a value, and why. */
const NOT_SHOWN: Record<string, string> = {
  'SupportMessage.screen.verdict': "the inbox colours the message's tag by it and shows the matches' hints as its text",
  'getUserPoints?type': 'a ledger filter the console words as its own tabs (全部 / 获得 / 使用)',
  'getUserWallet?type': 'a ledger filter the console words as its own tabs (全部 / 获得 / 使用)',
  'OrderSummary.promo.type': 'the console does not show which promotion an order came from',
  'FullReductionRuleInput.basis': 'a form choice worded with its unit (金额（元） / 件数)',
  'FullDiscountRuleInput.basis': 'a form choice worded with its unit',
  'PromotionRule.basis': 'not shown',
  'ReviewAfterSaleInput.decision': 'sent by the 同意 / 拒绝 buttons',
  'ReviewProductInput.decision': 'sent by buttons',
  'InventoryAlert.status': 'the dashboard lists open alerts only',
  'listInventoryAlerts?status': 'the dashboard asks for open alerts only',
  'PriceSchedule.status': 'price schedules have no screen yet',
  'Media.purpose': 'set by the upload, not shown',
  'ReviewScreening.verdict': '评价审核 shows the matches and the hold reason, not the verdict',
  'ApproveReviewInput.part': 'sent by the 通过 button of the review or the 追评 card',
  'RejectReviewInput.part': 'sent by the 驳回 button of the review or the 追评 card',
  'uploadMedia?purpose': 'set by the upload, not shown',
  'listMedia?purpose': 'not shown',
  'Carrier.code': 'carriers are shown by the name the API sends',
  'Dashboard.timezone': 'not shown',
  'TokenPair.tokenType': 'not shown',
  'listAdminProducts?inStock': 'a boolean filter',
  'listAdminProducts?lowStock': 'a boolean filter',
  'listAdminProducts?sort': 'not offered by the console',
  'listMemberTiers?status': 'the tiers page always asks for all',
  'TierPerkLine.key': 'perks are shown by their Chinese title',
  'AdminContent.screenVerdict': 'the content editor shows the matches themselves, not the verdict',
  'ContentScreenMatch.field': 'worded by the content editor as 标题 / 摘要 / 正文',
  'MemberSegment.kind': 'shown by where the segment sits (the four layer cards / the custom segments table)',
};

// ---------------------------------------------------------------------------------------------
// The operations the console calls: every `api.GET('/admin/v1/…')`-style literal in src/.

function sourceText(dir: string): string {
  return readdirSync(dir)
    .map((f) => path.join(dir, f))
    .map((p) => (statSync(p).isDirectory() ? sourceText(p) : /\.tsx?$/.test(p) ? readFileSync(p, 'utf8') : ''))
    .join('\n');
}
const src = sourceText(SRC);
const called = new Set<string>();
for (const m of src.matchAll(/api\.(GET|POST|PUT|PATCH|DELETE)\(\s*'([^']+)'/g)) called.add(`${m[1]!.toLowerCase()} ${m[2]}`);
for (const m of src.matchAll(/api\.raw(?:<[^>]*>)?\(\s*'(\w+)',\s*'([^']+)'/g)) called.add(`${m[1]!.toLowerCase()} ${m[2]}`);

const operations: { method: string; path: string; op: Schema }[] = Object.entries(doc.paths as Record<string, Schema>).flatMap(
  ([p, item]) =>
    Object.entries(item)
      .filter(([, op]) => op && typeof op === 'object' && op.operationId)
      .map(([method, op]) => ({ method, path: p, op })),
);

/** Every enum reachable from the operations' query parameters, request bodies and responses. */
function enumFields(ops: typeof operations): Map<string, Set<string>> {
  const schemas = doc.components.schemas as Record<string, Schema>;
  const found = new Map<string, Set<string>>();
  const visited = new Set<string>();
  const walk = (node: Schema | undefined, owner: string, field: string) => {
    if (!node || typeof node !== 'object') return;
    if (node.$ref) {
      const name = String(node.$ref).split('/').pop()!;
      if (!visited.has(name)) {
        visited.add(name);
        walk(schemas[name], name, '');
      }
      return;
    }
    if (Array.isArray(node.enum) && field) {
      const key = `${owner}.${field}`;
      if (!found.has(key)) found.set(key, new Set());
      for (const v of node.enum) found.get(key)!.add(String(v));
    }
    for (const k of ['allOf', 'anyOf', 'oneOf']) for (const x of node[k] ?? []) walk(x, owner, field);
    if (node.items) walk(node.items, owner, field);
    for (const [k, v] of Object.entries((node.properties ?? {}) as Record<string, Schema>)) walk(v, owner, field ? `${field}.${k}` : k);
  };
  for (const { op } of ops) {
    for (const p of op.parameters ?? []) {
      if (p.in !== 'query' || !Array.isArray(p.schema?.enum)) continue;
      found.set(`${op.operationId}?${p.name}`, new Set(p.schema.enum.map(String)));
    }
    for (const c of Object.values((op.requestBody?.content ?? {}) as Record<string, Schema>)) walk(c.schema, `${op.operationId}<`, '');
    for (const r of Object.values((op.responses ?? {}) as Record<string, Schema>))
      for (const c of Object.values((r.content ?? {}) as Record<string, Schema>)) walk(c.schema, `${op.operationId}>`, '');
  }
  return found;
}

const consoleOps = operations.filter((o) => called.has(`${o.method} ${o.path}`));
const fields = enumFields(consoleOps);
// Fields that are constant flags, not codes ({ ok: true }).
for (const [k, vs] of fields) if ([...vs].every((v) => v === 'true' || v === 'false')) fields.delete(k);
const groupOf = new Map(Object.entries(SHOWN).flatMap(([g, keys]) => keys.map((k) => [k, g as LabelGroup] as const)));

const isLabel = (code: string, text: string | undefined) => typeof text === 'string' && text.trim() !== '' && text !== code;

describe('labels of API codes', () => {
  it("finds the console's operations in the API document", () => {
    expect(called.size).toBeGreaterThan(40);
    const unknown = [...called].filter((c) => !operations.some((o) => `${o.method} ${o.path}` === c));
    expect(unknown, 'console calls that web/client/openapi.json does not have').toEqual([]);
    expect(fields.size).toBeGreaterThan(30);
  });

  it('every enum field the console reads or sends is labelled or listed as not shown', () => {
    const undecided = [...fields].filter(([k]) => !groupOf.has(k) && !(k in NOT_SHOWN)).map(([k, vs]) => `${k} (${[...vs].join(' | ')})`);
    expect(
      undecided,
      'new enum fields: add a label group to LABELS (src/i18n.tsx) and the field to SHOWN, or to NOT_SHOWN with why',
    ).toEqual([]);
  });

  it('every value of those fields has a zh-CN and an English label', () => {
    const missing: string[] = [];
    for (const [key, values] of fields) {
      const group = groupOf.get(key);
      if (!group) continue;
      const table: Record<string, readonly [string, string]> = LABELS[group];
      for (const v of values) {
        const pair = Object.hasOwn(table, v) ? table[v] : undefined;
        if (!pair || !isLabel(v, pair[0]) || !isLabel(v, pair[1])) missing.push(`${group}.${v} (${key})`);
      }
    }
    expect(missing, 'values without a label in LABELS (src/i18n.tsx)').toEqual([]);
  });

  it('every audited admin write has an audit-log label', () => {
    // The audit middleware records each staff write outside /auth/ under its operationId.
    const audited = operations
      .filter((o) => o.path.startsWith('/admin/') && o.method !== 'get' && !o.path.startsWith('/admin/v1/auth/'))
      .map((o) => o.op.operationId as string);
    expect(audited.length).toBeGreaterThan(20);
    const table: Record<string, readonly [string, string]> = LABELS.auditAction;
    expect(
      audited.filter((a) => !Object.hasOwn(table, a)),
      'operationIds without an auditAction label',
    ).toEqual([]);
  });

  it('SHOWN names only fields the API still has', () => {
    const all = enumFields(operations);
    const stale = [...groupOf.keys(), ...Object.keys(NOT_SHOWN)].filter((k) => !all.has(k));
    expect(stale).toEqual([]);
  });

  it('every label is Chinese first, English second, and never the raw code', () => {
    const bad: string[] = [];
    for (const [group, table] of Object.entries(LABELS) as [LabelGroup, Record<string, readonly [string, string]>][])
      for (const [code, [zh, en]] of Object.entries(table)) {
        if (!isLabel(code, zh) || !/[\u4e00-\u9fff]/.test(zh)) bad.push(`${group}.${code} zh "${zh}"`);
        if (!isLabel(code, en) || /[\u4e00-\u9fff]/.test(en)) bad.push(`${group}.${code} en "${en}"`);
      }
    expect(bad).toEqual([]);
  });

  it('labelOf picks the language and shows an unknown code as itself', () => {
    expect(labelOf('zh', 'promoState', 'live')).toBe('进行中');
    expect(labelOf('en', 'promoState', 'upcoming')).toBe('Upcoming');
    expect(labelOf('zh', 'promoState', 'upcoming')).toBe('未开始');
    expect(labelOf('zh', 'orderStatus', 'something_new')).toBe('something_new');
    expect(labelOf('zh', 'orderStatus', 'constructor')).toBe('constructor');
    expect(labelOf('en', 'orderStatus', null)).toBe('—');
  });
});
