import { createRoute, z } from '@hono/zod-openapi';
import { createRouter } from '../shared/http';
import { handleRefundNotification } from './refund';
import { answerWechatNotify } from './wechat-notify';

export const refundRoutes = createRouter();

refundRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/payments/wechat/refund-notify',
    operationId: 'wechatRefundNotify',
    tags: ['Payments'],
    summary: 'WeChat Pay v3 refund notification (REFUND.SUCCESS / ABNORMAL / CLOSED); applied exactly once',
    description:
      'Signed and AEAD_AES_256_GCM encrypted like the payment notification. Answers 204 when applied (or already applied); ' +
      '401 with {"code":"FAIL"} when the signature, serial or timestamp window fails — nothing changes then.',
    // No request schema on purpose: the signature covers the raw bytes, so nothing may parse the body first.
    responses: {
      204: { description: 'accepted' },
      401: {
        description: 'verification failed',
        content: { 'application/json': { schema: z.object({ code: z.string(), message: z.string() }) } },
      },
    },
  }),
  async (c) => (await answerWechatNotify(c, 'refund', handleRefundNotification)) as never,
);
