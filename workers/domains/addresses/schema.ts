import { sqliteTable, text, integer, index } from 'drizzle-orm/sqlite-core';

/**
 * Shopper address book. Recipient name, phone and street detail are personal data: stored
 * AES-256-GCM encrypted (key id inside the ciphertext). Province/city/district stay plain
 * because freight rules are priced by region.
 */
export const addresses = sqliteTable(
  'addresses',
  {
    id: text('id').primaryKey(),
    userId: text('user_id').notNull(),
    nameEnc: text('name_enc').notNull(),
    phoneEnc: text('phone_enc').notNull(),
    province: text('province').notNull(),
    city: text('city').notNull(),
    district: text('district').notNull(),
    detailEnc: text('detail_enc').notNull(),
    postalCode: text('postal_code'),
    isDefault: integer('is_default', { mode: 'boolean' }).notNull().default(false),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
    deletedAt: integer('deleted_at'),
  },
  (t) => [index('addresses_user_idx').on(t.userId, t.deletedAt)],
);
