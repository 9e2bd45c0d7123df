import { z } from '@hono/zod-openapi';
import { createRouter, ctxOf, errorResponses } from '../../shared/http';
import { getMediaObject, MEDIA_CACHE_CONTROL } from './media.service';

export const mediaPublicRoutes = createRouter();

// Keys contain slashes (img/202611/med_….png), which an OpenAPI `{key}` segment cannot match in Hono,
// so the route is a plain regex-param route and its documentation is registered by hand below.
mediaPublicRoutes.get('/media/:key{.+}', async (c) => {
  const obj = await getMediaObject(ctxOf(c), c.req.param('key'), { ifNoneMatch: c.req.header('if-none-match') });
  const headers = new Headers({
    'Cache-Control': MEDIA_CACHE_CONTROL,
    ETag: obj.httpEtag,
    // Browsers must trust our checked Content-Type, never guess one from the bytes.
    'X-Content-Type-Options': 'nosniff',
  });
  if (!('body' in obj)) return new Response(null, { status: 304, headers });
  headers.set('Content-Type', obj.httpMetadata?.contentType ?? 'application/octet-stream');
  headers.set('Content-Length', String(obj.size));
  return new Response(obj.body, { status: 200, headers });
});

const imageBinary = { schema: { type: 'string' as const, format: 'binary' } };

mediaPublicRoutes.openAPIRegistry.registerPath({
  method: 'get',
  path: '/media/{key}',
  operationId: 'getMedia',
  tags: ['Media'],
  summary: 'Serve an uploaded image (immutable: cache forever)',
  description:
    'The key may contain slashes, e.g. `/media/img/202611/med_8k2m4x7q9r1t3v5w.png`. Send If-None-Match with the ETag to get 304.',
  request: {
    params: z.object({ key: z.string().openapi({ example: 'img/202611/med_8k2m4x7q9r1t3v5w.png' }) }),
    headers: z.object({ 'if-none-match': z.string().optional() }),
  },
  responses: {
    200: {
      description: 'the image bytes',
      headers: {
        'Cache-Control': { schema: { type: 'string', example: MEDIA_CACHE_CONTROL } },
        ETag: { schema: { type: 'string' } },
      },
      content: { 'image/jpeg': imageBinary, 'image/png': imageBinary, 'image/webp': imageBinary, 'image/gif': imageBinary },
    },
    304: { description: 'not modified: the ETag matched If-None-Match' },
    404: errorResponses[404],
  },
});
