import { createRoute, z } from '@hono/zod-openapi';
import { bearerSecurity, createRouter, ctxOf, errorResponses, jsonBody, jsonContent } from '../shared/http';
import { requireStaff } from '../domains/auth/middleware';
import { readUpload, rejectDeclaredOversize } from '../domains/media/upload-body';
import {
  ApplyMerchantInput,
  ApplyMerchantResult,
  ApprovalResultSchema,
  ApproveApplicationInput,
  LicenceUploadResult,
} from '../domains/merchants/dto';
import { applyMerchant, approveMerchantApplication, uploadMerchantLicence } from './merchant-onboarding';

const binary = { schema: { type: 'string' as const, format: 'binary' } };
const mediaErrors = {
  413: { description: 'larger than 5 MiB (media.too_large)', content: errorResponses[400].content },
  415: { description: 'not a PNG, JPEG or WebP image (media.unsupported_type)', content: errorResponses[400].content },
};

/** Public onboarding routes (no sign-in): mounted under /store/v1. */
export const merchantOnboardingStoreRoutes = createRouter();

merchantOnboardingStoreRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/merchant-applications/licence',
    operationId: 'uploadMerchantLicence',
    tags: ['Merchant onboarding'],
    summary: 'Upload the business-licence image (营业执照) for a merchant application (no sign-in)',
    description:
      'Raw PNG/JPEG/WebP body (or multipart/form-data with a `file` part), at most 5 MiB; the magic bytes decide the type. ' +
      'Returns the `key` to send as `licenceMediaKey` in applyMerchant. Rate-limited per client IP (429 merchants.rate_limited).',
    middleware: [rejectDeclaredOversize] as const,
    request: {
      // Plain OpenAPI body (not zod), as in uploadMedia, so the size cap and media.* codes stay in charge.
      body: {
        required: true,
        content: {
          'image/jpeg': binary,
          'image/png': binary,
          'image/webp': binary,
          'multipart/form-data': {
            schema: { type: 'object', properties: { file: { type: 'string', format: 'binary' } }, required: ['file'] },
          },
        },
      },
    },
    responses: { 201: jsonContent(LicenceUploadResult, 'stored'), 400: errorResponses[400], 429: errorResponses[429], ...mediaErrors },
  }),
  async (c) => {
    const { bytes, contentType } = await readUpload(c.req.raw);
    return c.json(await uploadMerchantLicence(ctxOf(c), { bytes, contentType, ip: c.req.header('cf-connecting-ip') }), 201);
  },
);

merchantOnboardingStoreRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/merchant-applications',
    operationId: 'applyMerchant',
    tags: ['Merchant onboarding'],
    summary: 'Apply to sell on the platform (商户入驻申请; no sign-in)',
    description:
      'Company, 统一社会信用代码 (18 characters with a valid check character), shop name, main category, contact (encrypted at rest), ' +
      'the login email and password of the merchant account approval creates (password hashed at once), and the licence key from uploadMerchantLicence. ' +
      '409 merchants.email_taken when a staff account uses the email; 409 merchants.application_pending when a pending application does.',
    request: { body: jsonBody(ApplyMerchantInput) },
    responses: {
      201: jsonContent(ApplyMerchantResult, 'received; waiting for review'),
      400: errorResponses[400],
      409: errorResponses[409],
      429: errorResponses[429],
    },
  }),
  async (c) => c.json(await applyMerchant(ctxOf(c), c.req.valid('json'), { ip: c.req.header('cf-connecting-ip') }), 201),
);

/** Admin onboarding routes: mounted under /admin/v1. */
export const merchantOnboardingAdminRoutes = createRouter();

merchantOnboardingAdminRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/merchant-applications/{applicationId}/approve',
    operationId: 'approveMerchantApplication',
    tags: ['Merchant onboarding'],
    security: bearerSecurity,
    middleware: [requireStaff('merchants.manage')] as const,
    summary: 'Approve: creates the merchant, its merchant staff account and commission in one batch',
    description:
      'Exactly one approval wins: a repeated or concurrent approval gets 409 merchants.application_not_pending. The applicant then signs in with adminLogin.',
    request: { params: z.object({ applicationId: z.string().min(4).max(40) }), body: jsonBody(ApproveApplicationInput) },
    responses: {
      200: jsonContent(ApprovalResultSchema),
      400: errorResponses[400],
      401: errorResponses[401],
      403: errorResponses[403],
      404: errorResponses[404],
      409: errorResponses[409],
    },
  }),
  async (c) => c.json(await approveMerchantApplication(ctxOf(c), c.req.valid('param').applicationId, c.req.valid('json')), 200),
);
