import { and, asc, desc, eq, gt, inArray, lt, or, sql } from 'drizzle-orm';
import { decodeCursor, toPage } from '../../shared/pagination';
import { merchantScope } from '../catalog/access';
import { type Ctx, shopperIdOrNull } from '../../shared/context';
import { AppError, badRequest, conflict, notFound } from '../../shared/errors';
import { newId } from '../../shared/ids';
import { callObject } from '../../shared/durable';
import { batchFailure, iso, stmt } from '../../shared/db';
import { windowCondition, windowState, type WindowState } from '../../shared/schedule';
import { getSkuSnapshots, type SkuSnapshot } from '../catalog/sku-snapshots.service';
import { stockChangeStatements } from '../catalog/stock.service';
import { assertCanWriteMerchant } from '../catalog/access';
import { stockChangedHere } from '../catalog/cache-versions';
import { getNicknames } from '../users/users.service';
import { skuStockStub, type SkuStock } from '../../../durable-objects/sku-stock';
import type { DealSnapshot, SeatOutcome } from '../../../durable-objects/group-buy-book';
import type { DealConfig, Team } from './rules';
import { groupBuyDeals, groupBuyTeams } from './schema';
import type { CreateGroupBuyInput, TeamSchema } from './dto';
import type { z } from '@hono/zod-openapi';

export type DealRow = typeof groupBuyDeals.$inferSelect;
export type TeamRow = typeof groupBuyTeams.$inferSelect;
type Stub = DurableObjectStub<SkuStock>;

/** The DO holds an unpaid seat this much longer than its order may be paid (a late notification still finds it). */
const SEAT_GRACE_MS = 2 * 60_000;

/** The DO-side config of a D1 deal (the DO holds a seat a grace period longer than its order may be paid). */
export const configOf = (d: DealRow): DealConfig => ({
  dealId: d.id,
  allocated: d.allocated,
  groupSize: d.groupSize,
  teamTimeLimitMs: d.teamTimeLimitMs,
  seatTtlMs: d.seatTtlMs + SEAT_GRACE_MS,
  perShopperLimit: d.perShopperLimit,
  autoFill: d.autoFill,
  startsAt: d.startsAt,
  endsAt: d.endsAt,
});

function toDto(d: DealRow, now: number, sku: SkuSnapshot | undefined, snap: DealSnapshot | null) {
  return {
    id: d.id,
    skuId: d.skuId,
    productId: d.productId,
    merchantId: d.merchantId,
    title: sku?.title ?? '',
    imageUrl: sku?.imageUrl ?? null,
    originalPrice: sku?.price ?? d.groupPrice,
    groupPrice: d.groupPrice,
    leaderPrice: d.leaderPrice,
    groupSize: d.groupSize,
    timeLimitMinutes: Math.round(d.teamTimeLimitMs / 60_000),
    allocated: d.allocated,
    remaining: snap?.remaining ?? null,
    perShopperLimit: d.perShopperLimit,
    autoFill: d.autoFill,
    startsAt: iso(d.startsAt)!,
    endsAt: iso(d.endsAt)!,
    state: windowState(d, now),
    teams: snap?.teams ?? null,
  };
}

async function snapshotOf(ctx: Ctx, d: DealRow): Promise<DealSnapshot | null> {
  try {
    const stub = skuStockStub(ctx.env, d.skuId);
    const snap = await stub.groupBuySnapshot(d.id);
    if (snap) return snap;
    await stub.configureGroupBuy(configOf(d));
    return await stub.groupBuySnapshot(d.id);
  } catch (e) {
    ctx.log.error('group-buy snapshot failed', { dealId: d.id, err: String(e) });
    return null;
  }
}

/**
 * createGroupBuy (admin/operator): moves `allocated` units out of the SKU's normal stock and the
 * deal row into D1 in one batch (stock CHECK guards it; ledger ref gb:<dealId>), then registers
 * the pool with the SKU's Durable Object (lazily again on first use if that call fails).
 */
export async function createGroupBuy(ctx: Ctx, input: CreateGroupBuyInput) {
  const sku = (await getSkuSnapshots(ctx, [input.skuId])).get(input.skuId);
  if (!sku) throw notFound('group_buys.sku_not_found', `SKU ${input.skuId}`);
  assertCanWriteMerchant(ctx, sku.merchantId);
  if (!sku.sellable) throw conflict('group_buys.sku_not_sellable', 'the SKU is not on sale');
  const startsAt = Date.parse(input.startsAt);
  const endsAt = Date.parse(input.endsAt);
  if (endsAt <= ctx.now) throw badRequest('group_buys.already_ended', 'endsAt must be in the future');
  if (input.groupPrice > sku.price)
    throw badRequest('group_buys.price_above_list', `groupPrice must not exceed the list price ${sku.price}`);
  if (input.allocated > sku.stock)
    throw conflict('group_buys.insufficient_stock', `only ${sku.stock} units in stock`, { stock: sku.stock, requested: input.allocated });
  const row: DealRow = {
    id: newId('gbd'),
    skuId: sku.skuId,
    productId: sku.productId,
    merchantId: sku.merchantId,
    groupPrice: input.groupPrice,
    leaderPrice: input.leaderPrice ?? null,
    groupSize: input.groupSize,
    teamTimeLimitMs: input.timeLimitMinutes * 60_000,
    seatTtlMs: input.paymentMinutes * 60_000,
    allocated: input.allocated,
    perShopperLimit: input.perShopperLimit,
    autoFill: input.autoFill,
    startsAt,
    endsAt,
    status: 'active',
    returnedUnits: null,
    returnedAt: null,
    createdAt: ctx.now,
  };
  try {
    await ctx.env.DB.batch([
      stmt(ctx.env.DB, ctx.db.insert(groupBuyDeals).values(row)),
      ...stockChangeStatements(ctx, {
        skuId: sku.skuId,
        productId: sku.productId,
        change: { delta: -row.allocated },
        reason: 'adjust',
        note: `group buy ${row.id}: ${row.allocated} units moved to the deal`,
        ref: `gb:${row.id}`,
      }),
    ]);
  } catch (e) {
    if (batchFailure(e) === 'check')
      throw conflict('group_buys.insufficient_stock', 'not enough stock for the allocation', { requested: row.allocated });
    throw e;
  }
  // the units left the SKU's normal stock: this isolate's product page shows it at once, others within 1 s
  stockChangedHere([sku.productId]);
  return toDto(row, ctx.now, sku, await snapshotOf(ctx, row));
}

/** listGroupBuys: live and upcoming deals, soonest first, with remaining units and team counts. */
export async function listGroupBuys(ctx: Ctx) {
  const rows = await ctx.db
    .select()
    .from(groupBuyDeals)
    .where(and(eq(groupBuyDeals.status, 'active'), gt(groupBuyDeals.endsAt, ctx.now)))
    .orderBy(asc(groupBuyDeals.startsAt), asc(groupBuyDeals.id))
    .limit(50);
  const [snaps, skus] = await Promise.all([
    Promise.all(rows.map((r) => snapshotOf(ctx, r))),
    getSkuSnapshots(
      ctx,
      rows.map((r) => r.skuId),
    ),
  ]);
  return { serverTime: iso(ctx.now)!, items: rows.map((r, i) => toDto(r, ctx.now, skus.get(r.skuId), snaps[i] ?? null)) };
}

export async function getDealRow(ctx: Ctx, dealId: string): Promise<DealRow> {
  const [d] = await ctx.db.select().from(groupBuyDeals).where(eq(groupBuyDeals.id, dealId)).limit(1);
  if (!d || d.status !== 'active') throw notFound('group_buys.deal_not_found', `group buy ${dealId}`);
  return d;
}

export async function getTeamRow(ctx: Ctx, teamId: string): Promise<TeamRow> {
  const [t] = await ctx.db.select().from(groupBuyTeams).where(eq(groupBuyTeams.id, teamId)).limit(1);
  if (!t) throw notFound('group_buys.team_not_found', `team ${teamId}`);
  return t;
}

const REFUSALS: Record<string, { status: 409 | 404; message: string }> = {
  not_started: { status: 409, message: 'the group buy has not started yet' },
  ended: { status: 409, message: 'the group buy has ended' },
  sold_out: { status: 409, message: 'sold out' },
  limit_reached: { status: 409, message: 'you have reached the limit for this group buy' },
  unknown_team: { status: 404, message: 'team not found' },
  team_not_open: { status: 409, message: 'this team is not open for joining' },
  team_expired: { status: 409, message: 'this team ran out of time' },
  team_full: { status: 409, message: 'this team is full' },
  already_in_team: { status: 409, message: 'you are already in this team' },
};

/**
 * Takes a seat in the SKU's DO — a new team as its leader, or a seat in an existing team —
 * configuring the deal there from D1 if it never was. Refusals become 4xx AppErrors.
 */
export async function takeSeat(ctx: Ctx, deal: DealRow, req: { shopperId: string; idempotencyKey: string; teamId?: string }) {
  const stub: Stub = skuStockStub(ctx.env, deal.skuId);
  const call = () =>
    callObject<SeatOutcome>('group_buys', () =>
      req.teamId
        ? stub.joinGroupBuyTeam({ teamId: req.teamId, shopperId: req.shopperId, idempotencyKey: req.idempotencyKey, now: ctx.now })
        : stub.openGroupBuyTeam({ dealId: deal.id, shopperId: req.shopperId, idempotencyKey: req.idempotencyKey, now: ctx.now }),
    );
  let out: SeatOutcome = await call();
  if (!out.ok && out.reason === 'unknown_deal') {
    await stub.configureGroupBuy(configOf(deal));
    out = await call();
  }
  if (!out.ok) {
    const r = REFUSALS[out.reason];
    if (!r) throw new AppError('group_buys.unavailable', 503, `stock service refused: ${out.reason}`);
    const { reason, ...details } = out;
    throw new AppError(`group_buys.${reason}`, r.status, r.message, Object.keys(details).length ? details : undefined);
  }
  return out;
}

export async function releaseSeat(ctx: Ctx, skuId: string, seatId: string) {
  return skuStockStub(ctx.env, skuId).releaseGroupBuySeat(seatId);
}

export async function confirmSeat(ctx: Ctx, skuId: string, seatId: string) {
  return skuStockStub(ctx.env, skuId).confirmGroupBuySeat(seatId);
}

/**
 * D1's view of a team follows the DO: insert it, or move it forward (forming → open → final).
 * An out-of-order older update never moves a final team back.
 */
export function teamMirrorStatement(ctx: Ctx, team: Team, skuId: string): D1PreparedStatement {
  return ctx.env.DB.prepare(
    `INSERT INTO group_buy_teams (id, deal_id, sku_id, leader_id, size, status, expires_at, created_at, updated_at)
     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
     ON CONFLICT (id) DO UPDATE SET status = excluded.status, expires_at = excluded.expires_at, updated_at = excluded.updated_at
     WHERE group_buy_teams.status NOT IN ('succeeded', 'failed', 'void') AND NOT (group_buy_teams.status = 'open' AND excluded.status = 'forming')`,
  ).bind(team.id, team.dealId, skuId, team.leaderId, team.size, team.status, team.expiresAt, team.createdAt, ctx.now);
}

/** Marks a team final in D1 by id (used by queue consumers that only know the id). */
export function teamFinalStatement(ctx: Ctx, teamId: string, status: 'succeeded' | 'failed'): D1PreparedStatement {
  return stmt(
    ctx.env.DB,
    ctx.db
      .update(groupBuyTeams)
      .set({ status, updatedAt: ctx.now })
      .where(and(eq(groupBuyTeams.id, teamId), sql`${groupBuyTeams.status} NOT IN ('succeeded', 'failed', 'void')`)),
  );
}

/**
 * getGroupBuyTeam: the team as the DO sees it, with members' display names (no ids), the deal and
 * a share card for the mini-program. Public: anyone with the link may look before joining.
 */
export async function getTeamView(ctx: Ctx, teamId: string): Promise<z.infer<typeof TeamSchema>> {
  const row = await getTeamRow(ctx, teamId);
  const [deal] = await ctx.db.select().from(groupBuyDeals).where(eq(groupBuyDeals.id, row.dealId)).limit(1);
  const view = await skuStockStub(ctx.env, row.skuId).groupBuyTeam(teamId);
  if (!view || !deal) throw notFound('group_buys.team_not_found', `team ${teamId}`);
  const sku = (await getSkuSnapshots(ctx, [deal.skuId])).get(deal.skuId);
  const real = view.seats.filter((s) => s.status === 'pending' || s.status === 'paid' || s.status === 'refunding' || s.role === 'virtual');
  const names = await getNicknames(ctx, real.map((s) => s.shopperId).filter(Boolean));
  const me = shopperIdOrNull(ctx);
  const paidCount = real.filter((s) => s.status === 'paid' || s.role === 'virtual').length;
  const title = sku?.title ?? '';
  const left = view.team.size - paidCount;
  const progress =
    view.team.status === 'succeeded' ? '已成团' : view.team.status === 'failed' ? '拼团失败，已退款' : `还差${Math.max(0, left)}人成团`;
  return {
    id: view.team.id,
    dealId: view.team.dealId,
    status: view.team.status,
    size: view.team.size,
    paidCount,
    seatsLeft: view.seatsLeft,
    expiresAt: iso(view.team.expiresAt),
    members: real.map((s) => ({
      role: s.role,
      name: s.role === 'virtual' ? '拼团用户' : maskName(names.get(s.shopperId) ?? '微信用户'),
      paid: s.status === 'paid' || s.role === 'virtual',
      you: s.shopperId !== '' && s.shopperId === me,
    })),
    deal: {
      title,
      imageUrl: sku?.imageUrl ?? null,
      groupPrice: deal.groupPrice,
      originalPrice: sku?.price ?? deal.groupPrice,
      groupSize: deal.groupSize,
    },
    shareCard: {
      title:
        view.team.status === 'open'
          ? `【还差${Math.max(0, left)}人】¥${(deal.groupPrice / 100).toFixed(2)} 拼 ${title}`
          : `¥${(deal.groupPrice / 100).toFixed(2)} 拼 ${title}`,
      imageUrl: sku?.imageUrl ?? null,
      path: `/pages/team/index?id=${view.team.id}`,
      progress,
    },
    serverTime: iso(ctx.now)!,
  };
}

/** Names shown to strangers keep the first character only (张**). */
const maskName = (n: string) => (n.length <= 1 ? `${n}*` : `${[...n][0]}${'*'.repeat(Math.min(2, [...n].length - 1))}`);

/** Open teams of a deal that a shopper could join (for the deal page's "join a team" list). */
export async function listOpenTeams(ctx: Ctx, dealId: string) {
  return ctx.db
    .select()
    .from(groupBuyTeams)
    .where(and(eq(groupBuyTeams.dealId, dealId), inArray(groupBuyTeams.status, ['open']), gt(groupBuyTeams.expiresAt, ctx.now)))
    .orderBy(asc(groupBuyTeams.expiresAt))
    .limit(20);
}

/**
 * listAdminGroupBuys (console): every deal, ended and cancelled ones included, latest start first,
 * with remaining units and team counts from the SKU's DO. Merchant staff see their own deals only.
 */
export async function listAdminGroupBuys(
  ctx: Ctx,
  q: { state?: WindowState; status?: 'active' | 'cancelled'; limit: number; cursor?: string },
) {
  const merchantId = merchantScope(ctx);
  const cur = decodeCursor(q.cursor);
  const rows = await ctx.db
    .select()
    .from(groupBuyDeals)
    .where(
      and(
        merchantId ? eq(groupBuyDeals.merchantId, merchantId) : undefined,
        q.status ? eq(groupBuyDeals.status, q.status) : undefined,
        q.state ? windowCondition(groupBuyDeals, q.state, ctx.now) : undefined,
        cur
          ? or(lt(groupBuyDeals.startsAt, Number(cur.v)), and(eq(groupBuyDeals.startsAt, Number(cur.v)), lt(groupBuyDeals.id, cur.id)))
          : undefined,
      ),
    )
    .orderBy(desc(groupBuyDeals.startsAt), desc(groupBuyDeals.id))
    .limit(q.limit + 1);
  const page = toPage(rows, q.limit, (r) => ({ v: r.startsAt, id: r.id }));
  const [snaps, skus] = await Promise.all([
    Promise.all(
      page.items.map(async (r) => {
        if (r.status === 'active' && r.endsAt > ctx.now) return snapshotOf(ctx, r);
        try {
          return await skuStockStub(ctx.env, r.skuId).groupBuySnapshot(r.id);
        } catch {
          return null;
        }
      }),
    ),
    getSkuSnapshots(
      ctx,
      page.items.map((r) => r.skuId),
    ),
  ]);
  return {
    serverTime: iso(ctx.now)!,
    nextCursor: page.nextCursor,
    items: page.items.map((r, i) => ({ ...toDto(r, ctx.now, skus.get(r.skuId), snaps[i] ?? null), status: r.status })),
  };
}
