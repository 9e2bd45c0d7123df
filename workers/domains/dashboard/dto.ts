import { z } from '@hono/zod-openapi';

export const DashboardQuery = z.object({
  days: z.coerce
    .number()
    .int()
    .min(1)
    .max(30)
    .default(7)
    .openapi({ description: 'length of the daily series, today included (1–30, default 7)' }),
});

const fen = (description: string) =>
  z
    .number()
    .int()
    .openapi({ description: `${description} (fen)` });

export const DashboardSchema = z
  .object({
    scope: z.object({
      merchantId: z.string().nullable().openapi({ description: "null: the whole platform; else the merchant's own figures" }),
    }),
    timezone: z.literal('Asia/Shanghai'),
    day: z.string().openapi({ example: '2026-11-25', description: 'today in Asia/Shanghai' }),
    today: z.object({
      gmv: fen('Σ payable of orders paid today'),
      paidOrders: z.number().int(),
      payingShoppers: z.number().int().openapi({ description: 'distinct shoppers who paid today' }),
      aov: fen('average order value: gmv / paidOrders, rounded; 0 when no orders'),
      refunds: z.object({ count: z.number().int(), amount: fen('refunded today') }),
    }),
    pendingShipments: z.number().int().openapi({ description: 'paid orders waiting to ship' }),
    lowStockAlerts: z.number().int().openapi({ description: 'open low-stock alerts' }),
    series: z.array(z.object({ day: z.string().openapi({ example: '2026-11-25' }), gmv: fen('GMV that day'), orders: z.number().int() })),
    generatedAt: z.string(),
  })
  .openapi('Dashboard');
export type DashboardDto = z.infer<typeof DashboardSchema>;
