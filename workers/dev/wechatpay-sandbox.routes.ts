// HTTP buttons for the WeChat Pay sandbox: "the shopper paid" and "WeChat finished the refund".
// The H5 dev page and end-to-end tests press them; in production they do not exist (404).
import { createRoute, z } from '@hono/zod-openapi';
import { createMiddleware } from 'hono/factory';
import { isSandbox, type Env } from '../shared/env';
import { AppError } from '../shared/errors';
import { createRouter, errorResponses, jsonContent, type AppEnv } from '../shared/http';
import { sandboxCompleteRefund, sandboxPay, type SandboxDelivery } from './wechatpay-sandbox';

const tags = ['Dev'];

/** Before anything else, so outside sandbox the routes answer 404 like any unknown path would. */
const sandboxOnly = createMiddleware<AppEnv>(async (c, next) => {
  if (!isSandbox(c.env)) throw new AppError('dev.disabled', 404, 'dev tools are only available in sandbox environments');
  await next();
});

const DeliverySchema = z
  .object({
    id: z.string().openapi({ description: 'notification id (repeats when the same event is delivered again)' }),
    eventType: z.string().openapi({ example: 'TRANSACTION.SUCCESS' }),
    url: z.string().openapi({ description: 'notify_url the notification was delivered to' }),
    status: z.number().int().openapi({ description: 'HTTP status our notify endpoint answered; 0 if delivery failed' }),
    error: z.string().optional(),
  })
  .openapi('SandboxNotificationDelivery');

const SandboxPayResult = z
  .object({
    outTradeNo: z.string(),
    transactionId: z.string(),
    tradeState: z.literal('SUCCESS'),
    notification: DeliverySchema,
  })
  .openapi('SandboxPayResult');

const SandboxRefundResult = z
  .object({
    outRefundNo: z.string(),
    refundId: z.string(),
    refundStatus: z.literal('SUCCESS'),
    notification: DeliverySchema,
  })
  .openapi('SandboxRefundResult');

const delivery = (d: SandboxDelivery) => ({
  id: d.notification.id,
  eventType: d.notification.eventType,
  url: d.url,
  status: d.status,
  ...(d.deliveryError ? { error: d.deliveryError } : {}),
});

/**
 * The sandbox control routes. `deliver` hands a notification request to our notify endpoint
 * (app.ts passes one that calls the app in-process with the same env).
 */
export function createWxpaySandboxRoutes(deliver: (req: Request, env: Env) => Promise<Response>) {
  const routes = createRouter();

  routes.openapi(
    createRoute({
      method: 'post',
      path: '/sandbox/wechatpay/transactions/{outTradeNo}/pay',
      operationId: 'sandboxPayTransaction',
      tags,
      summary: 'Sandbox: pay a prepaid WeChat Pay transaction',
      description:
        'Marks the sandbox transaction paid and delivers a signed, encrypted TRANSACTION.SUCCESS notification to its notify_url, ' +
        'exactly as WeChat Pay would. Paying again re-delivers the same notification (a WeChat retry). 404 dev.disabled outside sandbox.',
      middleware: [sandboxOnly] as const,
      request: { params: z.object({ outTradeNo: z.string().min(1).max(32) }) },
      responses: { 200: jsonContent(SandboxPayResult), 404: errorResponses[404], 409: errorResponses[409] },
    }),
    async (c) => {
      const env = c.env;
      const r = await sandboxPay(env, c.req.valid('param').outTradeNo, (req) => deliver(req, env));
      return c.json(
        {
          outTradeNo: String(r.transaction.out_trade_no),
          transactionId: String(r.transaction.transaction_id),
          tradeState: 'SUCCESS' as const,
          notification: delivery(r),
        },
        200,
      );
    },
  );

  routes.openapi(
    createRoute({
      method: 'post',
      path: '/sandbox/wechatpay/refunds/{outRefundNo}/complete',
      operationId: 'sandboxCompleteRefund',
      tags,
      summary: 'Sandbox: complete a WeChat Pay refund',
      description:
        'Marks the sandbox refund SUCCESS and delivers a signed, encrypted REFUND.SUCCESS notification to its notify_url. ' +
        'Completing again re-delivers the same notification. 404 dev.disabled outside sandbox.',
      middleware: [sandboxOnly] as const,
      request: { params: z.object({ outRefundNo: z.string().min(1).max(64) }) },
      responses: { 200: jsonContent(SandboxRefundResult), 404: errorResponses[404], 409: errorResponses[409] },
    }),
    async (c) => {
      const env = c.env;
      const r = await sandboxCompleteRefund(env, c.req.valid('param').outRefundNo, (req) => deliver(req, env));
      return c.json(
        {
          outRefundNo: String(r.refund.out_refund_no),
          refundId: String(r.refund.refund_id),
          refundStatus: 'SUCCESS' as const,
          notification: delivery(r),
        },
        200,
      );
    },
  );

  return routes;
}
