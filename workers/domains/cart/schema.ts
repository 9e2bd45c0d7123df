import { sqliteTable, text, integer, uniqueIndex, index, check } from 'drizzle-orm/sqlite-core';
import { sql } from 'drizzle-orm';

/**
 * Cart lines. The owner is a shopper (`usr_…`) or an H5 guest cart (`gst_…`, merged into the
 * shopper's cart at login). `addedPrice` lets the cart flag a price change since adding.
 */
export const cartItems = sqliteTable(
  'cart_items',
  {
    id: text('id').primaryKey(),
    ownerId: text('owner_id').notNull(),
    skuId: text('sku_id').notNull(),
    productId: text('product_id').notNull(),
    quantity: integer('quantity').notNull(),
    selected: integer('selected', { mode: 'boolean' }).notNull().default(true),
    addedPrice: integer('added_price').notNull(),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [
    uniqueIndex('cart_items_owner_sku_uq').on(t.ownerId, t.skuId),
    index('cart_items_owner_idx').on(t.ownerId, t.updatedAt),
    check('cart_items_qty_positive', sql`${t.quantity} > 0`),
  ],
);
