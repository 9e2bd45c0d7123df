import { and, asc, count, desc, eq } from 'drizzle-orm';
import type { Actor, Ctx } from '../../shared/context';
import { batchFailure, guard, iso } from '../../shared/db';
import { badRequest, conflict, forbidden, notFound, unauthorized } from '../../shared/errors';
import { newId } from '../../shared/ids';
import { getSkuSnapshots, type SkuSnapshot } from '../catalog/sku-snapshots.service';
import {
  GUEST_CART_PATTERN,
  MAX_CART_LINES,
  MAX_LINE_QUANTITY,
  type AddCartItemInput,
  type CartDto,
  type CartGroupDto,
  type CartLineDto,
  type SelectCartItemsInput,
  type UpdateCartItemInput,
} from './dto';
import { cartItems } from './schema';

type CartRow = typeof cartItems.$inferSelect;

/**
 * Whose cart a request works on: a signed-in shopper's own (user id), else the H5 guest cart
 * named by the X-Guest-Cart header. With a token the header is ignored (merge reads it itself).
 */
export function cartOwnerId(actor: Actor, guestHeader: string | undefined): string {
  if (actor.kind === 'user') return actor.userId;
  if (actor.kind !== 'anonymous') throw forbidden('the cart is for shoppers');
  if (!guestHeader) throw unauthorized('sign in, or send X-Guest-Cart with an id from createGuestCart');
  // The route's zod schema checks this too; repeated so service callers cannot skip it.
  if (!GUEST_CART_PATTERN.test(guestHeader)) throw badRequest('cart.bad_guest_cart', 'X-Guest-Cart is not a guest cart id');
  return guestHeader;
}

/**
 * createGuestCart: a fresh guest cart id. Nothing is stored until the first line is added; the id
 * is 80 random bits, so holding it is what grants access to the cart.
 */
export function createGuestCart(): { guestCartId: string } {
  return { guestCartId: newId('gst') };
}

const lineNotFound = (itemId: string) => notFound('cart.item_not_found', `cart item ${itemId}`);

function insufficientStock(skuId: string, available: number, inCart: number) {
  return conflict('cart.insufficient_stock', `only ${available} left in stock`, { skuId, available, inCart });
}

function quantityLimit(skuId: string, inCart: number) {
  return conflict('cart.quantity_limit', `at most ${MAX_LINE_QUANTITY} of one item per cart`, { skuId, max: MAX_LINE_QUANTITY, inCart });
}

/** The reasons a line may not hold `wanted` pieces of this SKU, as the AppError to throw (null = fine). */
function quantityProblem(snap: SkuSnapshot, wanted: number, inCart: number) {
  if (!snap.sellable) return conflict('cart.sku_unavailable', 'this item is not on sale', { skuId: snap.skuId });
  if (wanted > MAX_LINE_QUANTITY) return quantityLimit(snap.skuId, inCart);
  if (wanted > snap.stock) return insufficientStock(snap.skuId, snap.stock, inCart);
  return null;
}

async function snapshotOf(ctx: Ctx, skuId: string): Promise<SkuSnapshot> {
  const snap = (await getSkuSnapshots(ctx, [skuId])).get(skuId);
  if (!snap) throw notFound('cart.sku_not_found', `sku ${skuId}`);
  return snap;
}

async function lineBySku(ctx: Ctx, ownerId: string, skuId: string): Promise<CartRow | undefined> {
  const [row] = await ctx.db
    .select()
    .from(cartItems)
    .where(and(eq(cartItems.ownerId, ownerId), eq(cartItems.skuId, skuId)))
    .limit(1);
  return row;
}

/** An item of this owner's cart; anyone else's id is simply not found (never 403, never touched). */
async function ownLine(ctx: Ctx, ownerId: string, itemId: string): Promise<CartRow> {
  const [row] = await ctx.db
    .select()
    .from(cartItems)
    .where(and(eq(cartItems.id, itemId), eq(cartItems.ownerId, ownerId)))
    .limit(1);
  if (!row) throw lineNotFound(itemId);
  return row;
}

function toLine(row: CartRow, snap: SkuSnapshot | undefined): CartLineDto {
  // A SKU missing from the catalog altogether is shown as off sale so the shopper can remove it.
  const sellable = snap?.sellable ?? false;
  const stock = Math.max(0, snap?.stock ?? 0);
  const unitPrice = snap?.price ?? row.addedPrice;
  const outOfStock = stock === 0;
  const insufficient = !outOfStock && row.quantity > stock;
  return {
    itemId: row.id,
    skuId: row.skuId,
    productId: row.productId,
    merchantId: snap?.merchantId ?? 'unknown',
    title: snap?.title ?? '',
    specKey: snap?.specKey ?? '',
    specValues: snap?.specValues ?? [],
    imageUrl: snap?.imageUrl ?? null,
    quantity: row.quantity,
    selected: row.selected,
    unitPrice,
    addedPrice: row.addedPrice,
    priceChanged: unitPrice !== row.addedPrice,
    lineTotal: unitPrice * row.quantity,
    stock,
    offSale: !sellable,
    outOfStock,
    insufficientStock: insufficient,
    purchasable: sellable && !outOfStock && !insufficient,
    addedAt: iso(row.createdAt)!,
  };
}

async function ownerRows(ctx: Ctx, ownerId: string): Promise<CartRow[]> {
  return ctx.db.select().from(cartItems).where(eq(cartItems.ownerId, ownerId)).orderBy(desc(cartItems.createdAt), desc(cartItems.id));
}

/** getCart: lines with live price/stock/flags, grouped per merchant, totals over selected purchasable lines. */
export async function getCart(ctx: Ctx, ownerId: string): Promise<CartDto> {
  const rows = await ownerRows(ctx, ownerId);
  const snaps = await getSkuSnapshots(
    ctx,
    rows.map((r) => r.skuId),
  );
  const groups = new Map<string, CartGroupDto>();
  let selectedCount = 0;
  let selectedLineCount = 0;
  let selectedGoodsTotal = 0;
  for (const row of rows) {
    const line = toLine(row, snaps.get(row.skuId));
    let group = groups.get(line.merchantId);
    if (!group) {
      group = { merchantId: line.merchantId, lines: [], selectedCount: 0, selectedGoodsTotal: 0 };
      groups.set(line.merchantId, group);
    }
    group.lines.push(line);
    if (line.selected && line.purchasable) {
      group.selectedCount += line.quantity;
      group.selectedGoodsTotal += line.lineTotal;
      selectedCount += line.quantity;
      selectedLineCount += 1;
      selectedGoodsTotal += line.lineTotal;
    }
  }
  return { groups: [...groups.values()], lineCount: rows.length, selectedCount, selectedLineCount, selectedGoodsTotal };
}

/**
 * addCartItem: adds `quantity` of a sellable SKU; an existing line of the same SKU grows (and is
 * selected again). Refuses unknown (404) and unsellable SKUs, more than stock or 999 per line, and
 * a 101st line (409). The write is one guarded upsert, so concurrent adds cannot pass the caps.
 */
export async function addCartItem(ctx: Ctx, ownerId: string, input: AddCartItemInput): Promise<{ itemId: string }> {
  const snap = await snapshotOf(ctx, input.skuId);
  const existing = await lineBySku(ctx, ownerId, input.skuId);
  const inCart = existing?.quantity ?? 0;
  const problem = quantityProblem(snap, inCart + input.quantity, inCart);
  if (problem) throw problem;
  if (!existing) await assertRoomForLine(ctx, ownerId);

  const limit = Math.min(MAX_LINE_QUANTITY, snap.stock);
  const res = await ctx.env.DB.prepare(
    `INSERT INTO cart_items (id, owner_id, sku_id, product_id, quantity, selected, added_price, created_at, updated_at)
     SELECT ?1, ?2, ?3, ?4, ?5, 1, ?6, ?7, ?7
     WHERE (SELECT count(*) FROM cart_items WHERE owner_id = ?2) < ?9
        OR EXISTS (SELECT 1 FROM cart_items WHERE owner_id = ?2 AND sku_id = ?3)
     ON CONFLICT (owner_id, sku_id) DO UPDATE SET
       quantity = cart_items.quantity + excluded.quantity, selected = 1, updated_at = excluded.updated_at
     WHERE cart_items.quantity + excluded.quantity <= ?8`,
  )
    .bind(newId('cit'), ownerId, snap.skuId, snap.productId, input.quantity, snap.price, ctx.now, limit, MAX_CART_LINES)
    .run();

  const after = await lineBySku(ctx, ownerId, input.skuId);
  if (res.meta.changes === 0 || !after) {
    // Lost a race with another add: say which cap it hit, from the state that won.
    if (!after) throw conflict('cart.too_many_lines', `a cart holds at most ${MAX_CART_LINES} different items`, { max: MAX_CART_LINES });
    const wanted = after.quantity + input.quantity;
    throw wanted > MAX_LINE_QUANTITY
      ? quantityLimit(snap.skuId, after.quantity)
      : insufficientStock(snap.skuId, snap.stock, after.quantity);
  }
  return { itemId: after.id };
}

async function assertRoomForLine(ctx: Ctx, ownerId: string): Promise<void> {
  const [row] = await ctx.db.select({ n: count() }).from(cartItems).where(eq(cartItems.ownerId, ownerId));
  if ((row?.n ?? 0) >= MAX_CART_LINES) {
    throw conflict('cart.too_many_lines', `a cart holds at most ${MAX_CART_LINES} different items`, { max: MAX_CART_LINES });
  }
}

/**
 * updateCartItem: sets the quantity and/or the selected flag of one of the owner's lines. Raising
 * the quantity is checked against live stock and sellability; lowering it is always allowed, so a
 * shopper can fix a line whose stock fell.
 */
export async function updateCartItem(ctx: Ctx, ownerId: string, itemId: string, input: UpdateCartItemInput): Promise<void> {
  const line = await ownLine(ctx, ownerId, itemId);
  if (input.quantity !== undefined && input.quantity > line.quantity) {
    const problem = quantityProblem(await snapshotOf(ctx, line.skuId), input.quantity, line.quantity);
    if (problem) throw problem;
  }
  const set: Partial<typeof cartItems.$inferInsert> = { updatedAt: ctx.now };
  if (input.quantity !== undefined) set.quantity = input.quantity;
  if (input.selected !== undefined) set.selected = input.selected;
  const res = await ctx.db
    .update(cartItems)
    .set(set)
    .where(and(eq(cartItems.id, itemId), eq(cartItems.ownerId, ownerId)))
    .run();
  if (res.meta.changes === 0) throw lineNotFound(itemId);
}

/** removeCartItem: deletes one of the owner's lines (404 for anyone else's). */
export async function removeCartItem(ctx: Ctx, ownerId: string, itemId: string): Promise<void> {
  const res = await ctx.db
    .delete(cartItems)
    .where(and(eq(cartItems.id, itemId), eq(cartItems.ownerId, ownerId)))
    .run();
  if (res.meta.changes === 0) throw lineNotFound(itemId);
}

/**
 * selectCartItems: (un)selects the given lines, or every line when itemIds is omitted. If any id
 * is not this owner's the whole request is 404 and nothing changes (a guard in the same batch).
 */
export async function selectCartItems(ctx: Ctx, ownerId: string, input: SelectCartItemsInput): Promise<void> {
  const d1 = ctx.env.DB;
  const selected = input.selected ? 1 : 0;
  if (!input.itemIds) {
    await d1.prepare('UPDATE cart_items SET selected = ?, updated_at = ? WHERE owner_id = ?').bind(selected, ctx.now, ownerId).run();
    return;
  }
  const ids = [...new Set(input.itemIds)];
  // json_each keeps it to a few bound parameters however many ids there are (D1 allows 100).
  const idsJson = JSON.stringify(ids);
  try {
    await d1.batch([
      guard(
        d1,
        '(SELECT count(*) FROM cart_items WHERE owner_id = ? AND id IN (SELECT value FROM json_each(?))) = ?',
        ownerId,
        idsJson,
        ids.length,
      ),
      d1
        .prepare('UPDATE cart_items SET selected = ?, updated_at = ? WHERE owner_id = ? AND id IN (SELECT value FROM json_each(?))')
        .bind(selected, ctx.now, ownerId, idsJson),
    ]);
  } catch (err) {
    if (batchFailure(err) !== 'guard') throw err;
    const own = new Set(
      (
        await d1
          .prepare('SELECT id FROM cart_items WHERE owner_id = ? AND id IN (SELECT value FROM json_each(?))')
          .bind(ownerId, idsJson)
          .all<{ id: string }>()
      ).results.map((r) => r.id),
    );
    const missing = ids.filter((id) => !own.has(id));
    throw notFound('cart.item_not_found', `cart item ${missing.join(', ') || ids.join(', ')}`);
  }
}

export interface MergeSummary {
  linesMoved: number;
  linesCombined: number;
  linesDropped: number;
}

/**
 * mergeGuestCart: moves a guest cart's lines into the shopper's cart at login. Same SKU: the
 * quantities add up, capped at live stock and 999 (never below what the shopper already had);
 * new SKUs become lines (past 100 lines they are dropped). The guest cart is emptied in the same
 * batch, guarded on its state as read, so merging twice — even concurrently — counts each guest
 * line once; a merge of an empty guest cart changes nothing.
 */
export async function mergeGuestCart(ctx: Ctx, userId: string, guestCartId: string): Promise<MergeSummary> {
  const d1 = ctx.env.DB;
  for (let attempt = 0; ; attempt++) {
    const guestLines = await ctx.db
      .select()
      .from(cartItems)
      .where(eq(cartItems.ownerId, guestCartId))
      .orderBy(asc(cartItems.createdAt), asc(cartItems.id));
    const summary: MergeSummary = { linesMoved: 0, linesCombined: 0, linesDropped: 0 };
    if (guestLines.length === 0) return summary;

    const userSkus = new Set((await ownerRows(ctx, userId)).map((r) => r.skuId));
    let lineCount = userSkus.size;
    const snaps = await getSkuSnapshots(
      ctx,
      guestLines.map((g) => g.skuId),
    );
    const totalQty = guestLines.reduce((a, g) => a + g.quantity, 0);
    const stmts: D1PreparedStatement[] = [
      guard(
        d1,
        '(SELECT count(*) FROM cart_items WHERE owner_id = ?1) = ?2 AND (SELECT total(quantity) FROM cart_items WHERE owner_id = ?1) = ?3',
        guestCartId,
        guestLines.length,
        totalQty,
      ),
    ];
    for (const g of guestLines) {
      const snap = snaps.get(g.skuId);
      // What a line of this SKU may hold now; 0 when it cannot be bought at all.
      const cap = snap && snap.sellable && snap.stock > 0 ? Math.min(MAX_LINE_QUANTITY, snap.stock) : 0;
      if (userSkus.has(g.skuId)) summary.linesCombined++;
      else if (lineCount < MAX_CART_LINES) {
        summary.linesMoved++;
        lineCount++;
        userSkus.add(g.skuId);
      } else {
        summary.linesDropped++;
        continue;
      }
      // A line that cannot be bought keeps its quantity so the shopper sees it flagged, not vanished.
      const newLineQty = cap > 0 ? Math.min(g.quantity, cap) : Math.min(g.quantity, MAX_LINE_QUANTITY);
      stmts.push(
        d1
          .prepare(
            `INSERT INTO cart_items (id, owner_id, sku_id, product_id, quantity, selected, added_price, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
             ON CONFLICT (owner_id, sku_id) DO UPDATE SET
               quantity = MAX(cart_items.quantity, MIN(cart_items.quantity + ?10, ?11)),
               updated_at = excluded.updated_at`,
          )
          .bind(
            newId('cit'),
            userId,
            g.skuId,
            g.productId,
            newLineQty,
            g.selected ? 1 : 0,
            g.addedPrice,
            g.createdAt,
            ctx.now,
            g.quantity,
            cap,
          ),
      );
    }
    stmts.push(d1.prepare('DELETE FROM cart_items WHERE owner_id = ?').bind(guestCartId));
    try {
      await d1.batch(stmts);
      return summary;
    } catch (err) {
      // The guest cart changed (or another merge won) between read and write: read again.
      if (batchFailure(err) !== 'guard' || attempt >= 2) throw err;
    }
  }
}

/**
 * For checkout: the owner's selected lines, oldest first. Not filtered by sellability or stock —
 * checkout re-reads SKU snapshots and decides (the cart view's totals skip unpurchasable lines).
 */
export async function getSelectedLines(ctx: Ctx, ownerId: string): Promise<{ itemId: string; skuId: string; quantity: number }[]> {
  const rows = await ctx.db
    .select({ itemId: cartItems.id, skuId: cartItems.skuId, quantity: cartItems.quantity })
    .from(cartItems)
    .where(and(eq(cartItems.ownerId, ownerId), eq(cartItems.selected, true)))
    .orderBy(asc(cartItems.createdAt), asc(cartItems.id));
  return rows;
}

/** For checkout, after an order is created: removes the owner's lines of these SKUs (others' lines untouched). */
export async function removeCartLines(ctx: Ctx, ownerId: string, skuIds: string[]): Promise<void> {
  if (skuIds.length === 0) return;
  await ctx.env.DB.prepare('DELETE FROM cart_items WHERE owner_id = ? AND sku_id IN (SELECT value FROM json_each(?))')
    .bind(ownerId, JSON.stringify([...new Set(skuIds)]))
    .run();
}
