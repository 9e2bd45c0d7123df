import { sqliteTable, text, integer, index, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { sql } from 'drizzle-orm';

export interface FreightRule {
  /** Provinces this rule covers (e.g. ["新疆维吾尔自治区","西藏自治区"]); ["*"] = everywhere else. */
  regions: string[];
  firstWeightG: number;
  firstFee: number;
  additionalWeightG: number;
  additionalFee: number;
}

/** Per-merchant shipping price list: by region and weight, with an optional free-shipping threshold. */
export const freightTemplates = sqliteTable(
  'freight_templates',
  {
    id: text('id').primaryKey(),
    merchantId: text('merchant_id').notNull(),
    name: text('name').notNull(),
    rules: text('rules', { mode: 'json' }).$type<FreightRule[]>().notNull(),
    /** Goods total (fen) at or above which shipping is free; null = never free. */
    freeThreshold: integer('free_threshold'),
    /** Provinces never delivered to (e.g. overseas territories). */
    excludedRegions: text('excluded_regions', { mode: 'json' })
      .$type<string[]>()
      .notNull()
      .default(sql`'[]'`),
    isDefault: integer('is_default', { mode: 'boolean' }).notNull().default(false),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [index('freight_templates_merchant_idx').on(t.merchantId, t.isDefault)],
);

/** One parcel of an order. */
export const shipments = sqliteTable(
  'shipments',
  {
    id: text('id').primaryKey(),
    orderId: text('order_id').notNull(),
    carrierCode: text('carrier_code').notNull(),
    carrierName: text('carrier_name').notNull(),
    trackingNo: text('tracking_no').notNull(),
    status: text('status', { enum: ['shipped', 'in_transit', 'delivered', 'exception'] })
      .notNull()
      .default('shipped'),
    shippedAt: integer('shipped_at').notNull(),
    deliveredAt: integer('delivered_at'),
    createdBy: text('created_by'),
  },
  (t) => [index('shipments_order_idx').on(t.orderId), uniqueIndex('shipments_tracking_uq').on(t.carrierCode, t.trackingNo)],
);

/** Carrier tracking events (from the authenticated webhook); deduplicated per shipment. */
export const trackingEvents = sqliteTable(
  'tracking_events',
  {
    id: text('id').primaryKey(),
    shipmentId: text('shipment_id').notNull(),
    orderId: text('order_id').notNull(),
    eventAt: integer('event_at').notNull(),
    status: text('status', { enum: ['picked_up', 'in_transit', 'out_for_delivery', 'delivered', 'exception'] }).notNull(),
    description: text('description').notNull(),
    location: text('location'),
    receivedAt: integer('received_at').notNull(),
  },
  (t) => [
    uniqueIndex('tracking_events_dedupe_uq').on(t.shipmentId, t.eventAt, t.status),
    index('tracking_events_order_idx').on(t.orderId, t.eventAt),
  ],
);
