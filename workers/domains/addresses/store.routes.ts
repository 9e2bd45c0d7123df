import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { bearerSecurity, createRouter, ctxOf, errorResponses, jsonBody, jsonContent, type AppEnv } from '../../shared/http';
import { shopperId } from '../../shared/context';
import { requireUser } from '../auth/middleware';
import { AddressIdParam, AddressListSchema, AddressSchema, CreateAddressInput, UpdateAddressInput } from './dto';
import { createAddress, deleteAddress, getAddress, listAddresses, updateAddress } from './addresses.service';

const tags = ['Addresses'];
const security = bearerSecurity;
const middleware = requireUser;
const authErrors = { 401: errorResponses[401], 403: errorResponses[403] };

/** requireUser has run, so the actor is a shopper. */
const userIdOf = (c: Context<AppEnv>) => shopperId({ actor: c.get('actor') });

export const addressStoreRoutes = createRouter();

addressStoreRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/addresses',
    operationId: 'listAddresses',
    tags,
    security,
    middleware,
    summary: "The shopper's address book, default first; name, phone and street detail masked",
    responses: { 200: jsonContent(AddressListSchema), ...authErrors },
  }),
  async (c) => c.json({ items: await listAddresses(ctxOf(c), userIdOf(c)) }, 200),
);

addressStoreRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/addresses',
    operationId: 'createAddress',
    tags,
    security,
    middleware,
    summary: 'Add an address (max 20); the first one becomes the default',
    request: { body: jsonBody(CreateAddressInput) },
    responses: { 201: jsonContent(AddressSchema, 'created'), 400: errorResponses[400], ...authErrors, 409: errorResponses[409] },
  }),
  async (c) => c.json(await createAddress(ctxOf(c), userIdOf(c), c.req.valid('json')), 201),
);

addressStoreRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/addresses/{addressId}',
    operationId: 'getAddress',
    tags,
    security,
    middleware,
    summary: 'One address, unmasked (owner only)',
    request: { params: AddressIdParam },
    responses: { 200: jsonContent(AddressSchema), 400: errorResponses[400], ...authErrors, 404: errorResponses[404] },
  }),
  async (c) => c.json(await getAddress(ctxOf(c), userIdOf(c), c.req.valid('param').addressId), 200),
);

addressStoreRoutes.openapi(
  createRoute({
    method: 'patch',
    path: '/addresses/{addressId}',
    operationId: 'updateAddress',
    tags,
    security,
    middleware,
    summary: 'Change an address; isDefault true makes it the default',
    request: { params: AddressIdParam, body: jsonBody(UpdateAddressInput) },
    responses: {
      200: jsonContent(AddressSchema),
      400: errorResponses[400],
      ...authErrors,
      404: errorResponses[404],
      409: errorResponses[409],
    },
  }),
  async (c) => c.json(await updateAddress(ctxOf(c), userIdOf(c), c.req.valid('param').addressId, c.req.valid('json')), 200),
);

addressStoreRoutes.openapi(
  createRoute({
    method: 'delete',
    path: '/addresses/{addressId}',
    operationId: 'deleteAddress',
    tags,
    security,
    middleware,
    summary: 'Delete an address; if it was the default, the most recently added other one becomes the default',
    request: { params: AddressIdParam },
    responses: { 200: jsonContent(z.object({ ok: z.literal(true) })), 400: errorResponses[400], ...authErrors, 404: errorResponses[404] },
  }),
  async (c) => {
    await deleteAddress(ctxOf(c), userIdOf(c), c.req.valid('param').addressId);
    return c.json({ ok: true as const }, 200);
  },
);
