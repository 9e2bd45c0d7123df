import { createRoute, z } from '@hono/zod-openapi';
import { bearerSecurity, createRouter, ctxOf, errorResponses, jsonBody, jsonContent } from '../../../shared/http';
import { requireStaff } from '../../auth/middleware';
import {
  CreateSegmentInput,
  CreateTagInput,
  CustomSegmentIdParam,
  MemberSegmentSchema,
  MemberTagListSchema,
  MemberTagSchema,
  SegmentIdParam,
  SegmentListSchema,
  SegmentMembersPage,
  SegmentMembersQuery,
  SegmentPreviewSchema,
  SegmentRulesSchema,
  SegmentRunSchema,
  SegmentSettingsSchema,
  TagIdParam,
  TagUserInput,
  TagUserParam,
  TagUserResult,
  UpdateSegmentInput,
  UpdateSegmentSettingsInput,
  WinBackReportQuery,
  WinBackReportSchema,
} from './dto';
import {
  createSegment,
  deleteSegment,
  exportSegmentCsv,
  listSegmentMembers,
  listSegments,
  previewSegment,
  updateSegment,
} from './segments.service';
import { getSegmentSettings, segmentSettingsOf, updateSegmentSettings } from './settings.service';
import { createTag, deleteTag, listTags, tagUsers, untagUser } from './tags.service';
import { getWinBackReport } from './win-back.service';
import { rerunSegmentationToday } from './nightly';

export const segmentsAdminRoutes = createRouter();

const tags = ['Member segments'];
const security = bearerSecurity;
const read = requireStaff('members.read');
const write = requireStaff('members.write');
const ok = z.object({ ok: z.literal(true) });
const denied = { 401: errorResponses[401], 403: errorResponses[403] };

segmentsAdminRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/member-segments',
    operationId: 'listSegments',
    tags,
    security,
    middleware: read,
    summary: 'The four RFM layers (新客 活跃 沉睡 流失) and the operator segments, each with its size now and its size per day (trend)',
    responses: { 200: jsonContent(SegmentListSchema), ...denied },
  }),
  async (c) => c.json((await listSegments(ctxOf(c))) as z.infer<typeof SegmentListSchema>, 200),
);

segmentsAdminRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/member-segments',
    operationId: 'createMemberSegment',
    tags,
    security,
    middleware: write,
    summary: 'Create an operator segment from rules (tier, spend, order count, last order, city, tags, layer)',
    request: { body: jsonBody(CreateSegmentInput) },
    responses: { 201: jsonContent(MemberSegmentSchema), 400: errorResponses[400], ...denied, 409: errorResponses[409] },
  }),
  async (c) => c.json(await createSegment(ctxOf(c), c.req.valid('json')), 201),
);

segmentsAdminRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/member-segments/preview',
    operationId: 'previewMemberSegment',
    tags,
    security,
    middleware: read,
    summary: 'How many shoppers some rules match now, with a sample of ten',
    request: { body: jsonBody(SegmentRulesSchema) },
    responses: { 200: jsonContent(SegmentPreviewSchema), 400: errorResponses[400], ...denied },
  }),
  async (c) => c.json(await previewSegment(ctxOf(c), c.req.valid('json')), 200),
);

segmentsAdminRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/member-segments/settings',
    operationId: 'getSegmentSettings',
    tags,
    security,
    middleware: read,
    summary: 'Layer thresholds and the win-back pack (专属回归礼包)',
    responses: { 200: jsonContent(SegmentSettingsSchema), ...denied },
  }),
  async (c) => c.json(await getSegmentSettings(ctxOf(c)), 200),
);

segmentsAdminRoutes.openapi(
  createRoute({
    method: 'put',
    path: '/member-segments/settings',
    operationId: 'updateSegmentSettings',
    tags,
    security,
    middleware: write,
    summary: 'Set the layer thresholds and the win-back pack; they apply from the next nightly run',
    request: { body: jsonBody(UpdateSegmentSettingsInput) },
    responses: { 200: jsonContent(SegmentSettingsSchema), 400: errorResponses[400], ...denied },
  }),
  async (c) => c.json(await updateSegmentSettings(ctxOf(c), c.req.valid('json')), 200),
);

segmentsAdminRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/member-segments/run',
    operationId: 'rerunSegmentation',
    tags,
    security,
    middleware: write,
    summary: "Recalculate today's layers now (after changing thresholds); the every-minute cron finishes a large shop",
    responses: { 200: jsonContent(SegmentRunSchema), ...denied },
  }),
  async (c) => {
    const r = await rerunSegmentationToday(ctxOf(c));
    return c.json({ ...r, done: r.phase === 'done' }, 200);
  },
);

segmentsAdminRoutes.openapi(
  createRoute({
    method: 'patch',
    path: '/member-segments/{segmentId}',
    operationId: 'updateMemberSegment',
    tags,
    security,
    middleware: write,
    summary: 'Rename an operator segment or change its rules (campaigns targeting it follow)',
    request: { params: CustomSegmentIdParam, body: jsonBody(UpdateSegmentInput) },
    responses: {
      200: jsonContent(MemberSegmentSchema),
      400: errorResponses[400],
      ...denied,
      404: errorResponses[404],
      409: errorResponses[409],
    },
  }),
  async (c) => c.json(await updateSegment(ctxOf(c), c.req.valid('param').segmentId, c.req.valid('json')), 200),
);

segmentsAdminRoutes.openapi(
  createRoute({
    method: 'delete',
    path: '/member-segments/{segmentId}',
    operationId: 'deleteMemberSegment',
    tags,
    security,
    middleware: write,
    summary: 'Delete an operator segment (campaigns still naming it then reach nobody)',
    request: { params: CustomSegmentIdParam },
    responses: { 200: jsonContent(ok), ...denied, 404: errorResponses[404] },
  }),
  async (c) => {
    await deleteSegment(ctxOf(c), c.req.valid('param').segmentId);
    return c.json({ ok: true as const }, 200);
  },
);

segmentsAdminRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/member-segments/{segmentId}/members',
    operationId: 'listSegmentMembers',
    tags,
    security,
    middleware: read,
    summary: "A segment's shoppers, biggest spenders first ('layer:dormant' or 'seg_…')",
    request: { params: SegmentIdParam, query: SegmentMembersQuery },
    responses: { 200: jsonContent(SegmentMembersPage), 400: errorResponses[400], ...denied, 404: errorResponses[404] },
  }),
  async (c) => c.json(await listSegmentMembers(ctxOf(c), c.req.valid('param').segmentId, c.req.valid('query')), 200),
);

segmentsAdminRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/member-segments/{segmentId}/export',
    operationId: 'exportSegmentMembers',
    tags,
    security,
    middleware: read,
    summary: "A segment's shoppers as CSV (UTF-8 with BOM; no phone numbers), at most 20 000 rows",
    request: { params: SegmentIdParam },
    responses: {
      200: { description: 'CSV', content: { 'text/csv': { schema: z.string() } } },
      400: errorResponses[400],
      ...denied,
      404: errorResponses[404],
    },
  }),
  async (c) => {
    const id = c.req.valid('param').segmentId;
    const csv = await exportSegmentCsv(ctxOf(c), id);
    return c.body(csv, 200, {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="segment-${id.replace(/[^\w-]/g, '_')}.csv"`,
    });
  },
);

// ---------- tags ----------

segmentsAdminRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/member-tags',
    operationId: 'listMemberTags',
    tags,
    security,
    middleware: read,
    summary: 'Shopper tags (用户标签) with how many shoppers carry each',
    responses: { 200: jsonContent(MemberTagListSchema), ...denied },
  }),
  async (c) => c.json(await listTags(ctxOf(c)), 200),
);

segmentsAdminRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/member-tags',
    operationId: 'createMemberTag',
    tags,
    security,
    middleware: write,
    summary: 'Create a shopper tag (names are unique)',
    request: { body: jsonBody(CreateTagInput) },
    responses: { 201: jsonContent(MemberTagSchema), 400: errorResponses[400], ...denied, 409: errorResponses[409] },
  }),
  async (c) => c.json(await createTag(ctxOf(c), c.req.valid('json').name), 201),
);

segmentsAdminRoutes.openapi(
  createRoute({
    method: 'delete',
    path: '/member-tags/{tagId}',
    operationId: 'deleteMemberTag',
    tags,
    security,
    middleware: write,
    summary: 'Delete a tag and take it off every shopper',
    request: { params: TagIdParam },
    responses: { 200: jsonContent(ok), ...denied, 404: errorResponses[404] },
  }),
  async (c) => {
    await deleteTag(ctxOf(c), c.req.valid('param').tagId);
    return c.json({ ok: true as const }, 200);
  },
);

segmentsAdminRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/member-tags/{tagId}/members',
    operationId: 'tagMembers',
    tags,
    security,
    middleware: write,
    summary: 'Tag shoppers (idempotent: a shopper already tagged is skipped)',
    request: { params: TagIdParam, body: jsonBody(TagUserInput) },
    responses: { 200: jsonContent(TagUserResult), 400: errorResponses[400], ...denied, 404: errorResponses[404] },
  }),
  async (c) => c.json(await tagUsers(ctxOf(c), c.req.valid('param').tagId, c.req.valid('json').userIds), 200),
);

segmentsAdminRoutes.openapi(
  createRoute({
    method: 'delete',
    path: '/member-tags/{tagId}/members/{userId}',
    operationId: 'untagMember',
    tags,
    security,
    middleware: write,
    summary: 'Take a tag off a shopper',
    request: { params: TagUserParam },
    responses: { 200: jsonContent(ok), ...denied, 404: errorResponses[404] },
  }),
  async (c) => {
    const p = c.req.valid('param');
    await untagUser(ctxOf(c), p.tagId, p.userId);
    return c.json({ ok: true as const }, 200);
  },
);

// ---------- win-back ----------

segmentsAdminRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/win-back/report',
    operationId: 'getWinBackReport',
    tags,
    security,
    middleware: read,
    summary: '专属回归礼包 by week: packs issued, coupons used, shoppers returned, return rate, GMV, cost',
    request: { query: WinBackReportQuery },
    responses: { 200: jsonContent(WinBackReportSchema), 400: errorResponses[400], ...denied },
  }),
  async (c) => {
    const ctx = ctxOf(c);
    const s = await segmentSettingsOf(ctx);
    return c.json(await getWinBackReport(ctx, c.req.valid('query'), s.winBackReturnDays), 200);
  },
);
