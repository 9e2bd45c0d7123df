import { createRoute } from '@hono/zod-openapi';
import { bearerSecurity, createRouter, ctxOf, errorResponses, jsonBody, jsonContent } from '../../../shared/http';
import { iso } from '../../../shared/db';
import { getNicknames } from '../../users/users.service';
import { requireUser } from '../../auth/middleware';
import { BindReferralInput, BindReferralResultSchema, InviteCodeParam, InvitePreviewSchema, MyReferralSchema } from './dto';
import { bindMyReferral, maskNickname } from './referrals.service';
import { getInvitePreview, getMyReferral } from './view';

export const referralsStoreRoutes = createRouter();
const tags = ['Referrals'];

referralsStoreRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/me/referral',
    operationId: 'getReferral',
    tags,
    security: bearerSecurity,
    middleware: requireUser,
    summary: '邀请有礼: my invite code, share card / QR scene, the rules, who invited me, my invited friends and my rewards',
    responses: { 200: jsonContent(MyReferralSchema), 401: errorResponses[401], 403: errorResponses[403] },
  }),
  async (c) => c.json(await getMyReferral(ctxOf(c)), 200),
);

referralsStoreRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/me/referral/bind',
    operationId: 'bindReferral',
    tags,
    security: bearerSecurity,
    middleware: requireUser,
    summary: "Enter a friend's invite code after signing up (within 24 h of registering, before any order; once, never changed)",
    description:
      'For clients that signed in before seeing the link. Idempotent: the same code again answers the same binding (200). ' +
      '409 members.already_bound (another code), members.self_invite, members.referral_circular, members.bind_window_closed, ' +
      'members.bind_after_order, members.referral_closed; 404 members.invite_code_not_found.',
    request: { body: jsonBody(BindReferralInput) },
    responses: {
      200: jsonContent(BindReferralResultSchema),
      400: errorResponses[400],
      401: errorResponses[401],
      403: errorResponses[403],
      404: errorResponses[404],
      409: errorResponses[409],
    },
  }),
  async (c) => {
    const ctx = ctxOf(c);
    const r = await bindMyReferral(ctx, c.req.valid('json'));
    const names = await getNicknames(ctx, [r.inviterId]);
    return c.json({ inviter: maskNickname(names.get(r.inviterId) ?? '好友'), boundAt: iso(r.boundAt)! }, 200);
  },
);

referralsStoreRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/referral/invites/{code}',
    operationId: 'getInvitePreview',
    tags,
    summary: "Public: whose invite this is and what a new shopper gets (the invite link's landing view)",
    request: { params: InviteCodeParam },
    responses: { 200: jsonContent(InvitePreviewSchema), 400: errorResponses[400], 404: errorResponses[404] },
  }),
  async (c) => c.json(await getInvitePreview(ctxOf(c), c.req.valid('param').code), 200),
);
