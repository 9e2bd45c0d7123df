import { sqliteTable, text, integer, index } from 'drizzle-orm/sqlite-core';

/** Objects stored in R2. Products and others reference `key`, never a URL. */
export const mediaObjects = sqliteTable(
  'media_objects',
  {
    key: text('key').primaryKey(),
    contentType: text('content_type').notNull(),
    size: integer('size').notNull(),
    width: integer('width'),
    height: integer('height'),
    sha256: text('sha256').notNull(),
    ownerMerchantId: text('owner_merchant_id'),
    uploadedBy: text('uploaded_by'),
    purpose: text('purpose', { enum: ['product', 'category', 'avatar', 'aftersale', 'licence', 'banner', 'review', 'other'] })
      .notNull()
      .default('product'),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [index('media_sha_idx').on(t.sha256)],
);
