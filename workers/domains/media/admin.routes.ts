import { createRoute } from '@hono/zod-openapi';
import { createMiddleware } from 'hono/factory';
import { AppError } from '../../shared/errors';
import { bearerSecurity, createRouter, ctxOf, errorResponses, jsonContent, type AppEnv } from '../../shared/http';
import { requireStaff } from '../auth/middleware';
import { ListMediaQuery, MediaPageSchema, MediaSchema, UploadMediaQuery } from './dto';
import { essenceOf, listMedia, MAX_MEDIA_BYTES, mediaTooLarge, uploadMedia } from './media.service';

const tags = ['Media'];
export const mediaAdminRoutes = createRouter();

// Room for the multipart boundaries and part headers around a file of the maximum size.
const MULTIPART_OVERHEAD = 64 * 1024;

const isMultipart = (contentType: string | undefined) => essenceOf(contentType) === 'multipart/form-data';
const bodyCap = (contentType: string | undefined) => MAX_MEDIA_BYTES + (isMultipart(contentType) ? MULTIPART_OVERHEAD : 0);

/** Refuses a declared oversized body before a byte of it is read (the stream cap below covers chunked bodies). */
const rejectDeclaredOversize = createMiddleware<AppEnv>(async (c, next) => {
  const length = Number(c.req.header('content-length'));
  if (Number.isFinite(length) && length > bodyCap(c.req.header('content-type'))) throw mediaTooLarge();
  await next();
});

/** Reads a request body, giving up as soon as it passes `cap` bytes so memory stays bounded. */
async function readCapped(req: Request, cap: number): Promise<Uint8Array> {
  if (!req.body) return new Uint8Array(0);
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > cap) {
      await reader.cancel().catch(() => {});
      throw mediaTooLarge();
    }
    chunks.push(value);
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const ch of chunks) {
    out.set(ch, at);
    at += ch.byteLength;
  }
  return out;
}

const missingFile = () =>
  new AppError('validation.failed', 400, 'form: file — a file part named "file" is required', {
    in: 'form',
    issues: [{ path: 'file', message: 'a file part named "file" is required', code: 'invalid_type' }],
  });

/** The uploaded bytes and their declared type, from a raw image body or a multipart `file` part. */
async function readUpload(req: Request): Promise<{ bytes: Uint8Array; contentType: string }> {
  const contentType = req.headers.get('content-type') ?? '';
  const body = await readCapped(req, bodyCap(contentType));
  if (!isMultipart(contentType)) return { bytes: body, contentType };
  let form: FormData;
  try {
    // Parsing from the capped buffer (not c.req.parseBody on the stream) keeps the size limit in force.
    form = await new Response(body, { headers: { 'content-type': contentType } }).formData();
  } catch {
    throw new AppError('validation.malformed', 400, 'the multipart body could not be parsed');
  }
  // workers-types still types get() as string; since formdata_parser_supports_files (2021) file parts are File.
  const file = form.get('file') as File | string | null;
  if (file === null || typeof file === 'string') throw missingFile();
  return { bytes: new Uint8Array(await file.arrayBuffer()), contentType: file.type };
}

const binary = { schema: { type: 'string' as const, format: 'binary' } };
const mediaErrors = {
  413: { description: 'larger than 5 MiB (media.too_large)', content: errorResponses[400].content },
  415: { description: 'not a JPEG, PNG, WebP or GIF image (media.unsupported_type)', content: errorResponses[400].content },
};

mediaAdminRoutes.openapi(
  createRoute({
    method: 'post', path: '/media', operationId: 'uploadMedia', tags, security: bearerSecurity,
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
    method: 'get', path: '/media', operationId: 'listMedia', tags, security: bearerSecurity,
    summary: 'Uploaded media, newest first (merchant staff see their own uploads only)',
    middleware: [requireStaff('media.write')] as const,
    request: { query: ListMediaQuery },
    responses: { 200: jsonContent(MediaPageSchema), 400: errorResponses[400], 401: errorResponses[401], 403: errorResponses[403] },
  }),
  async (c) => c.json(await listMedia(ctxOf(c), c.req.valid('query')), 200),
);
