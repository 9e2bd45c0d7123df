import { z } from '@hono/zod-openapi';

/** Per-line and per-cart limits; stock is the other cap and is checked live. */
export const MAX_LINE_QUANTITY = 999;
export const MAX_CART_LINES = 100;

/** What newId('gst') produces: `gst_` + 16 Crockford base32 characters. */
export const GUEST_CART_PATTERN = /^gst_[0-9a-hjkmnp-tv-z]{16}$/;
const ITEM_ID_PATTERN = /^cit_[0-9a-z]{8,32}$/;

export const GuestCartId = z
  .string()
  .regex(GUEST_CART_PATTERN, 'must be a guest cart id issued by createGuestCart (gst_…)')
  .openapi({ example: 'gst_8k2m4n6p8r0t2v4w' });

/** Routes that serve both shoppers and H5 guests read the guest cart id from this header. */
export const GuestCartHeaders = z.object({
  'x-guest-cart': GuestCartId.optional().openapi({
    description:
      'H5 guest cart id (from createGuestCart); used when no bearer token is sent, ignored when one is (except by mergeGuestCart)',
  }),
});

export const MergeHeaders = z.object({
  'x-guest-cart': GuestCartId.openapi({ description: "the guest cart whose lines move into the signed-in shopper's cart" }),
});

const quantity = z.number().int().min(1).max(MAX_LINE_QUANTITY);

export const ItemIdParam = z.object({
  itemId: z
    .string()
    .regex(ITEM_ID_PATTERN, 'must be a cart item id (cit_…)')
    .openapi({ param: { name: 'itemId', in: 'path' }, example: 'cit_3h5j7k9m1n3p5q7r' }),
});

export const AddCartItemInput = z
  .object({
    skuId: z.string().regex(/^sku_[0-9a-z]{4,32}$/, 'must be a sku_ id'),
    quantity: quantity.default(1).openapi({ description: 'added to the quantity already in the cart for this SKU' }),
  })
  .openapi('AddCartItemInput');

export const UpdateCartItemInput = z
  .object({
    quantity: quantity.optional().openapi({ description: 'the new absolute quantity' }),
    selected: z.boolean().optional(),
  })
  .refine((v) => v.quantity !== undefined || v.selected !== undefined, { message: 'give quantity and/or selected', path: ['quantity'] })
  .openapi('UpdateCartItemInput');

export const SelectCartItemsInput = z
  .object({
    itemIds: z
      .array(ItemIdParam.shape.itemId)
      .min(1)
      .max(MAX_CART_LINES)
      .optional()
      .openapi({ description: 'omit to (un)select every line' }),
    selected: z.boolean(),
  })
  .openapi('SelectCartItemsInput');

export const CartLineSchema = z
  .object({
    itemId: z.string(),
    skuId: z.string(),
    productId: z.string(),
    merchantId: z.string(),
    title: z.string(),
    specKey: z.string(),
    specValues: z.array(z.string()),
    imageUrl: z.string().nullable(),
    quantity: z.number().int(),
    selected: z.boolean(),
    unitPrice: z.number().int().openapi({ description: 'price now, fen' }),
    addedPrice: z.number().int().openapi({ description: 'price when the line was added, fen' }),
    priceChanged: z.boolean().openapi({ description: 'unitPrice differs from addedPrice' }),
    lineTotal: z.number().int().openapi({ description: 'unitPrice × quantity, fen' }),
    stock: z.number().int(),
    offSale: z.boolean().openapi({ description: 'product off sale / deleted or SKU disabled' }),
    outOfStock: z.boolean().openapi({ description: 'stock is 0' }),
    insufficientStock: z.boolean().openapi({ description: 'some stock left but less than quantity (not set when outOfStock)' }),
    purchasable: z.boolean().openapi({ description: 'sellable and stock ≥ quantity: counts in the totals when selected' }),
    addedAt: z.string(),
  })
  .openapi('CartLine');

export const CartGroupSchema = z
  .object({
    merchantId: z.string(),
    lines: z.array(CartLineSchema),
    selectedCount: z.number().int(),
    selectedGoodsTotal: z.number().int(),
  })
  .openapi('CartGroup');

export const CartSchema = z
  .object({
    groups: z
      .array(CartGroupSchema)
      .openapi({ description: 'one group per merchant (orders split per merchant); most recently added first' }),
    lineCount: z.number().int(),
    selectedCount: z.number().int().openapi({ description: 'pieces (sum of quantities) over selected purchasable lines' }),
    selectedLineCount: z.number().int(),
    selectedGoodsTotal: z.number().int().openapi({ description: 'Σ unitPrice × quantity over selected purchasable lines, fen' }),
  })
  .openapi('Cart');

export const AddCartItemResult = CartSchema.extend({ itemId: z.string() }).openapi('AddCartItemResult');

export const MergeCartResult = CartSchema.extend({
  merge: z.object({
    linesMoved: z.number().int().openapi({ description: 'guest lines that became new lines' }),
    linesCombined: z.number().int().openapi({ description: 'guest lines added onto an existing line of the same SKU' }),
    linesDropped: z.number().int().openapi({ description: 'guest lines left out because the cart was full' }),
  }),
}).openapi('MergeCartResult');

export const GuestCartResult = z.object({ guestCartId: z.string() }).openapi('GuestCart');

export type AddCartItemInput = z.infer<typeof AddCartItemInput>;
export type UpdateCartItemInput = z.infer<typeof UpdateCartItemInput>;
export type SelectCartItemsInput = z.infer<typeof SelectCartItemsInput>;
export type CartLineDto = z.infer<typeof CartLineSchema>;
export type CartGroupDto = z.infer<typeof CartGroupSchema>;
export type CartDto = z.infer<typeof CartSchema>;
