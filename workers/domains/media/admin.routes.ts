import { createRoute } from '@hono/zod-openapi';
import { bearerSecurity, createRouter, ctxOf, errorResponses, jsonContent } from '../../shared/http';
import { requireStaff } from '../auth/middleware';
import { ListMediaQuery, MediaPageSchema, MediaSchema, UploadMediaQuery } from './dto';
import { listMedia, uploadMedia } from './media.service';
import { readUpload, rejectDeclaredOversize } from './upload-body';

const tags = ['Media'];
export const mediaAdminRoutes = createRouter();

const binary = { schema: { type: 'string' as const, format: 'binary' } };
const mediaErrors = {
  413: { description: 'larger than 5 MiB (media.too_large)', content: errorResponses[400].content },
  415: { description: 'not a JPEG, PNG, WebP or GIF image (media.unsupported_type)', content: errorResponses[400].content },
};

mediaAdminRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/media',
    operationId: 'uploadMedia',
    tags,
    security: bearerSecurity,
    summary: 'Upload an image (JPEG, PNG, WebP or GIF, at most 5 MiB) to R2',
    description:
      'Send the image as the raw body with its Content-Type, or as multipart/form-data with a `file` part. ' +
      'The bytes must match the declared type. Store the returned `key` on products; `url` serves the image with immutable caching.',
    middleware: [requireStaff('media.write'), rejectDeclaredOversize] as const,
    request: {
      query: UploadMediaQuery,
      // Plain OpenAPI schemas (not zod) on purpose: zod body schemas would make the router parse the
      // body itself and answer unknown types with its own 415, bypassing the size cap and media.* codes.
      body: {
        required: true,
        description: 'the image bytes, or a form with a `file` part',
        content: {
          'image/jpeg': binary,
          'image/png': binary,
          'image/webp': binary,
          'image/gif': binary,
          'multipart/form-data': {
            schema: { type: 'object', properties: { file: { type: 'string', format: 'binary' } }, required: ['file'] },
          },
        },
      },
    },
    responses: {
      201: jsonContent(MediaSchema, 'stored'),
      400: errorResponses[400],
      401: errorResponses[401],
      403: errorResponses[403],
      ...mediaErrors,
    },
  }),
  async (c) => {
    const { bytes, contentType } = await readUpload(c.req.raw);
    return c.json(await uploadMedia(ctxOf(c), { bytes, contentType, purpose: c.req.valid('query').purpose }), 201);
  },
);

mediaAdminRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/media',
    operationId: 'listMedia',
    tags,
    security: bearerSecurity,
    summary: 'Uploaded media, newest first (merchant staff see their own uploads only)',
    middleware: [requireStaff('media.write')] as const,
    request: { query: ListMediaQuery },
    responses: { 200: jsonContent(MediaPageSchema), 400: errorResponses[400], 401: errorResponses[401], 403: errorResponses[403] },
  }),
  async (c) => c.json(await listMedia(ctxOf(c), c.req.valid('query')), 200),
);
