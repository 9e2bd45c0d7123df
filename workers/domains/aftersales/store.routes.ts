import { createRoute, z } from '@hono/zod-openapi';
import { bearerSecurity, createRouter, ctxOf, errorResponses, jsonBody, jsonContent } from '../../shared/http';
import { optionalIdempotencyHeader } from '../../shared/idempotency';
import { requireUser } from '../auth/middleware';
import { uploadMedia } from '../media/media.service';
import { readUpload, rejectDeclaredOversize } from '../media/upload-body';
import {
  AfterSalePageSchema,
  AfterSalePhotoSchema,
  AfterSaleSchema,
  ApplyAfterSaleInput,
  ListMyAfterSalesQuery,
  ReturnShipmentInput,
} from './dto';
import { applyAfterSale, cancelAfterSale, getAfterSaleDto, listMyAfterSales, submitReturnShipment } from './aftersales.service';

const tags = ['After-sales'];
const security = bearerSecurity;
const orderParam = z.object({ orderId: z.string().min(4).max(40) });
const afterSaleParam = z.object({ afterSaleId: z.string().min(4).max(40) });
export const aftersalesStoreRoutes = createRouter();

aftersalesStoreRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/orders/{orderId}/after-sales',
    operationId: 'applyAfterSale',
    tags,
    security,
    middleware: requireUser,
    summary: 'Ask for a refund, a return and refund, or an exchange of some units of some lines',
    description:
      'Paid, shipped, delivered orders, and completed ones within 15 days. Quantities beyond what is neither refunded nor in another open ' +
      "request are 409 aftersales.quantity_exceeded; refundAmount defaults to (and may not exceed, 409 aftersales.amount_exceeded) the lines' paid share. " +
      'Send an Idempotency-Key header: a retry returns the same after-sale (200 instead of 201).',
    request: {
      params: orderParam,
      headers: optionalIdempotencyHeader,
      body: jsonBody(ApplyAfterSaleInput),
    },
    responses: {
      201: jsonContent(AfterSaleSchema, 'created'),
      200: jsonContent(AfterSaleSchema, 'the same request again (Idempotency-Key)'),
      400: errorResponses[400],
      401: errorResponses[401],
      403: errorResponses[403],
      404: errorResponses[404],
      409: errorResponses[409],
    },
  }),
  async (c) => {
    const r = await applyAfterSale(ctxOf(c), c.req.valid('param').orderId, c.req.valid('json'), c.req.valid('header')['idempotency-key']);
    return r.replayed ? c.json(r.afterSale, 200) : c.json(r.afterSale, 201);
  },
);

aftersalesStoreRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/after-sales',
    operationId: 'listMyAfterSales',
    tags,
    security,
    middleware: requireUser,
    summary: "The shopper's after-sales requests, newest first",
    request: { query: ListMyAfterSalesQuery },
    responses: { 200: jsonContent(AfterSalePageSchema), 400: errorResponses[400], 401: errorResponses[401] },
  }),
  async (c) => c.json(await listMyAfterSales(ctxOf(c), c.req.valid('query')), 200),
);

aftersalesStoreRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/after-sales/photos',
    operationId: 'uploadAfterSalePhoto',
    tags,
    security,
    middleware: [requireUser, rejectDeclaredOversize] as const,
    summary: 'Upload one after-sale photo (JPEG, PNG, WebP or GIF, at most 5 MiB); put the returned key in photoKeys',
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
      201: jsonContent(AfterSalePhotoSchema, 'stored'),
      400: errorResponses[400],
      401: errorResponses[401],
      413: errorResponses[400],
      415: errorResponses[400],
    },
  }),
  async (c) => {
    const { bytes, contentType } = await readUpload(c.req.raw);
    const m = await uploadMedia(ctxOf(c), { bytes, contentType, purpose: 'aftersale' });
    return c.json({ key: m.key, url: m.url }, 201);
  },
);

aftersalesStoreRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/after-sales/{afterSaleId}',
    operationId: 'getAfterSale',
    tags,
    security,
    middleware: requireUser,
    summary: "One of the shopper's after-sales with its lines and refund (someone else's is 404)",
    request: { params: afterSaleParam },
    responses: { 200: jsonContent(AfterSaleSchema), 401: errorResponses[401], 404: errorResponses[404] },
  }),
  async (c) => c.json(await getAfterSaleDto(ctxOf(c), c.req.valid('param').afterSaleId), 200),
);

aftersalesStoreRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/after-sales/{afterSaleId}/cancel',
    operationId: 'cancelAfterSale',
    tags,
    security,
    middleware: requireUser,
    summary: 'Withdraw a request that has not been reviewed yet; repeating it is harmless',
    request: { params: afterSaleParam },
    responses: { 200: jsonContent(AfterSaleSchema), 401: errorResponses[401], 404: errorResponses[404], 409: errorResponses[409] },
  }),
  async (c) => c.json(await cancelAfterSale(ctxOf(c), c.req.valid('param').afterSaleId), 200),
);

aftersalesStoreRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/after-sales/{afterSaleId}/return-shipment',
    operationId: 'submitReturnShipment',
    tags,
    security,
    middleware: requireUser,
    summary: 'Tell the merchant how the goods were sent back (approved return or exchange)',
    request: { params: afterSaleParam, body: jsonBody(ReturnShipmentInput) },
    responses: {
      200: jsonContent(AfterSaleSchema),
      400: errorResponses[400],
      401: errorResponses[401],
      404: errorResponses[404],
      409: errorResponses[409],
    },
  }),
  async (c) => c.json(await submitReturnShipment(ctxOf(c), c.req.valid('param').afterSaleId, c.req.valid('json')), 200),
);
