import { createRoute } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { bearerSecurity, createRouter, ctxOf, errorResponses, jsonBody, jsonContent, type AppEnv } from '../../shared/http';
import { shopperId } from '../../shared/context';
import { requireUser } from '../auth/middleware';
import {
  AddCartItemInput,
  AddCartItemResult,
  CartSchema,
  GuestCartHeaders,
  GuestCartResult,
  ItemIdParam,
  MergeCartResult,
  MergeHeaders,
  SelectCartItemsInput,
  UpdateCartItemInput,
} from './dto';
import {
  addCartItem,
  cartOwnerId,
  createGuestCart,
  getCart,
  mergeGuestCart,
  removeCartItem,
  selectCartItems,
  updateCartItem,
} from './cart.service';

const tags = ['Cart'];
// A bearer token (the shopper's cart) or none (the guest cart named by X-Guest-Cart).
const userOrGuest = [...bearerSecurity, {}];
const cartErrors = { 400: errorResponses[400], 401: errorResponses[401], 403: errorResponses[403] };

/** The cart owner of this request; the header was already checked by the route's zod schema. */
const ownerOf = (c: Context<AppEnv>) => cartOwnerId(c.get('actor'), c.req.header('x-guest-cart'));

export const cartStoreRoutes = createRouter();

cartStoreRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/cart/guest',
    operationId: 'createGuestCart',
    tags,
    summary: 'H5 guest: get a guest cart id to send as X-Guest-Cart until login (then mergeGuestCart)',
    responses: { 201: jsonContent(GuestCartResult, 'a new, empty guest cart') },
  }),
  (c) => c.json(createGuestCart(), 201),
);

cartStoreRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/cart',
    operationId: 'getCart',
    tags,
    security: userOrGuest,
    summary: 'The cart with live price and stock, flags for off-sale / out-of-stock / price changes, grouped per merchant',
    request: { headers: GuestCartHeaders },
    responses: { 200: jsonContent(CartSchema), ...cartErrors },
  }),
  async (c) => {
    return c.json(await getCart(ctxOf(c), ownerOf(c)), 200);
  },
);

cartStoreRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/cart/items',
    operationId: 'addCartItem',
    tags,
    security: userOrGuest,
    summary: 'Add a SKU (adding one already in the cart raises its quantity); checked against live stock',
    request: { headers: GuestCartHeaders, body: jsonBody(AddCartItemInput) },
    responses: { 200: jsonContent(AddCartItemResult), ...cartErrors, 404: errorResponses[404], 409: errorResponses[409] },
  }),
  async (c) => {
    const ctx = ctxOf(c);
    const owner = ownerOf(c);
    const { itemId } = await addCartItem(ctx, owner, c.req.valid('json'));
    return c.json({ ...(await getCart(ctx, owner)), itemId }, 200);
  },
);

cartStoreRoutes.openapi(
  createRoute({
    method: 'patch',
    path: '/cart/items/{itemId}',
    operationId: 'updateCartItem',
    tags,
    security: userOrGuest,
    summary: "Change a line's quantity and/or selection",
    request: { headers: GuestCartHeaders, params: ItemIdParam, body: jsonBody(UpdateCartItemInput) },
    responses: { 200: jsonContent(CartSchema), ...cartErrors, 404: errorResponses[404], 409: errorResponses[409] },
  }),
  async (c) => {
    const ctx = ctxOf(c);
    const owner = ownerOf(c);
    await updateCartItem(ctx, owner, c.req.valid('param').itemId, c.req.valid('json'));
    return c.json(await getCart(ctx, owner), 200);
  },
);

cartStoreRoutes.openapi(
  createRoute({
    method: 'delete',
    path: '/cart/items/{itemId}',
    operationId: 'removeCartItem',
    tags,
    security: userOrGuest,
    summary: 'Remove a line',
    request: { headers: GuestCartHeaders, params: ItemIdParam },
    responses: { 200: jsonContent(CartSchema), ...cartErrors, 404: errorResponses[404] },
  }),
  async (c) => {
    const ctx = ctxOf(c);
    const owner = ownerOf(c);
    await removeCartItem(ctx, owner, c.req.valid('param').itemId);
    return c.json(await getCart(ctx, owner), 200);
  },
);

cartStoreRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/cart/select',
    operationId: 'selectCartItems',
    tags,
    security: userOrGuest,
    summary: 'Select or unselect the given lines, or all lines when itemIds is omitted',
    request: { headers: GuestCartHeaders, body: jsonBody(SelectCartItemsInput) },
    responses: { 200: jsonContent(CartSchema), ...cartErrors, 404: errorResponses[404] },
  }),
  async (c) => {
    const ctx = ctxOf(c);
    const owner = ownerOf(c);
    await selectCartItems(ctx, owner, c.req.valid('json'));
    return c.json(await getCart(ctx, owner), 200);
  },
);

cartStoreRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/cart/merge',
    operationId: 'mergeGuestCart',
    tags,
    security: bearerSecurity,
    summary:
      "After login: move the guest cart (X-Guest-Cart) into the shopper's cart; quantities add up, capped at stock and 999; repeat-safe",
    middleware: [requireUser] as const,
    request: { headers: MergeHeaders },
    responses: { 200: jsonContent(MergeCartResult), 400: errorResponses[400], 401: errorResponses[401], 403: errorResponses[403] },
  }),
  async (c) => {
    const ctx = ctxOf(c);
    const userId = shopperId(ctx);
    const merge = await mergeGuestCart(ctx, userId, c.req.valid('header')['x-guest-cart']);
    return c.json({ ...(await getCart(ctx, userId)), merge }, 200);
  },
);
