import { z } from '@hono/zod-openapi';
import { pageQuery } from '../../shared/pagination';

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

export type LedgerEntryDto = z.infer<typeof LedgerEntrySchema>;
export type MerchantLedgerDto = z.infer<typeof MerchantLedgerSchema>;
