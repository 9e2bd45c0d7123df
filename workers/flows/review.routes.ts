import { createRoute } from '@hono/zod-openapi';
import { bearerSecurity, createRouter, ctxOf, errorResponses, jsonBody, jsonContent } from '../shared/http';
import { optionalIdempotencyHeader } from '../shared/idempotency';
import { requireUser } from '../domains/auth/middleware';
import { MAX_VIDEO_BYTES } from '../domains/media/media.service';
import { readUpload, rejectDeclaredOver } from '../domains/media/upload-body';
import { CreateReviewInput, CreateReviewResultSchema, ReviewableLineListSchema, ReviewMediaSchema } from '../domains/reviews/dto';
import { createReview, listReviewableLines, uploadReviewMedia } from './review-submit';

const tags = ['Reviews'];
const security = bearerSecurity;
const auth = { 401: errorResponses[401], 403: errorResponses[403] };

export const reviewFlowRoutes = createRouter();

reviewFlowRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/reviews',
    operationId: 'createReview',
    tags,
    security,
    middleware: requireUser,
    summary: 'Review a delivered order line: rating, text, up to 9 photos or one video, tags, anonymous',
    description:
      "Only the buyer (another shopper's line is 404 orders.line_not_found), only delivered or completed orders (409 reviews.not_delivered), " +
      'within 30 days of delivery (409 reviews.window_closed), once per line (409 reviews.already_reviewed) — except that a rejected review may be written again (same id, screened anew). ' +
      'The text is screened: clean → status published; flagged → status pending (审核中, in the moderation queue); ' +
      'abusive or illegal terms → 400 reviews.text_refused with the matches. Send an Idempotency-Key: a retry answers the same review (200).',
    request: { headers: optionalIdempotencyHeader, body: jsonBody(CreateReviewInput) },
    responses: {
      201: jsonContent(CreateReviewResultSchema, 'created'),
      200: jsonContent(CreateReviewResultSchema, 'the same request again (Idempotency-Key)'),
      400: errorResponses[400],
      ...auth,
      404: errorResponses[404],
      409: errorResponses[409],
    },
  }),
  async (c) => {
    const r = await createReview(ctxOf(c), c.req.valid('json'), c.req.valid('header')['idempotency-key']);
    return r.replayed ? c.json(r.review, 200) : c.json(r.review, 201);
  },
);

reviewFlowRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/reviews/media',
    operationId: 'uploadReviewMedia',
    tags,
    security,
    middleware: [requireUser, rejectDeclaredOver(MAX_VIDEO_BYTES)] as const,
    summary: 'Upload one review photo (JPEG/PNG/WebP/GIF ≤ 5 MiB, at least 200×200) or a short video (MP4/MOV/WebM ≤ 20 MiB)',
    description:
      'The raw bytes with their Content-Type, or multipart/form-data with a `file` part (wx.uploadFile). Put the key in photoKeys / videoKey.',
    request: {
      body: {
        required: true,
        content: {
          'image/jpeg': { schema: { type: 'string', format: 'binary' } },
          'image/png': { schema: { type: 'string', format: 'binary' } },
          'image/webp': { schema: { type: 'string', format: 'binary' } },
          'video/mp4': { schema: { type: 'string', format: 'binary' } },
          'multipart/form-data': {
            schema: { type: 'object', properties: { file: { type: 'string', format: 'binary' } }, required: ['file'] },
          },
        },
      },
    },
    responses: {
      201: jsonContent(ReviewMediaSchema, 'stored'),
      400: errorResponses[400],
      ...auth,
      413: errorResponses[400],
      415: errorResponses[400],
      429: errorResponses[400],
    },
  }),
  async (c) => c.json(await uploadReviewMedia(ctxOf(c), await readUpload(c.req.raw, MAX_VIDEO_BYTES)), 201),
);

reviewFlowRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/me/reviews/pending',
    operationId: 'listReviewableLines',
    tags,
    security,
    middleware: requireUser,
    summary: '待评价: delivered order lines not reviewed yet, still within the 30-day window, newest first',
    responses: { 200: jsonContent(ReviewableLineListSchema), ...auth },
  }),
  async (c) => c.json(await listReviewableLines(ctxOf(c)), 200),
);
