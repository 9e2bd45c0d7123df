import { z } from '@hono/zod-openapi';
import { pageQuery } from '../../shared/pagination';
import { ORDER_STATUSES } from './schema';

const isoTime = z.string();

export const OrderLineSchema = z
  .object({
    id: z.string(),
    skuId: z.string(),
    productId: z.string(),
    title: z.string(),
    specKey: z.string(),
    imageUrl: z.string().nullable(),
    unitPrice: z.number().int(),
    quantity: z.number().int(),
    lineTotal: z.number().int(),
    discountShare: z.number().int(),
    payable: z.number().int(),
    refundedQuantity: z.number().int(),
    refundedAmount: z.number().int(),
  })
  .openapi('OrderLine');

export const OrderEventSchema = z
  .object({
    type: z.string(),
    fromStatus: z.string().nullable(),
    toStatus: z.string().nullable(),
    actorType: z.string(),
    note: z.string(),
    at: isoTime,
  })
  .openapi('OrderEvent');

export const OrderSummarySchema = z
  .object({
    id: z.string(),
    orderNo: z.string(),
    checkoutId: z.string(),
    merchantId: z.string(),
    status: z.enum(ORDER_STATUSES),
    goodsTotal: z.number().int(),
    discountTotal: z.number().int(),
    shippingFee: z.number().int(),
    payableTotal: z.number().int(),
    paidTotal: z.number().int(),
    refundedTotal: z.number().int(),
    itemCount: z.number().int(),
    firstLine: z.object({ title: z.string(), imageUrl: z.string().nullable() }).nullable(),
    createdAt: isoTime,
    expiresAt: isoTime.nullable().openapi({ description: 'unpaid orders close at this time' }),
    promo: z
      .object({ type: z.enum(['flash_sale', 'group_buy']), id: z.string(), teamId: z.string().nullable() })
      .nullable()
      .openapi({ description: 'the flash sale or group-buy deal (and team) the order came from; null for a normal order' }),
    awaitingGroup: z
      .boolean()
      .openapi({ description: 'a group-buy order whose team is not full yet: it ships once the team forms (待成团)' }),
  })
  .openapi('OrderSummary');

export const AddressSnapshotSchema = z.object({
  name: z.string(),
  phone: z.string(),
  province: z.string(),
  city: z.string(),
  district: z.string(),
  detail: z.string(),
  postalCode: z.string().nullable().optional(),
});

export const OrderDetailSchema = OrderSummarySchema.extend({
  userId: z.string(),
  discounts: z.array(
    z.object({ source: z.string(), sourceId: z.string().nullable(), label: z.string(), amount: z.number().int() }).openapi('DiscountLine'),
  ),
  address: AddressSnapshotSchema,
  buyerNote: z.string(),
  sellerNote: z.string().optional(),
  lines: z.array(OrderLineSchema),
  timeline: z.array(OrderEventSchema),
  paidAt: isoTime.nullable(),
  shippedAt: isoTime.nullable(),
  deliveredAt: isoTime.nullable(),
  completedAt: isoTime.nullable(),
  autoConfirmAt: isoTime.nullable(),
}).openapi('OrderDetail');

export const ListMyOrdersQuery = z.object({
  ...pageQuery,
  status: z.enum(ORDER_STATUSES).optional(),
});

export const AdminListOrdersQuery = z.object({
  ...pageQuery,
  status: z.enum(ORDER_STATUSES).optional(),
  merchantId: z.string().optional(),
  userId: z.string().optional(),
  orderNo: z.string().max(40).optional(),
  createdFrom: z.iso.datetime({ offset: true }).optional(),
  createdTo: z.iso.datetime({ offset: true }).optional(),
});

export const ShipOrderInput = z
  .object({
    carrierCode: z.string().min(2).max(10),
    trackingNo: z
      .string()
      .trim()
      .regex(/^[0-9A-Za-z-]{6,40}$/, 'tracking number: 6–40 letters, digits or dashes'),
    note: z.string().trim().max(200).optional(),
  })
  .openapi('ShipOrderInput');

export const NoteInput = z.object({ note: z.string().trim().min(1).max(500) }).openapi('OrderNoteInput');
export const CancelInput = z.object({ reason: z.string().trim().max(200).optional() }).openapi('CancelOrderInput');

export type OrderDetailDto = z.infer<typeof OrderDetailSchema>;
export type OrderSummaryDto = z.infer<typeof OrderSummarySchema>;

// ---------- checkout (quoteCheckout, createOrder) ----------

const BuyNowItem = z.object({ skuId: z.string().min(4).max(40), quantity: z.number().int().min(1).max(999) });

export const QuoteInput = z
  .object({
    items: z
      .array(BuyNowItem)
      .min(1)
      .max(100)
      .optional()
      .openapi({ description: '"buy now" lines; omit to check out the selected cart lines' }),
    addressId: z.string().min(4).max(40).optional(),
    province: z.string().min(2).max(20).optional().openapi({ description: 'estimate shipping without an address' }),
    couponIds: z
      .array(z.string().min(4).max(40))
      .max(10)
      .optional()
      .openapi({ description: 'coupons to use (ids from listMyCoupons); omit to use the suggested best combination, [] for none' }),
    usePoints: z
      .union([z.literal('max'), z.number().int('whole points').min(0).max(100_000_000)])
      .optional()
      .openapi({
        description:
          "积分抵扣: points to spend ('max' = as many as the rules allow; 0 or omitted = none). Capped by the points rules; each line keeps at least ¥0.01 for WeChat Pay",
      }),
    useBalance: z.boolean().optional().openapi({
      description: '余额: pay with the stored balance, as much as the goods allow (each line keeps at least ¥0.01 for WeChat Pay)',
    }),
  })
  .openapi('QuoteInput');

export const CreateOrderInput = z
  .object({
    items: z.array(BuyNowItem).min(1).max(100).optional(),
    addressId: z.string().min(4).max(40),
    buyerNote: z.string().trim().max(200).default(''),
    expectedPayableTotal: z
      .number()
      .int()
      .min(0)
      .optional()
      .openapi({ description: 'the total the shopper saw; a different current total is refused (409 orders.price_changed)' }),
    couponIds: z
      .array(z.string().min(4).max(40))
      .max(10)
      .optional()
      .openapi({ description: 'coupons to use (ids from listMyCoupons); omit to use the suggested best combination, [] for none' }),
    usePoints: z
      .union([z.literal('max'), z.number().int('whole points').min(0).max(100_000_000)])
      .optional()
      .openapi({
        description:
          "积分抵扣: points to spend ('max' = as many as the rules allow; 0 or omitted = none). Capped by the points rules; each line keeps at least ¥0.01 for WeChat Pay",
      }),
    useBalance: z.boolean().optional().openapi({
      description: '余额: pay with the stored balance, as much as the goods allow (each line keeps at least ¥0.01 for WeChat Pay)',
    }),
  })
  .openapi('CreateOrderInput');

const DiscountLineSchema = z.object({ source: z.string(), sourceId: z.string().nullable(), label: z.string(), amount: z.number().int() });

/** A quoted line is an order line before it exists: no id, nothing refunded yet. */
export const QuoteLineSchema = OrderLineSchema.omit({ id: true, refundedQuantity: true, refundedAmount: true }).extend({
  pointsUsed: z.number().int().openapi({ description: 'points spent on this line (part of discountShare: pointsAmount)' }),
  pointsAmount: z.number().int().openapi({ description: 'fen of discountShare paid by points' }),
  balanceAmount: z.number().int().openapi({ description: 'fen of discountShare paid from the stored balance' }),
});

export const QuoteSchema = z
  .object({
    groups: z.array(
      z.object({
        merchantId: z.string(),
        lines: z.array(QuoteLineSchema),
        goodsTotal: z.number().int(),
        discounts: z.array(DiscountLineSchema),
        discountTotal: z.number().int(),
        shipping: z.object({
          fee: z.number().int().openapi({ description: "the parcel's shipping fee" }),
          discount: z.number().int().openapi({ description: 'taken off by a shipping coupon' }),
          payable: z.number().int(),
          free: z.boolean(),
          label: z.string(),
          reason: z.string(),
        }),
        payableTotal: z.number().int(),
        pointsUsed: z.number().int(),
        pointsAmount: z.number().int(),
        balanceAmount: z.number().int(),
      }),
    ),
    goodsTotal: z.number().int(),
    discountTotal: z.number().int(),
    shippingTotal: z.number().int().openapi({ description: 'shipping payable, after shipping coupons' }),
    shippingDiscountTotal: z.number().int(),
    payableTotal: z.number().int().openapi({
      description:
        'what WeChat Pay charges: goods − discounts (promotions, coupons, points, balance; all in discountTotal and each its own line in discounts) + shipping',
    }),
    points: z
      .object({
        available: z.number().int().openapi({ description: "the shopper's points balance" }),
        usable: z.boolean(),
        maxPoints: z.number().int().openapi({ description: 'the most points this order can take ("可用 N 积分")' }),
        maxAmount: z.number().int().openapi({ description: 'what maxPoints are worth in fen ("抵 ¥x")' }),
        used: z.number().int(),
        amount: z.number().int().openapi({ description: 'fen taken off by the points used' }),
        pointsPerYuan: z.number().int(),
        reason: z.string().nullable().openapi({ description: 'why points cannot be used or were not applied' }),
      })
      .openapi({ description: '积分抵扣' }),
    balance: z
      .object({
        available: z.number().int().openapi({ description: 'stored balance in fen' }),
        maxAmount: z.number().int().openapi({ description: 'the most this order can take from it' }),
        used: z.number().int(),
      })
      .openapi({ description: '余额' }),
    problems: z.array(z.object({ skuId: z.string(), code: z.string(), message: z.string() })),
    hints: z
      .array(z.object({ ruleId: z.string(), label: z.string(), message: z.string() }))
      .openapi({ description: '满减 tiers within reach: "再买¥12.00可减30.00"' }),
    coupons: z.object({
      appliedIds: z.array(z.string()),
      suggestedIds: z.array(z.string()).openapi({ description: "the cheapest valid combination of the shopper's coupons" }),
      suggestedSaving: z.number().int(),
      exhaustive: z.boolean().openapi({ description: 'false when there were too many coupons to try every combination' }),
      issues: z
        .array(z.object({ couponId: z.string(), code: z.string(), reason: z.string() }))
        .openapi({ description: 'chosen coupons that do not apply, and why' }),
      options: z.array(
        z.object({
          couponId: z.string(),
          templateId: z.string(),
          name: z.string(),
          merchantId: z.string(),
          kind: z.enum(['amount_off', 'percent_off', 'free_shipping']),
          threshold: z.number().int(),
          amountOff: z.number().int().nullable(),
          rate: z.number().int().nullable(),
          maxOff: z.number().int().nullable(),
          validTo: z.string(),
          usable: z.boolean(),
          suggested: z.boolean(),
          applied: z.boolean(),
          reason: z.string().nullable().openapi({ description: 'why it is not applied: "还差¥12.00可用", "本单商品不适用", …' }),
        }),
      ),
    }),
  })
  .openapi('CheckoutQuote');

export const CreateOrderResultSchema = z
  .object({
    checkoutId: z.string(),
    payableTotal: z.number().int(),
    expiresAt: z.string(),
    orders: z.array(OrderSummarySchema),
    replayed: z.boolean(),
  })
  .openapi('CreateOrderResult');

export type QuoteDto = z.infer<typeof QuoteSchema>;
