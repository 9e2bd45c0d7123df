import { z } from '@hono/zod-openapi';

/** A shopper's address book holds at most this many (not deleted) addresses. */
export const MAX_ADDRESSES = 20;

const region = z.string().trim().min(1).max(20);

// One shape, so create (required fields) and update (all optional) cannot drift apart.
const fields = {
  name: z.string().trim().min(1).max(20).openapi({ example: '张三' }),
  phone: z
    .string()
    .trim()
    .regex(/^1[3-9]\d{9}$/, 'must be an 11-digit mainland mobile number')
    .openapi({ example: '13800138000' }),
  province: region.openapi({ example: '浙江省' }),
  city: region.openapi({ example: '杭州市' }),
  district: region.openapi({ example: '西湖区' }),
  detail: z.string().trim().min(2).max(120).openapi({ example: '文三路 100 号 5 幢 302 室' }),
};
const postalCode = z
  .string()
  .regex(/^\d{6}$/, 'must be 6 digits')
  .openapi({ example: '310012' });

export const CreateAddressInput = z
  .object({
    ...fields,
    postalCode: postalCode.optional(),
    isDefault: z.boolean().optional().openapi({ description: 'make this the default (the first address always is)' }),
  })
  .openapi('CreateAddressInput');

export const UpdateAddressInput = z
  .object({
    name: fields.name.optional(),
    phone: fields.phone.optional(),
    province: fields.province.optional(),
    city: fields.city.optional(),
    district: fields.district.optional(),
    detail: fields.detail.optional(),
    postalCode: postalCode.nullable().optional().openapi({ description: 'null clears it' }),
    isDefault: z.boolean().optional().openapi({
      description: 'true makes this the default; the default cannot be unset directly — make another address the default instead',
    }),
  })
  .refine((v) => Object.values(v).some((x) => x !== undefined), { message: 'give at least one field to change', path: ['name'] })
  .openapi('UpdateAddressInput');

export const AddressIdParam = z.object({
  addressId: z
    .string()
    .regex(/^adr_[0-9a-z]{8,32}$/, 'must be an address id (adr_…)')
    .openapi({ param: { name: 'addressId', in: 'path' }, example: 'adr_5f7h9k1m3p5r7t9v' }),
});

const addressBase = {
  id: z.string(),
  province: z.string(),
  city: z.string(),
  district: z.string(),
  postalCode: z.string().nullable(),
  isDefault: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
};

/** Full address, for its owner only (detail view, edit form). */
export const AddressSchema = z
  .object({ ...addressBase, name: z.string(), phone: z.string(), detail: z.string(), masked: z.literal(false) })
  .openapi('Address');

/** List entry: name, phone and street detail masked (张*, 138****8000, 文三路100号****). */
export const MaskedAddressSchema = z
  .object({
    ...addressBase,
    name: z.string().openapi({ example: '张*' }),
    phone: z.string().openapi({ example: '138****8000' }),
    detail: z.string().openapi({ example: '文三路 10****' }),
    masked: z.literal(true),
  })
  .openapi('MaskedAddress');

export const AddressListSchema = z.object({ items: z.array(MaskedAddressSchema) }).openapi('AddressList');

export type CreateAddressInput = z.infer<typeof CreateAddressInput>;
export type UpdateAddressInput = z.infer<typeof UpdateAddressInput>;
export type AddressDto = z.infer<typeof AddressSchema>;
export type MaskedAddressDto = z.infer<typeof MaskedAddressSchema>;
