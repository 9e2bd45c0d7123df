// Operator segments (自定义分群) and the console's view of all segments: sizes, trends,
// members, CSV export. Membership itself is in membership.ts.
import { asc, eq, gte, inArray } from 'drizzle-orm';
import type { Ctx } from '../../../shared/context';
import { addDays, shanghaiDay } from '../../../shared/calendar';
import { batchFailure, D1_IN_CHUNK, inChunks, iso } from '../../../shared/db';
import { badRequest, conflict, notFound } from '../../../shared/errors';
import { newId } from '../../../shared/ids';
import { fenToYuan } from '../../../shared/money';
import { decodeCursor, encodeCursor } from '../../../shared/pagination';
import { getNicknames } from '../../users/users.service';
import type { MemberSegmentDto, SegmentMemberDto, SegmentRulesInput } from './dto';
import { LAYER_NAMES, layerSegmentId } from './layers';
import { countInRules, layerSizes, resolveSegment } from './membership';
import { latestRun } from './nightly';
import { rulesWhere } from './rules';
import { LAYERS, memberSegments, memberTags, memberUserTags, segmentSizes, type SegmentRules } from './schema';

const TREND_DAYS = 90;
const EXPORT_MAX_ROWS = 20_000;

/** API rules (ISO times) → stored rules (epoch ms). */
export function rulesFromInput(r: SegmentRulesInput): SegmentRules {
  const { lastOrderBefore, lastOrderAfter, ...rest } = r;
  const out: SegmentRules = { ...rest };
  if (lastOrderBefore) out.lastOrderBefore = Date.parse(lastOrderBefore);
  if (lastOrderAfter) out.lastOrderAfter = Date.parse(lastOrderAfter);
  return out;
}

/** Stored rules → API rules. */
export function rulesToDto(r: SegmentRules): SegmentRulesInput {
  const { lastOrderBefore, lastOrderAfter, ...rest } = r;
  return {
    ...rest,
    ...(lastOrderBefore !== undefined ? { lastOrderBefore: iso(lastOrderBefore)! } : {}),
    ...(lastOrderAfter !== undefined ? { lastOrderAfter: iso(lastOrderAfter)! } : {}),
  };
}

const LAYER_DESCRIPTIONS = {
  new: '注册不久、最多下过一单的新顾客',
  active: '近期有下单的顾客',
  dormant: '一段时间没有下单（进入时可获专属回归礼包）',
  lost: '很久没有下单的顾客',
} as const;

/** listSegments: the four layers and the operator segments, with their size now and the last 90 days' trend. */
export async function listSegments(ctx: Ctx): Promise<{ items: MemberSegmentDto[]; lastRun: unknown }> {
  const [sizes, custom, run] = await Promise.all([
    layerSizes(ctx),
    ctx.db.select().from(memberSegments).orderBy(asc(memberSegments.createdAt)),
    latestRun(ctx),
  ]);
  const from = addDays(shanghaiDay(ctx.now), -(TREND_DAYS - 1));
  const trendRows = await ctx.db.select().from(segmentSizes).where(gte(segmentSizes.day, from)).orderBy(asc(segmentSizes.day));
  const trendOf = (id: string) => trendRows.filter((r) => r.segmentId === id).map((r) => ({ day: r.day, size: r.size }));
  const items: MemberSegmentDto[] = LAYERS.map((l) => ({
    id: layerSegmentId(l),
    kind: 'layer' as const,
    name: LAYER_NAMES[l],
    description: LAYER_DESCRIPTIONS[l],
    rules: { layers: [l] },
    size: sizes[l],
    trend: trendOf(layerSegmentId(l)),
    createdAt: null,
  }));
  for (const c of custom)
    items.push({
      id: c.id,
      kind: 'custom',
      name: c.name,
      description: c.description,
      rules: rulesToDto(c.rules),
      size: await countInRules(ctx, c.rules),
      trend: trendOf(c.id),
      createdAt: iso(c.createdAt),
    });
  const lastRun = run
    ? { day: run.day, phase: run.phase, processed: run.processed, changes: run.changes, finishedAt: iso(run.finishedAt) }
    : null;
  return { items, lastRun };
}

async function customRow(ctx: Ctx, segmentId: string) {
  const [row] = await ctx.db.select().from(memberSegments).where(eq(memberSegments.id, segmentId)).limit(1);
  if (!row) throw notFound('members.segment_not_found', `segment ${segmentId}`);
  return row;
}

async function toDto(ctx: Ctx, row: typeof memberSegments.$inferSelect): Promise<MemberSegmentDto> {
  return {
    id: row.id,
    kind: 'custom',
    name: row.name,
    description: row.description,
    rules: rulesToDto(row.rules),
    size: await countInRules(ctx, row.rules),
    trend: [],
    createdAt: iso(row.createdAt),
  };
}

const nameTaken = (name: string) => conflict('members.segment_name_taken', `a segment named “${name}” already exists`);

/** createMemberSegment: a named rule set; its size is counted at once and recorded nightly. */
export async function createSegment(ctx: Ctx, input: { name: string; description: string; rules: SegmentRulesInput }) {
  await checkTags(ctx, input.rules);
  const row = {
    id: newId('seg'),
    name: input.name,
    description: input.description,
    rules: rulesFromInput(input.rules),
    createdBy: ctx.actor.kind === 'staff' ? ctx.actor.staffId : 'system',
    createdAt: ctx.now,
    updatedAt: ctx.now,
  };
  try {
    await ctx.db.insert(memberSegments).values(row);
  } catch (e) {
    if (batchFailure(e) === 'unique') throw nameTaken(input.name);
    throw e;
  }
  return toDto(ctx, row);
}

/** updateMemberSegment: rename or change the rules; campaigns targeting it follow the new rules. */
export async function updateSegment(
  ctx: Ctx,
  segmentId: string,
  input: { name?: string; description?: string; rules?: SegmentRulesInput },
) {
  await customRow(ctx, segmentId);
  if (input.rules) await checkTags(ctx, input.rules);
  const set: Partial<typeof memberSegments.$inferInsert> = { updatedAt: ctx.now };
  if (input.name !== undefined) set.name = input.name;
  if (input.description !== undefined) set.description = input.description;
  if (input.rules !== undefined) set.rules = rulesFromInput(input.rules);
  try {
    await ctx.db.update(memberSegments).set(set).where(eq(memberSegments.id, segmentId));
  } catch (e) {
    if (batchFailure(e) === 'unique') throw nameTaken(input.name!);
    throw e;
  }
  return toDto(ctx, await customRow(ctx, segmentId));
}

/** deleteMemberSegment: campaigns still naming it then reach nobody. */
export async function deleteSegment(ctx: Ctx, segmentId: string): Promise<void> {
  await customRow(ctx, segmentId);
  await ctx.db.delete(memberSegments).where(eq(memberSegments.id, segmentId));
}

/** previewSegment: how many shoppers rules match now, and a sample of ten (the biggest spenders). */
export async function previewSegment(ctx: Ctx, rules: SegmentRulesInput) {
  await checkTags(ctx, rules);
  const r = rulesFromInput(rules);
  const [size, sample] = await Promise.all([countInRules(ctx, r), membersPage(ctx, r, null, 10)]);
  return { size, sample: sample.items };
}

async function segmentRules(ctx: Ctx, segmentId: string): Promise<SegmentRules> {
  const seg = await resolveSegment(ctx, segmentId);
  if (!seg) throw notFound('members.segment_not_found', `segment ${segmentId}`);
  return seg.rules;
}

/** listSegmentMembers: biggest spenders first (keyset on spend, user id). */
export async function listSegmentMembers(ctx: Ctx, segmentId: string, q: { limit: number; cursor?: string }) {
  return membersPage(ctx, await segmentRules(ctx, segmentId), decodeCursor(q.cursor), q.limit);
}

type ProfileSqlRow = {
  userId: string;
  layer: SegmentMemberDto['layer'];
  layerSince: number;
  orderCount: number;
  spend: number;
  lastOrderAt: number | null;
  registeredAt: number;
  city: string | null;
  tierId: string | null;
};

async function membersPage(ctx: Ctx, rules: SegmentRules, cur: { v: string | number | null; id: string } | null, limit: number) {
  const w = rulesWhere(rules);
  const after = cur ? ' AND (p.spend < ? OR (p.spend = ? AND p.user_id > ?))' : '';
  const { results } = await ctx.env.DB.prepare(
    `SELECT p.user_id AS userId, p.layer, p.layer_since AS layerSince, p.order_count AS orderCount, p.spend,
            p.last_order_at AS lastOrderAt, p.registered_at AS registeredAt, p.city, p.tier_id AS tierId
       FROM member_profiles p WHERE ${w.sql}${after} ORDER BY p.spend DESC, p.user_id ASC LIMIT ?`,
  )
    .bind(...w.params, ...(cur ? [Number(cur.v), Number(cur.v), cur.id] : []), limit + 1)
    .all<ProfileSqlRow>();
  const more = results.length > limit;
  const rows = more ? results.slice(0, limit) : results;
  const items = await withNamesAndTags(ctx, rows);
  const last = rows[rows.length - 1];
  return { items, nextCursor: more && last ? encodeCursor({ v: last.spend, id: last.userId }) : null };
}

async function withNamesAndTags(ctx: Ctx, rows: ProfileSqlRow[]): Promise<SegmentMemberDto[]> {
  const ids = rows.map((r) => r.userId);
  const [names, tags] = await Promise.all([getNicknames(ctx, ids), tagsOf(ctx, ids)]);
  return rows.map((r) => ({
    userId: r.userId,
    nickname: names.get(r.userId) ?? '',
    layer: r.layer,
    layerSince: iso(r.layerSince)!,
    orderCount: r.orderCount,
    spend: r.spend,
    lastOrderAt: iso(r.lastOrderAt),
    registeredAt: iso(r.registeredAt)!,
    city: r.city,
    tierId: r.tierId,
    tags: tags.get(r.userId) ?? [],
  }));
}

/** Tags of the given shoppers. */
export async function tagsOf(ctx: Ctx, userIds: string[]): Promise<Map<string, { id: string; name: string }[]>> {
  const rows = await inChunks(userIds, D1_IN_CHUNK, (part) =>
    ctx.db
      .select({ userId: memberUserTags.userId, id: memberTags.id, name: memberTags.name })
      .from(memberUserTags)
      .innerJoin(memberTags, eq(memberTags.id, memberUserTags.tagId))
      .where(inArray(memberUserTags.userId, part)),
  );
  const out = new Map<string, { id: string; name: string }[]>();
  for (const r of rows) out.set(r.userId, [...(out.get(r.userId) ?? []), { id: r.id, name: r.name }]);
  return out;
}

const csvCell = (v: string | number | null) => {
  const s = v == null ? '' : String(v);
  // Quote every cell and neutralise formulas so a spreadsheet never executes shopper data (nicknames).
  const safe = /^[=+\-@]/.test(s) ? `'${s}` : s;
  return `"${safe.replace(/"/g, '""')}"`;
};

/** exportSegmentMembers: the segment's shoppers as CSV (UTF-8 with BOM for Excel), at most 20 000 rows. No phone numbers. */
export async function exportSegmentCsv(ctx: Ctx, segmentId: string): Promise<string> {
  const rules = await segmentRules(ctx, segmentId);
  const header = ['用户ID', '昵称', '分层', '进入分层时间', '下单数', '累计消费(元)', '最近下单', '注册时间', '城市', '等级', '标签'];
  const lines = [header.map(csvCell).join(',')];
  let cur: { v: number; id: string } | null = null;
  let n = 0;
  do {
    const page = await membersPage(ctx, rules, cur, 100);
    for (const m of page.items)
      lines.push(
        [
          m.userId,
          m.nickname,
          LAYER_NAMES[m.layer],
          m.layerSince,
          m.orderCount,
          fenToYuan(m.spend),
          m.lastOrderAt,
          m.registeredAt,
          m.city,
          m.tierId,
          m.tags.map((t) => t.name).join('|'),
        ]
          .map(csvCell)
          .join(','),
      );
    n += page.items.length;
    const last = page.items[page.items.length - 1];
    cur = page.nextCursor && last ? { v: last.spend, id: last.userId } : null;
  } while (cur && n < EXPORT_MAX_ROWS);
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

/** Rules may only name tags that exist: a typo would silently match nobody. */
async function checkTags(ctx: Ctx, rules: SegmentRulesInput): Promise<void> {
  const tagIds = rules.tagIds ?? [];
  if (!tagIds.length) return;
  const rows = await ctx.db.select({ id: memberTags.id }).from(memberTags).where(inArray(memberTags.id, tagIds));
  const known = new Set(rows.map((r) => r.id));
  const unknown = tagIds.filter((t) => !known.has(t));
  if (unknown.length) throw badRequest('members.tag_not_found', `unknown tag ${unknown.join(', ')}`, { tagIds: unknown });
}
