import { sqliteTable, text, integer, index, uniqueIndex } from 'drizzle-orm/sqlite-core';

/** Sellers on the platform; `mch_platform` (seeded by migration) is the platform's own shop. */
export const merchants = sqliteTable('merchants', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  status: text('status', { enum: ['active', 'suspended'] })
    .notNull()
    .default('active'),
  /** Commission in basis points (500 = 5%). */
  commissionBps: integer('commission_bps').notNull().default(0),
  createdAt: integer('created_at').notNull(),
});

/**
 * The merchant's settlement ledger: credits for completed orders, platform commission, refund
 * debits. (orderId, type) is unique so a redelivered settlement message credits once.
 */
export const merchantLedger = sqliteTable(
  'merchant_ledger',
  {
    id: text('id').primaryKey(),
    merchantId: text('merchant_id').notNull(),
    orderId: text('order_id').notNull(),
    type: text('type', { enum: ['sale', 'commission', 'refund'] }).notNull(),
    /** Signed fen: sales positive, commission and refunds negative. */
    amount: integer('amount').notNull(),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [
    uniqueIndex('merchant_ledger_order_type_uq').on(t.orderId, t.type),
    index('merchant_ledger_merchant_idx').on(t.merchantId, t.createdAt),
  ],
);

/**
 * A merchant's application to sell on the platform (商户入驻). Contact details are personal data:
 * encrypted at rest (AES-GCM, key id in the ciphertext). The password for the merchant's future
 * staff account is hashed at once and only used if the application is approved.
 */
export const merchantApplications = sqliteTable(
  'merchant_applications',
  {
    id: text('id').primaryKey(),
    companyName: text('company_name').notNull(),
    /** 统一社会信用代码 */
    creditCode: text('credit_code').notNull(),
    shopName: text('shop_name').notNull(),
    /** The main category the shop sells in (a category id). */
    categoryId: text('category_id').notNull(),
    description: text('description').notNull().default(''),
    /** Encrypted JSON { name, phone, email }. */
    contactEnc: text('contact_enc').notNull(),
    /** Login email of the staff account approval creates (lower-case). */
    email: text('email').notNull(),
    passwordHash: text('password_hash').notNull(),
    /** R2 key of the business licence image. */
    licenceMediaKey: text('licence_media_key').notNull(),
    status: text('status', { enum: ['pending', 'approved', 'rejected'] })
      .notNull()
      .default('pending'),
    reviewReason: text('review_reason'),
    reviewedBy: text('reviewed_by'),
    reviewedAt: integer('reviewed_at'),
    /** Set on approval: the merchant and staff account created. */
    merchantId: text('merchant_id'),
    staffId: text('staff_id'),
    commissionBps: integer('commission_bps'),
    /** 合规筛查 of its texts when filed: review = flagged for the reviewer (block-level texts are refused). */
    screeningVerdict: text('screening_verdict', { enum: ['pass', 'warn', 'review'] }),
    /** The matches, each with the field (shopName, companyName, description) and its position there. */
    screeningMatches: text('screening_matches', { mode: 'json' }).$type<ApplicationScreeningMatch[]>(),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [index('merchant_applications_status_idx').on(t.status, t.createdAt), index('merchant_applications_email_idx').on(t.email)],
);

export interface ApplicationScreeningMatch {
  field: string;
  term: string;
  category: string;
  severity: 'warn' | 'review' | 'block';
  start: number;
  end: number;
  found: string;
  hint: string | null;
}
