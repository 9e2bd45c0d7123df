import { z } from '@hono/zod-openapi';
import { pageQuery, pageSchema } from '../../shared/pagination';

export const LedgerQuery = z.object({ ...pageQuery });

export const LedgerEntrySchema = z
  .object({
    id: z.string(),
    orderId: z.string(),
    type: z.enum(['sale', 'commission', 'refund']),
    amount: z.number().int().openapi({ description: 'signed integer fen: sales positive, commission and refunds negative', example: 4990 }),
    createdAt: z.string().openapi({ description: 'ISO-8601 UTC' }),
  })
  .openapi('MerchantLedgerEntry');

export const MerchantLedgerSchema = z
  .object({
    merchantId: z.string(),
    balance: z.number().int().openapi({ description: 'sum of every ledger entry of the merchant, integer fen' }),
    items: z.array(LedgerEntrySchema),
    nextCursor: z.string().nullable(),
  })
  .openapi('MerchantLedger');

export type MerchantLedgerDto = z.infer<typeof MerchantLedgerSchema>;

// ---- merchants (admin) and onboarding applications (商户入驻) --------------------------------

export const MERCHANT_STATUSES = ['active', 'suspended'] as const;
export const APPLICATION_STATUSES = ['pending', 'approved', 'rejected'] as const;
/** Highest commission an operator may set: 50%. */
export const MAX_COMMISSION_BPS = 5000;

export const MerchantSchema = z
  .object({
    id: z.string().openapi({ example: 'mch_8k2m4x7q9r1t3v5w' }),
    name: z.string(),
    status: z.enum(MERCHANT_STATUSES),
    commissionBps: z.number().int().openapi({ description: 'platform commission in basis points (800 = 8%)', example: 800 }),
    createdAt: z.string().openapi({ description: 'ISO-8601 UTC' }),
  })
  .openapi('Merchant');

export const ListMerchantsQuery = z.object({ ...pageQuery, status: z.enum(MERCHANT_STATUSES).optional() });
export const MerchantPageSchema = pageSchema(MerchantSchema).openapi('MerchantPage');

export const UpdateMerchantInput = z
  .object({
    status: z.enum(MERCHANT_STATUSES).optional(),
    commissionBps: z.number().int().min(0).max(MAX_COMMISSION_BPS).optional(),
  })
  .strict()
  .refine((v) => v.status !== undefined || v.commissionBps !== undefined, { message: 'give status and/or commissionBps' })
  .openapi('UpdateMerchantInput');

// 统一社会信用代码 (GB 32100-2015): 18 characters from 31 symbols (no I, O, S, V, Z), the last a check character.
const CREDIT_CODE_CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const CREDIT_CODE_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
export const CREDIT_CODE_PATTERN = /^[0-9A-HJ-NPQRTUWXY]{18}$/;

/** True when `code` has the 统一社会信用代码 shape and its check character (position 18) is right. */
export function isValidCreditCode(code: string): boolean {
  if (!CREDIT_CODE_PATTERN.test(code)) return false;
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += CREDIT_CODE_CHARS.indexOf(code[i]!) * CREDIT_CODE_WEIGHTS[i]!;
  const check = (31 - (sum % 31)) % 31;
  return CREDIT_CODE_CHARS[check] === code[17];
}

/** Mainland China mobile number: 11 digits starting 13–19. */
export const CN_MOBILE_PATTERN = /^1[3-9]\d{9}$/;

export const ApplicationContactSchema = z
  .object({
    name: z.string().trim().min(1).max(40).openapi({ example: '王小明' }),
    phone: z
      .string()
      .trim()
      .regex(CN_MOBILE_PATTERN, 'must be a mainland China mobile number (11 digits, 1[3-9]…)')
      .openapi({ example: '13912345678' }),
    email: z.string().trim().toLowerCase().email().max(120),
  })
  .openapi('MerchantApplicationContact');

export const ApplyMerchantInput = z
  .object({
    companyName: z.string().trim().min(2).max(100).openapi({ example: '杭州山川日用品有限公司' }),
    creditCode: z
      .string()
      .trim()
      .toUpperCase()
      .regex(CREDIT_CODE_PATTERN, '统一社会信用代码 is 18 characters of 0-9 and A-Y without I, O, S, V, Z')
      .refine(isValidCreditCode, '统一社会信用代码 check character does not match')
      .openapi({ example: '91350100M000100Y43' }),
    shopName: z.string().trim().min(2).max(40).openapi({ example: '山川旗舰店' }),
    categoryId: z.string().trim().min(4).max(40).openapi({ description: 'main category the shop sells in' }),
    description: z.string().trim().max(2000).default(''),
    contact: ApplicationContactSchema,
    email: z
      .string()
      .trim()
      .toLowerCase()
      .email()
      .max(120)
      .openapi({ description: 'login email of the merchant staff account approval creates' }),
    password: z
      .string()
      .min(10, 'at least 10 characters')
      .max(200)
      .openapi({ description: 'password of that account; hashed at once, never stored in clear' }),
    licenceMediaKey: z.string().trim().min(1).max(200).openapi({ description: '`key` returned by uploadMerchantLicence' }),
  })
  .openapi('ApplyMerchantInput');

export const ApplyMerchantResult = z
  .object({ id: z.string().openapi({ example: 'mapp_8k2m4x7q9r1t3v5w' }), status: z.literal('pending') })
  .openapi('ApplyMerchantResult');

export const LicenceUploadResult = z
  .object({ key: z.string().openapi({ example: 'img/202611/med_8k2m4x7q9r1t3v5w.png' }) })
  .openapi('MerchantLicenceUpload');

export const ApplicationStatusQuery = z.object({ email: z.string().trim().toLowerCase().email().max(120) });

export const ApplicationStatusSchema = z
  .object({
    id: z.string(),
    status: z.enum(APPLICATION_STATUSES),
    reason: z.string().nullable().openapi({ description: 'why it was rejected (null otherwise)' }),
    createdAt: z.string(),
    reviewedAt: z.string().nullable(),
  })
  .openapi('MerchantApplicationStatus');

export const ListApplicationsQuery = z.object({ ...pageQuery, status: z.enum(APPLICATION_STATUSES).optional() });

const applicationBase = {
  id: z.string(),
  companyName: z.string(),
  creditCode: z.string(),
  shopName: z.string(),
  categoryId: z.string(),
  description: z.string(),
  email: z.string().openapi({ description: 'login email of the future merchant account' }),
  status: z.enum(APPLICATION_STATUSES),
  reviewReason: z.string().nullable(),
  reviewedBy: z.string().nullable(),
  reviewedAt: z.string().nullable(),
  merchantId: z.string().nullable(),
  staffId: z.string().nullable(),
  commissionBps: z.number().int().nullable(),
  screening: z
    .object({
      verdict: z.enum(['pass', 'warn', 'review']),
      matches: z.array(
        z.object({
          field: z.string(),
          term: z.string(),
          category: z.string(),
          severity: z.enum(['warn', 'review', 'block']),
          start: z.number().int(),
          end: z.number().int(),
          found: z.string(),
          hint: z.string().nullable(),
        }),
      ),
    })
    .nullable()
    .openapi({ description: '合规筛查 of the texts when filed; review = flagged for the reviewer (null: filed before screening)' }),
  createdAt: z.string(),
};

export const ApplicationListItemSchema = z
  .object({
    ...applicationBase,
    contact: ApplicationContactSchema.extend({ phone: z.string().openapi({ description: 'masked: 139****5678' }) }),
  })
  .openapi('MerchantApplicationListItem');

export const ApplicationDetailSchema = z
  .object({
    ...applicationBase,
    contact: ApplicationContactSchema,
    licenceMediaKey: z.string(),
    licenceUrl: z.string().openapi({ description: 'absolute URL of the licence image' }),
  })
  .openapi('MerchantApplication');

export const ApplicationPageSchema = pageSchema(ApplicationListItemSchema).openapi('MerchantApplicationPage');

export const ApproveApplicationInput = z
  .object({
    commissionBps: z.number().int().min(0).max(MAX_COMMISSION_BPS).openapi({ example: 800 }),
    note: z.string().trim().max(500).optional(),
  })
  .openapi('ApproveMerchantApplicationInput');

export const RejectApplicationInput = z
  .object({ reason: z.string().trim().min(2).max(500).openapi({ example: '营业执照照片不清晰，请重新上传' }) })
  .openapi('RejectMerchantApplicationInput');

export const ApprovalResultSchema = z
  .object({
    application: ApplicationDetailSchema,
    merchant: MerchantSchema,
    staff: z.object({ id: z.string(), email: z.string(), role: z.literal('merchant'), merchantId: z.string() }),
  })
  .openapi('MerchantApprovalResult');

export type MerchantDto = z.infer<typeof MerchantSchema>;
export type ApplyMerchantInputT = z.output<typeof ApplyMerchantInput>;
export type ApplicationStatusDto = z.infer<typeof ApplicationStatusSchema>;
export type ApplicationListItemDto = z.infer<typeof ApplicationListItemSchema>;
export type ApplicationDetailDto = z.infer<typeof ApplicationDetailSchema>;
export type ApprovalResultDto = z.infer<typeof ApprovalResultSchema>;
