import { createRoute, z } from '@hono/zod-openapi';
import { bearerSecurity, createRouter, ctxOf, errorResponses, jsonBody, jsonContent } from '../shared/http';
import { requireUser } from '../domains/auth/middleware';
import { CancelInput, OrderDetailSchema } from '../domains/orders/dto';
import { getOrderDetail } from '../domains/orders/orders.service';
import { cancelOrder, handlePaymentNotification, payOrder } from './payment';
import { answerWechatNotify } from './wechat-notify';

const orderParam = z.object({ orderId: z.string().min(4).max(40) });
export const paymentRoutes = createRouter();

const PayResult = z
  .object({
    checkoutId: z.string(),
    amount: z.number().int(),
    requestPayment: z.object({
      appId: z.string(),
      timeStamp: z.string(),
      nonceStr: z.string(),
      package: z.string(),
      signType: z.literal('RSA'),
      paySign: z.string(),
    }),
    sandboxPayPath: z.string().optional().openapi({ description: 'sandbox only: POST here to simulate the shopper paying' }),
  })
  .openapi('PayOrderResult');

paymentRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/orders/{orderId}/pay',
    operationId: 'payOrder',
    tags: ['Payments'],
    security: bearerSecurity,
    middleware: requireUser,
    summary: 'WeChat Pay (JSAPI) parameters for wx.requestPayment; one payment covers the whole checkout',
    request: { params: orderParam },
    responses: { 200: jsonContent(PayResult), 401: errorResponses[401], 404: errorResponses[404], 409: errorResponses[409] },
  }),
  async (c) => c.json(await payOrder(ctxOf(c), c.req.valid('param').orderId), 200),
);

paymentRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/orders/{orderId}/cancel',
    operationId: 'cancelOrder',
    tags: ['Orders'],
    security: bearerSecurity,
    middleware: requireUser,
    summary: 'Cancel an unpaid order (the whole checkout it belongs to); reserved stock returns',
    request: { params: orderParam, body: { required: false, content: { 'application/json': { schema: CancelInput } } } },
    responses: { 200: jsonContent(OrderDetailSchema), 401: errorResponses[401], 404: errorResponses[404], 409: errorResponses[409] },
  }),
  async (c) => {
    const ctx = ctxOf(c);
    const { orderId } = c.req.valid('param');
    const body = (c.req.valid('json') ?? {}) as { reason?: string };
    await cancelOrder(ctx, orderId, body.reason);
    return c.json(await getOrderDetail(ctx, orderId), 200);
  },
);

paymentRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/payments/wechat/notify',
    operationId: 'wechatPayNotify',
    tags: ['Payments'],
    summary: 'WeChat Pay v3 payment notification (signed, AEAD_AES_256_GCM encrypted); applied exactly once',
    description:
      'Answers 204 when applied (or already applied); 401 with {"code":"FAIL"} when the signature, serial or timestamp window fails — nothing changes then.',
    // No request schema on purpose: the signature covers the raw bytes, so nothing may parse the body first.
    responses: {
      204: { description: 'accepted' },
      401: {
        description: 'verification failed',
        content: { 'application/json': { schema: z.object({ code: z.string(), message: z.string() }) } },
      },
    },
  }),
  async (c) => (await answerWechatNotify(c, 'payment', handlePaymentNotification)) as never,
);
