import { createRoute } from '@hono/zod-openapi';
import { bearerSecurity, createRouter, ctxOf, errorResponses, jsonBody, jsonContent } from '../shared/http';
import { requireStaff } from '../domains/auth/middleware';
import { ReferralIdParam, ReferralLookupSchema, RevokeReferralInput } from '../domains/members/referrals/dto';
import { lookupReferrals } from '../domains/members/referrals/reports';
import { referralById } from '../domains/members/referrals/referrals.service';
import { revokeReferralReward } from './referral-rewards';

export const referralRewardAdminRoutes = createRouter();

referralRewardAdminRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/referrals/{referralId}/revoke',
    operationId: 'revokeReferralReward',
    tags: ['Referrals admin'],
    security: bearerSecurity,
    middleware: requireStaff('members.write'),
    summary:
      'Withdraw a rewarded referral (e.g. found to be fake): points and balance taken back down to what is left (never below 0, the shortfall recorded), unused coupons withdrawn; the referral becomes 无效 (revoked)',
    request: { params: ReferralIdParam, body: jsonBody(RevokeReferralInput) },
    responses: {
      200: jsonContent(ReferralLookupSchema, 'the referral after the revocation'),
      400: errorResponses[400],
      401: errorResponses[401],
      403: errorResponses[403],
      404: errorResponses[404],
      409: errorResponses[409],
    },
  }),
  async (c) => {
    const ctx = ctxOf(c);
    const { referralId } = c.req.valid('param');
    await revokeReferralReward(ctx, referralId, c.req.valid('json').note);
    const r = await referralById(ctx, referralId);
    const all = await lookupReferrals(ctx, { userId: r.inviteeId });
    return c.json({ inviterCode: r.code, items: all.items.filter((x) => x.id === referralId) }, 200);
  },
);
