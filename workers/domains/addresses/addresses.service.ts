import { and, desc, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { Ctx } from '../../shared/context';
import { decryptPii, encryptPii, maskPhone } from '../../shared/crypto';
import { batchFailure, D1_IN_CHUNK, guard, inChunks, iso, stmt } from '../../shared/db';
import { requireSecret } from '../../shared/env';
import { AppError, conflict, notFound } from '../../shared/errors';
import { newId } from '../../shared/ids';
import { MAX_ADDRESSES, type AddressDto, type CreateAddressInput, type MaskedAddressDto, type UpdateAddressInput } from './dto';
import { addresses } from './schema';

type AddressRow = typeof addresses.$inferSelect;

/** The decrypted address an order copies (orders keep their own snapshot; later edits do not change them). */
export interface OrderAddress {
  name: string;
  phone: string;
  province: string;
  city: string;
  district: string;
  detail: string;
  postalCode: string | null;
}

const keys = (ctx: Ctx) => requireSecret(ctx.env, 'PII_KEYS');
const addressNotFound = (addressId: string) => notFound('addresses.not_found', `address ${addressId}`);

/** 张三 → 张*, 欧阳修 → 欧** (characters, not UTF-16 units). */
export function maskName(name: string): string {
  const chars = Array.from(name);
  return chars.length <= 1 ? '*' : `${chars[0]}${'*'.repeat(chars.length - 1)}`;
}

/** Shows the start of the street detail (at most 6 characters, at most half of it) then ****. */
export function maskDetail(detail: string): string {
  const chars = Array.from(detail);
  const keep = Math.max(1, Math.min(6, Math.floor(chars.length / 2)));
  return `${chars.slice(0, keep).join('')}****`;
}

async function decrypted(ctx: Ctx, row: AddressRow): Promise<AddressDto> {
  const k = keys(ctx);
  const [name, phone, detail] = await Promise.all([decryptPii(k, row.nameEnc), decryptPii(k, row.phoneEnc), decryptPii(k, row.detailEnc)]);
  return {
    id: row.id,
    name,
    phone,
    province: row.province,
    city: row.city,
    district: row.district,
    detail,
    postalCode: row.postalCode,
    isDefault: row.isDefault,
    createdAt: iso(row.createdAt)!,
    updatedAt: iso(row.updatedAt)!,
    masked: false,
  };
}

const live = (userId: string) => and(eq(addresses.userId, userId), isNull(addresses.deletedAt));

/** The user's address, not deleted; anyone else's id is simply not found. */
async function ownRow(ctx: Ctx, userId: string, addressId: string): Promise<AddressRow> {
  const [row] = await ctx.db
    .select()
    .from(addresses)
    .where(and(eq(addresses.id, addressId), live(userId)))
    .limit(1);
  if (!row) throw addressNotFound(addressId);
  return row;
}

/** listAddresses: the default first, then newest; name, phone and street detail masked. */
export async function listAddresses(ctx: Ctx, userId: string): Promise<MaskedAddressDto[]> {
  const rows = await ctx.db
    .select()
    .from(addresses)
    .where(live(userId))
    .orderBy(desc(addresses.isDefault), desc(addresses.createdAt), desc(sql`rowid`));
  return Promise.all(
    rows.map(async (row) => {
      const full = await decrypted(ctx, row);
      return { ...full, name: maskName(full.name), phone: maskPhone(full.phone), detail: maskDetail(full.detail), masked: true as const };
    }),
  );
}

/** getAddress: the unmasked address, for its owner only (404 otherwise). */
export async function getAddress(ctx: Ctx, userId: string, addressId: string): Promise<AddressDto> {
  return decrypted(ctx, await ownRow(ctx, userId, addressId));
}

/** For checkout: the decrypted address if it is the user's and not deleted, else 404 addresses.not_found. */
export async function getAddressForOrder(ctx: Ctx, userId: string, addressId: string): Promise<OrderAddress> {
  const a = await getAddress(ctx, userId, addressId);
  return {
    name: a.name,
    phone: a.phone,
    province: a.province,
    city: a.city,
    district: a.district,
    detail: a.detail,
    postalCode: a.postalCode,
  };
}

/**
 * For one-tap orders (flash sale, group buy): the given address, or else the shopper's default
 * (or newest) one; 409 addresses.none when the shopper has no address yet.
 */
export async function getAddressForQuickOrder(ctx: Ctx, userId: string, addressId?: string): Promise<OrderAddress> {
  if (addressId) return getAddressForOrder(ctx, userId, addressId);
  const [row] = await ctx.db
    .select()
    .from(addresses)
    .where(live(userId))
    .orderBy(desc(addresses.isDefault), desc(addresses.createdAt))
    .limit(1);
  if (!row) throw conflict('addresses.none', 'add a delivery address first');
  const a = await decrypted(ctx, row);
  return {
    name: a.name,
    phone: a.phone,
    province: a.province,
    city: a.city,
    district: a.district,
    detail: a.detail,
    postalCode: a.postalCode,
  };
}

/**
 * Shoppers whose live address ids this isolate has seen lately. Only positive answers are kept
 * (an address added a moment ago is never refused) and this isolate's own writes drop the entry;
 * an address deleted in another isolate can pass for QUICK_ADDRESS_TTL_MS, and then the order
 * writer's own check refuses it and gives the units back.
 */
const QUICK_ADDRESS_TTL_MS = 30_000;
const QUICK_ADDRESS_MAX = 10_000;
const knownAddresses = new Map<string, { ids: Set<string>; until: number }>();

/**
 * The hot-path check before a one-tap order takes units: the shopper has an address (or owns the
 * given one). 409 addresses.none / 404 addresses.not_found, like getAddressForQuickOrder.
 */
export async function assertQuickOrderAddress(ctx: Ctx, userId: string, addressId?: string): Promise<void> {
  const hit = knownAddresses.get(userId);
  if (hit && hit.until > ctx.now && (addressId ? hit.ids.has(addressId) : hit.ids.size > 0)) return;
  const rows = await ctx.db.select({ id: addresses.id }).from(addresses).where(live(userId)).limit(MAX_ADDRESSES);
  if (rows.length) {
    if (knownAddresses.size >= QUICK_ADDRESS_MAX) knownAddresses.clear();
    knownAddresses.set(userId, { ids: new Set(rows.map((r) => r.id)), until: ctx.now + QUICK_ADDRESS_TTL_MS });
  }
  if (!rows.length) throw conflict('addresses.none', 'add a delivery address first');
  if (addressId && !rows.some((r) => r.id === addressId)) throw addressNotFound(addressId);
}

/** What a one-tap order asks for: the shopper, and the address chosen (else the default). */
export interface QuickAddressWant {
  userId: string;
  addressId?: string;
}

/**
 * getAddressForQuickOrder for many orders at once (the flash-sale order consumer's batch): one
 * query for all the shoppers' addresses. Each answer is the address or the AppError that
 * getAddressForQuickOrder would have thrown, in the order of `wants`.
 */
export async function getAddressesForQuickOrders(ctx: Ctx, wants: QuickAddressWant[]): Promise<(OrderAddress | AppError)[]> {
  const userIds = [...new Set(wants.map((w) => w.userId))];
  const rows = await inChunks(userIds, D1_IN_CHUNK, (part) =>
    ctx.db
      .select()
      .from(addresses)
      .where(and(inArray(addresses.userId, part), isNull(addresses.deletedAt))),
  );
  const byUser = new Map<string, AddressRow[]>();
  for (const r of rows) byUser.set(r.userId, [...(byUser.get(r.userId) ?? []), r]);
  const pick = (w: QuickAddressWant): AddressRow | AppError => {
    const own = byUser.get(w.userId) ?? [];
    if (w.addressId) return own.find((r) => r.id === w.addressId) ?? addressNotFound(w.addressId);
    // the default, else the newest — as getAddressForQuickOrder orders them
    const best = [...own].sort((a, b) => Number(b.isDefault) - Number(a.isDefault) || b.createdAt - a.createdAt)[0];
    return best ?? conflict('addresses.none', 'add a delivery address first');
  };
  return Promise.all(
    wants.map(async (w) => {
      const row = pick(w);
      if (row instanceof AppError) return row;
      const a = await decrypted(ctx, row);
      return {
        name: a.name,
        phone: a.phone,
        province: a.province,
        city: a.city,
        district: a.district,
        detail: a.detail,
        postalCode: a.postalCode,
      };
    }),
  );
}

/** Clears the default flag on the user's other addresses (runs in the same batch that sets a new one). */
function unsetOtherDefaults(ctx: Ctx, userId: string, keepId: string): D1PreparedStatement {
  return ctx.env.DB.prepare('UPDATE addresses SET is_default = 0, updated_at = ? WHERE user_id = ? AND id != ? AND is_default = 1').bind(
    ctx.now,
    userId,
    keepId,
  );
}

const existsGuard = (ctx: Ctx, userId: string, addressId: string) =>
  guard(ctx.env.DB, 'EXISTS (SELECT 1 FROM addresses WHERE id = ? AND user_id = ? AND deleted_at IS NULL)', addressId, userId);

/**
 * createAddress: name, phone and detail encrypted. The first address (or whenever none is the
 * default) becomes the default; isDefault moves the default here in the same batch. At most 20.
 */
export async function createAddress(ctx: Ctx, userId: string, input: CreateAddressInput): Promise<AddressDto> {
  knownAddresses.delete(userId); // this isolate's quick-order check must see the change
  const k = keys(ctx);
  const [nameEnc, phoneEnc, detailEnc] = await Promise.all([
    encryptPii(k, input.name),
    encryptPii(k, input.phone),
    encryptPii(k, input.detail),
  ]);
  const d1 = ctx.env.DB;
  const id = newId('adr');
  const stmts: D1PreparedStatement[] = [
    // The limit is checked inside the batch, so concurrent creates cannot pass it.
    guard(d1, '(SELECT count(*) FROM addresses WHERE user_id = ? AND deleted_at IS NULL) < ?', userId, MAX_ADDRESSES),
  ];
  if (input.isDefault) stmts.push(unsetOtherDefaults(ctx, userId, id));
  stmts.push(
    d1
      .prepare(
        `INSERT INTO addresses (id, user_id, name_enc, phone_enc, province, city, district, detail_enc, postal_code, is_default, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9,
                 ?10 OR NOT EXISTS (SELECT 1 FROM addresses WHERE user_id = ?2 AND deleted_at IS NULL AND is_default = 1),
                 ?11, ?11)`,
      )
      .bind(
        id,
        userId,
        nameEnc,
        phoneEnc,
        input.province,
        input.city,
        input.district,
        detailEnc,
        input.postalCode ?? null,
        input.isDefault ? 1 : 0,
        ctx.now,
      ),
  );
  try {
    await d1.batch(stmts);
  } catch (err) {
    if (batchFailure(err) === 'guard') {
      throw conflict('addresses.limit_reached', `an address book holds at most ${MAX_ADDRESSES} addresses; delete one first`, {
        max: MAX_ADDRESSES,
      });
    }
    throw err;
  }
  return getAddress(ctx, userId, id);
}

/**
 * updateAddress: changes the given fields (re-encrypting personal ones). isDefault true moves the
 * default here in one batch; the default cannot be switched off directly (409), only moved.
 */
export async function updateAddress(ctx: Ctx, userId: string, addressId: string, input: UpdateAddressInput): Promise<AddressDto> {
  knownAddresses.delete(userId); // this isolate's quick-order check must see the change
  const row = await ownRow(ctx, userId, addressId);
  if (input.isDefault === false && row.isDefault) {
    throw conflict('addresses.default_required', 'this is the default address; make another address the default instead');
  }
  const k = keys(ctx);
  const set: Partial<typeof addresses.$inferInsert> = { updatedAt: ctx.now };
  if (input.name !== undefined) set.nameEnc = await encryptPii(k, input.name);
  if (input.phone !== undefined) set.phoneEnc = await encryptPii(k, input.phone);
  if (input.detail !== undefined) set.detailEnc = await encryptPii(k, input.detail);
  if (input.province !== undefined) set.province = input.province;
  if (input.city !== undefined) set.city = input.city;
  if (input.district !== undefined) set.district = input.district;
  if (input.postalCode !== undefined) set.postalCode = input.postalCode;
  const makeDefault = input.isDefault === true && !row.isDefault;
  if (makeDefault) set.isDefault = true;

  const d1 = ctx.env.DB;
  const stmts: D1PreparedStatement[] = [existsGuard(ctx, userId, addressId)];
  if (makeDefault) stmts.push(unsetOtherDefaults(ctx, userId, addressId));
  stmts.push(
    stmt(
      d1,
      ctx.db
        .update(addresses)
        .set(set)
        .where(and(eq(addresses.id, addressId), live(userId))),
    ),
  );
  try {
    await d1.batch(stmts);
  } catch (err) {
    // Deleted between the read and the write.
    if (batchFailure(err) === 'guard') throw addressNotFound(addressId);
    throw err;
  }
  return getAddress(ctx, userId, addressId);
}

/** deleteAddress: soft delete; if it was the default, the most recently added other address becomes the default. */
export async function deleteAddress(ctx: Ctx, userId: string, addressId: string): Promise<void> {
  knownAddresses.delete(userId); // this isolate's quick-order check must see the change
  const d1 = ctx.env.DB;
  try {
    await d1.batch([
      existsGuard(ctx, userId, addressId),
      d1
        .prepare(
          'UPDATE addresses SET deleted_at = ?1, is_default = 0, updated_at = ?1 WHERE id = ?2 AND user_id = ?3 AND deleted_at IS NULL',
        )
        .bind(ctx.now, addressId, userId),
      // Written as "promote when none is default" so it also repairs a book that lost its default.
      d1
        .prepare(
          `UPDATE addresses SET is_default = 1, updated_at = ?1
           WHERE id = (SELECT id FROM addresses WHERE user_id = ?2 AND deleted_at IS NULL ORDER BY created_at DESC, rowid DESC LIMIT 1)
             AND NOT EXISTS (SELECT 1 FROM addresses WHERE user_id = ?2 AND deleted_at IS NULL AND is_default = 1)`,
        )
        .bind(ctx.now, userId),
    ]);
  } catch (err) {
    if (batchFailure(err) === 'guard') throw addressNotFound(addressId);
    throw err;
  }
}

/** One address as a comparable string: full-width folded, spaces and punctuation dropped, lower case. */
export function normalisedPlace(a: { province: string; city: string; district: string; detail: string }): string {
  return `${a.province}${a.city}${a.district}${a.detail}`
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s\p{P}\p{S}]/gu, '');
}

/**
 * What identifies where a shopper receives parcels, for fraud checks (老带新: an invitee shipping
 * to the inviter's address): the recipient phones and normalised places of every address they
 * ever saved, deleted ones included. Personal data: compare in memory, never log or store it.
 */
export async function addressFingerprints(ctx: Ctx, userId: string): Promise<{ phones: string[]; places: string[] }> {
  const rows = await ctx.db.select().from(addresses).where(eq(addresses.userId, userId)).limit(200);
  const k = keys(ctx);
  const phones = new Set<string>();
  const places = new Set<string>();
  await Promise.all(
    rows.map(async (row) => {
      const [phone, detail] = await Promise.all([decryptPii(k, row.phoneEnc), decryptPii(k, row.detailEnc)]);
      phones.add(phone);
      places.add(normalisedPlace({ province: row.province, city: row.city, district: row.district, detail }));
    }),
  );
  return { phones: [...phones], places: [...places] };
}

/**
 * The city (plain: freight is priced by region) of each shopper's default address — or, without
 * a default, their newest — for member segments. Shoppers without an address are absent.
 */
export async function defaultCitiesOf(ctx: Ctx, userIds: string[]): Promise<Map<string, string>> {
  const rows = await inChunks(userIds, D1_IN_CHUNK, (part) =>
    ctx.db
      .select({ userId: addresses.userId, city: addresses.city, isDefault: addresses.isDefault, createdAt: addresses.createdAt })
      .from(addresses)
      .where(and(inArray(addresses.userId, part), isNull(addresses.deletedAt))),
  );
  const best = new Map<string, (typeof rows)[number]>();
  for (const r of rows) {
    const b = best.get(r.userId);
    if (!b || (r.isDefault && !b.isDefault) || (r.isDefault === b.isDefault && r.createdAt > b.createdAt)) best.set(r.userId, r);
  }
  return new Map([...best].map(([u, r]) => [u, r.city]));
}
