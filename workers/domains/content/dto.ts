import { z } from '@hono/zod-openapi';
import { CONTENT_EVENT_KINDS, CONTENT_KINDS, CONTENT_STATUSES, FLAG_STATES, HOME_SECTION_KINDS } from './schema';
import { MEDIA_KEY_PATTERN } from '../media/media.service';
import { pageQuery } from '../../shared/pagination';

const id = z.string().min(4).max(40);

export const ContentKind = z.enum(CONTENT_KINDS).openapi({ description: 'article 文章 · topic 专题 · scene_guide 场景指南' });
export const ContentStatus = z.enum(CONTENT_STATUSES).openapi({
  description: 'draft 草稿 · review 待审核 · approved 已审核 · scheduled 待发布 · published 已发布 · taken_down 已下线',
});
export const FlagState = z.enum(FLAG_STATES).openapi({ description: 'none · flagged 被举报/差评过多 · cleared 已复核' });

const tag = z.string().trim().min(1).max(20);
const mediaKey = z.string().regex(MEDIA_KEY_PATTERN, 'a media key from uploadMedia');

const articleFields = {
  title: z.string().trim().min(1).max(60).openapi({ example: '职场穿搭指南' }),
  summary: z.string().trim().max(200).nullable().optional(),
  coverMediaKey: mediaKey.nullable().optional().openapi({ description: 'cover image (uploadMedia key)' }),
  body: z.string().max(100_000).openapi({ description: 'rich text (HTML); sanitised on the server to an allow-list' }),
  productIds: z.array(id).max(20).optional().openapi({ description: 'products shown as cards with live price and stock' }),
  tags: z.array(tag).max(10).optional(),
  seasonTag: tag.nullable().optional().openapi({ description: '春节, 618, 双11, 开学季…', example: '开学季' }),
  publishAt: z.iso
    .datetime({ offset: true })
    .nullable()
    .optional()
    .openapi({ description: 'when it goes public (set now or by scheduleArticle)' }),
};

export const CreateArticleInput = z
  .object({ kind: ContentKind, ...articleFields, body: articleFields.body.min(1) })
  .openapi('CreateArticleInput');
export type CreateArticleInput = z.infer<typeof CreateArticleInput>;

export const UpdateArticleInput = z
  .object({
    kind: ContentKind.optional(),
    title: articleFields.title.optional(),
    summary: articleFields.summary,
    coverMediaKey: articleFields.coverMediaKey,
    body: articleFields.body.min(1).optional(),
    productIds: articleFields.productIds,
    tags: articleFields.tags,
    seasonTag: articleFields.seasonTag,
    publishAt: articleFields.publishAt,
  })
  .refine((v) => Object.values(v).some((x) => x !== undefined), 'change at least one field')
  .openapi('UpdateArticleInput');
export type UpdateArticleInput = z.infer<typeof UpdateArticleInput>;

export const ReasonInput = z.object({ reason: z.string().trim().min(1).max(200) }).openapi('ContentReasonInput');
export const ScheduleInput = z
  .object({ publishAt: z.iso.datetime({ offset: true }).openapi({ description: 'in the past or now: public at once' }) })
  .openapi('ScheduleArticleInput');

export const ScreenMatchDto = z
  .object({
    term: z.string(),
    category: z.string(),
    severity: z.enum(['block', 'review', 'warn']),
    start: z.number().int(),
    end: z.number().int(),
    hint: z.string().nullable(),
    field: z
      .enum(['title', 'summary', 'body'])
      .openapi({ description: 'where it was found; start/end are offsets in that field (body: its plain text)' }),
  })
  .openapi('ContentScreenMatch');

export const ProductCardSchema = z
  .object({
    productId: z.string(),
    title: z.string(),
    price: z.number().int().openapi({ description: 'lowest SKU price now, fen' }),
    imageUrl: z.string().nullable(),
    onSale: z.boolean().openapi({ description: 'false: shown as 已下架, not buyable' }),
    inStock: z.boolean(),
    label: z.string().nullable().openapi({ description: '已下架 / 已售罄, or null' }),
  })
  .openapi('ContentProductCard');
export type ProductCardDto = z.infer<typeof ProductCardSchema>;

const MetricsSchema = z
  .object({
    views: z.number().int(),
    dwellSeconds: z.number().int(),
    avgDwellSeconds: z.number(),
    clicks: z.number().int(),
    shares: z.number().int(),
    orders: z.number().int(),
    ctr: z.number().openapi({ description: 'clicks / views' }),
  })
  .openapi('ContentMetrics');
export type ContentMetricsDto = z.infer<typeof MetricsSchema>;

export const AdminContentSchema = z
  .object({
    id: z.string(),
    kind: ContentKind,
    title: z.string(),
    summary: z.string().nullable(),
    coverMediaKey: z.string().nullable(),
    coverUrl: z.string().nullable(),
    body: z.string().openapi({ description: 'sanitised HTML' }),
    productIds: z.array(z.string()),
    tags: z.array(z.string()),
    seasonTag: z.string().nullable(),
    status: ContentStatus,
    live: z.boolean().openapi({ description: 'shoppers can see it now (scheduled or published and its time has come)' }),
    publishAt: z.string().nullable(),
    screenVerdict: z.enum(['pass', 'warn', 'review', 'block']).nullable(),
    screenMatches: z.array(ScreenMatchDto),
    rejectReason: z.string().nullable(),
    takedownReason: z.string().nullable(),
    flagState: FlagState,
    flagReason: z.string().nullable(),
    likes: z.number().int(),
    dislikes: z.number().int(),
    reports: z.number().int(),
    metrics: MetricsSchema,
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('AdminContent');
export type AdminContentDto = z.infer<typeof AdminContentSchema>;

export const AdminContentListQuery = z.object({
  status: ContentStatus.optional(),
  kind: ContentKind.optional(),
  flagged: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional()
    .openapi({ description: 'true: only content shoppers flagged' }),
  q: z.string().trim().max(40).optional().openapi({ description: 'part of the title' }),
});
export type AdminContentListQuery = z.infer<typeof AdminContentListQuery>;
export const AdminContentListSchema = z.object({ items: z.array(AdminContentSchema) }).openapi('AdminContentList');

export const StoreArticleSummarySchema = z
  .object({
    id: z.string(),
    kind: ContentKind,
    title: z.string(),
    summary: z.string().nullable(),
    coverUrl: z.string().nullable(),
    tags: z.array(z.string()),
    seasonTag: z.string().nullable(),
    publishedAt: z.string(),
    likes: z.number().int(),
  })
  .openapi('ArticleSummary');
export type StoreArticleSummaryDto = z.infer<typeof StoreArticleSummarySchema>;

export const StoreArticleSchema = StoreArticleSummarySchema.extend({
  body: z.string().openapi({ description: 'sanitised HTML (RichText on the mini-program)' }),
  products: z.array(ProductCardSchema),
  dislikes: z.number().int(),
  myReaction: z.enum(['like', 'dislike']).nullable().openapi({ description: 'the signed-in shopper’s rating' }),
  reportedByMe: z.boolean(),
}).openapi('Article');
export type StoreArticleDto = z.infer<typeof StoreArticleSchema>;

export const ListArticlesQuery = z.object({
  kind: ContentKind.optional(),
  tag: tag.optional().openapi({ description: 'a tag or a season tag' }),
  ...pageQuery,
});
export type ListArticlesQuery = z.infer<typeof ListArticlesQuery>;
export const ArticleListSchema = z
  .object({ items: z.array(StoreArticleSummarySchema), nextCursor: z.string().nullable() })
  .openapi('ArticleList');

export const ReactionInput = z.object({ value: z.enum(['like', 'dislike']) }).openapi('ArticleReactionInput');
export const REPORT_REASONS = ['false_claim', 'ad_spam', 'offensive', 'copied', 'other'] as const;
export const ReportInput = z
  .object({
    reason: z
      .enum(REPORT_REASONS)
      .openapi({ description: 'false_claim 虚假宣传 · ad_spam 广告引流 · offensive 低俗冒犯 · copied 抄袭 · other 其他' }),
    note: z.string().trim().max(200).optional(),
  })
  .openapi('ArticleReportInput');
export const RatingResultSchema = z
  .object({
    likes: z.number().int(),
    dislikes: z.number().int(),
    myReaction: z.enum(['like', 'dislike']).nullable(),
    reportedByMe: z.boolean(),
  })
  .openapi('ArticleRating');

export const ContentEventInput = z
  .object({
    kind: z.enum(CONTENT_EVENT_KINDS).openapi({ description: 'view 浏览 · dwell 停留 (seconds so far) · click 点击商品 · share 分享' }),
    seconds: z.number().int().min(1).max(3600).optional().openapi({ description: 'dwell: seconds on the page so far' }),
    productId: id.optional().openapi({ description: 'click: the product card clicked' }),
    deviceId: z
      .string()
      .regex(/^[\w-]{8,64}$/)
      .optional()
      .openapi({ description: 'signed out: a stable id the client keeps, so a device counts once a day' }),
  })
  .superRefine((v, ctx) => {
    if (v.kind === 'dwell' && v.seconds === undefined) ctx.addIssue({ code: 'custom', path: ['seconds'], message: 'dwell needs seconds' });
    if (v.kind !== 'dwell' && v.seconds !== undefined)
      ctx.addIssue({ code: 'custom', path: ['seconds'], message: 'only dwell takes seconds' });
    if (v.kind === 'click' && !v.productId) ctx.addIssue({ code: 'custom', path: ['productId'], message: 'click needs productId' });
    if (v.kind !== 'click' && v.productId) ctx.addIssue({ code: 'custom', path: ['productId'], message: 'only click takes productId' });
  })
  .openapi('ContentEventInput');
export type ContentEventInput = z.infer<typeof ContentEventInput>;
export const ContentEventResultSchema = z
  .object({ counted: z.boolean().openapi({ description: 'false: already counted today for this shopper/device' }), day: z.string() })
  .openapi('ContentEventResult');

export const CalendarQuery = z.object({
  from: z
    .string()
    .regex(/^\d{4}-\d{2}$/)
    .openapi({ description: 'first month, YYYY-MM (Beijing)', example: '2026-12' }),
  to: z
    .string()
    .regex(/^\d{4}-\d{2}$/)
    .optional()
    .openapi({ description: 'last month (default: from); at most 3 months' }),
});
export const CalendarItemSchema = z
  .object({
    id: z.string(),
    kind: ContentKind,
    title: z.string(),
    status: ContentStatus,
    live: z.boolean(),
    publishAt: z.string(),
    seasonTag: z.string().nullable(),
    flagState: FlagState,
    lowPerformer: z.boolean().openapi({ description: 'CTR well below the median of the last 30 days (after enough views)' }),
    metrics: MetricsSchema,
  })
  .openapi('ContentCalendarItem');
export const CalendarSchema = z
  .object({
    from: z.string(),
    to: z.string(),
    medianCtr: z.number().nullable().openapi({ description: 'median CTR of content with enough views in the last 30 days' }),
    days: z.array(z.object({ day: z.string().openapi({ description: 'Beijing day YYYY-MM-DD' }), items: z.array(CalendarItemSchema) })),
    unscheduled: z.array(CalendarItemSchema.omit({ publishAt: true }).extend({ publishAt: z.string().nullable() })).openapi({
      description: 'prepared but without a publish time (draft/review/approved)',
    }),
  })
  .openapi('ContentCalendar');

// ---- home sections (首页装修) ----

const LinkSchema = z
  .object({
    type: z.enum(['article', 'product', 'articles', 'path']).openapi({
      description:
        'article: one content (target = its id) · product: a product page · articles: the content list (target = a tag or kind, "" for all) · path: a storefront page path',
    }),
    target: z.string().trim().max(200),
  })
  .superRefine((v, ctx) => {
    if (v.type === 'path' && !/^\/pages\/[\w/-]+(\?[\w=&%-]*)?$/.test(v.target))
      ctx.addIssue({ code: 'custom', path: ['target'], message: 'a storefront page path such as /pages/category/index' });
    if ((v.type === 'article' || v.type === 'product') && !/^[\w-]{4,40}$/.test(v.target))
      ctx.addIssue({ code: 'custom', path: ['target'], message: 'an id' });
  })
  .openapi('HomeLink');
export type HomeLink = z.infer<typeof LinkSchema>;

export const BannerPayload = z
  .object({
    slides: z
      .array(z.object({ imageMediaKey: mediaKey, title: z.string().trim().max(40).optional(), link: LinkSchema.nullable().optional() }))
      .min(1)
      .max(10),
  })
  .openapi('HomeBannerPayload');
export const TopicEntryPayload = z
  .object({
    entries: z
      .array(
        z.object({
          title: z.string().trim().min(1).max(20),
          imageMediaKey: mediaKey.nullable().optional(),
          link: LinkSchema,
        }),
      )
      .min(1)
      .max(12),
  })
  .openapi('HomeTopicEntryPayload');
export const ProductRailPayload = z
  .object({ productIds: z.array(id).min(1).max(20), moreLink: LinkSchema.nullable().optional() })
  .openapi('HomeProductRailPayload');
export const PAYLOADS = { banner: BannerPayload, topic_entry: TopicEntryPayload, product_rail: ProductRailPayload } as const;

const HomeSectionKind = z.enum(HOME_SECTION_KINDS).openapi({ description: 'banner 轮播图 · topic_entry 专题入口 · product_rail 商品栏' });
const when = z.iso.datetime({ offset: true }).nullable().optional();
const sectionCommon = {
  title: z.string().trim().min(1).max(30),
  startsAt: when.openapi({ description: 'shown from (default: at once)' }),
  endsAt: when.openapi({ description: 'shown until (default: for ever)' }),
  enabled: z.boolean().default(true),
};
const endsAfterStart = (v: { startsAt?: string | null; endsAt?: string | null }) =>
  !v.startsAt || !v.endsAt || Date.parse(v.endsAt) > Date.parse(v.startsAt);

export const CreateHomeSectionInput = z
  .discriminatedUnion('kind', [
    z.object({ kind: z.literal('banner'), payload: BannerPayload, ...sectionCommon }),
    z.object({ kind: z.literal('topic_entry'), payload: TopicEntryPayload, ...sectionCommon }),
    z.object({ kind: z.literal('product_rail'), payload: ProductRailPayload, ...sectionCommon }),
  ])
  .refine(endsAfterStart, { path: ['endsAt'], message: 'endsAt must be after startsAt' })
  .openapi('CreateHomeSectionInput');
export type CreateHomeSectionInput = z.infer<typeof CreateHomeSectionInput>;

export const UpdateHomeSectionInput = z
  .object({
    title: sectionCommon.title.optional(),
    payload: z
      .record(z.string(), z.unknown())
      .optional()
      .openapi({ description: 'the payload of the section’s kind (checked against it)' }),
    startsAt: when,
    endsAt: when,
    enabled: z.boolean().optional(),
  })
  .refine((v) => Object.values(v).some((x) => x !== undefined), 'change at least one field')
  .openapi('UpdateHomeSectionInput');
export type UpdateHomeSectionInput = z.infer<typeof UpdateHomeSectionInput>;

export const ReorderHomeSectionsInput = z
  .object({ ids: z.array(id).min(1).max(100).openapi({ description: 'every section id, in the new order' }) })
  .refine((v) => new Set(v.ids).size === v.ids.length, { path: ['ids'], message: 'an id appears twice' })
  .openapi('ReorderHomeSectionsInput');

export const AdminHomeSectionSchema = z
  .object({
    id: z.string(),
    kind: HomeSectionKind,
    title: z.string(),
    position: z.number().int(),
    payload: z.record(z.string(), z.unknown()),
    startsAt: z.string().nullable(),
    endsAt: z.string().nullable(),
    enabled: z.boolean(),
    showingNow: z.boolean().openapi({ description: 'enabled and within its schedule now' }),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('AdminHomeSection');
export type AdminHomeSectionDto = z.infer<typeof AdminHomeSectionSchema>;
export const AdminHomeSectionListSchema = z.object({ items: z.array(AdminHomeSectionSchema) }).openapi('AdminHomeSectionList');

const StoreLink = z.object({ type: z.enum(['article', 'product', 'articles', 'path']), target: z.string() }).openapi('StoreHomeLink');
export const StoreHomeSectionSchema = z
  .object({
    id: z.string(),
    kind: HomeSectionKind,
    title: z.string(),
    slides: z.array(z.object({ imageUrl: z.string(), title: z.string().nullable(), link: StoreLink.nullable() })).optional(),
    entries: z.array(z.object({ title: z.string(), imageUrl: z.string().nullable(), link: StoreLink })).optional(),
    products: z.array(ProductCardSchema).optional().openapi({ description: 'product_rail: on-sale products only, live price' }),
    moreLink: StoreLink.nullable().optional(),
  })
  .openapi('HomeSection');
export type StoreHomeSectionDto = z.infer<typeof StoreHomeSectionSchema>;
export const StoreHomeSectionsSchema = z.object({ items: z.array(StoreHomeSectionSchema) }).openapi('HomeSections');
