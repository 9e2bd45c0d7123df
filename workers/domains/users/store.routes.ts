import { createRoute, z } from '@hono/zod-openapi';
import { bearerSecurity, createRouter, ctxOf, errorResponses, jsonBody, jsonContent } from '../../shared/http';
import { requireShopper, shopperId } from '../../shared/context';
import { revokeSession } from '../auth/auth.service';
import { RefreshInput, TokenPairSchema } from '../auth/dto';
import { requireUser } from '../auth/middleware';
import { AvatarUploadSchema, SmsCodeInput, SmsCodeResult, UpdateMyProfileInput, UserSchema } from './dto';
import { getUser, refreshUserTokens, sendSmsCode, updateMyProfile } from './users.service';
import { uploadMedia } from '../media/media.service';
import { readUpload, rejectDeclaredOversize } from '../media/upload-body';

const tags = ['Shopper auth'];
/** Shopper sessions; the two sign-in routes are flows (flows/login.routes.ts): a login can grant the new-user pack. */
export const userAuthRoutes = createRouter();

userAuthRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/auth/sms-code',
    operationId: 'sendSmsCode',
    tags,
    summary: 'H5 login step 1: send a 6-digit code to a phone',
    request: { body: jsonBody(SmsCodeInput) },
    responses: { 200: jsonContent(SmsCodeResult), 400: errorResponses[400] },
  }),
  async (c) => c.json(await sendSmsCode(ctxOf(c), c.req.valid('json').phone), 200),
);

userAuthRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/auth/refresh',
    operationId: 'refreshUserToken',
    tags,
    summary: 'Rotate the refresh token and get a new access token',
    request: { body: jsonBody(RefreshInput) },
    responses: { 200: jsonContent(TokenPairSchema), 401: errorResponses[401] },
  }),
  async (c) => c.json(await refreshUserTokens(ctxOf(c), c.req.valid('json').refreshToken), 200),
);

userAuthRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/auth/logout',
    operationId: 'userLogout',
    tags,
    security: bearerSecurity,
    summary: 'End the session: its access and refresh tokens stop working at once',
    middleware: [requireUser] as const,
    responses: { 200: jsonContent(z.object({ ok: z.literal(true) })), 401: errorResponses[401] },
  }),
  async (c) => {
    await revokeSession(ctxOf(c), requireShopper(c.get('actor')).sessionId);
    return c.json({ ok: true as const }, 200);
  },
);

userAuthRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/me',
    operationId: 'getMe',
    tags,
    security: bearerSecurity,
    summary: 'The signed-in shopper',
    middleware: [requireUser] as const,
    responses: { 200: jsonContent(UserSchema), 401: errorResponses[401] },
  }),
  async (c) => {
    const ctx = ctxOf(c);
    return c.json(await getUser(ctx, shopperId(ctx)), 200);
  },
);

userAuthRoutes.openapi(
  createRoute({
    method: 'patch',
    path: '/me/profile',
    operationId: 'updateMyProfile',
    tags: ['Shopper profile'],
    security: bearerSecurity,
    summary: 'Change nickname, avatar, birthday or gender (a set birthday changes at most once a year: 409 users.birthday_locked)',
    middleware: [requireUser] as const,
    request: { body: jsonBody(UpdateMyProfileInput) },
    responses: {
      200: jsonContent(UserSchema),
      400: errorResponses[400],
      401: errorResponses[401],
      403: errorResponses[403],
      409: errorResponses[409],
    },
  }),
  async (c) => {
    const ctx = ctxOf(c);
    return c.json(await updateMyProfile(ctx, shopperId(ctx), c.req.valid('json')), 200);
  },
);

userAuthRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/me/avatar',
    operationId: 'uploadMyAvatar',
    tags: ['Shopper profile'],
    security: bearerSecurity,
    middleware: [requireUser, rejectDeclaredOversize] as const,
    summary: 'Upload an avatar image (JPEG, PNG, WebP or GIF, at most 5 MiB); then save its key with updateMyProfile',
    description: 'The raw image as the body with its Content-Type, or multipart/form-data with a `file` part (wx.uploadFile).',
    request: {
      body: {
        required: true,
        content: {
          'image/jpeg': { schema: { type: 'string', format: 'binary' } },
          'image/png': { schema: { type: 'string', format: 'binary' } },
          'image/webp': { schema: { type: 'string', format: 'binary' } },
          'multipart/form-data': {
            schema: { type: 'object', properties: { file: { type: 'string', format: 'binary' } }, required: ['file'] },
          },
        },
      },
    },
    responses: {
      201: jsonContent(AvatarUploadSchema, 'stored'),
      400: errorResponses[400],
      401: errorResponses[401],
      413: errorResponses[400],
      415: errorResponses[400],
    },
  }),
  async (c) => {
    const { bytes, contentType } = await readUpload(c.req.raw);
    const m = await uploadMedia(ctxOf(c), { bytes, contentType, purpose: 'avatar' });
    return c.json({ key: m.key, url: m.url }, 201);
  },
);
