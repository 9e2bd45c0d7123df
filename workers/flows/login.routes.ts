import { createRoute } from '@hono/zod-openapi';
import { createRouter, ctxOf, errorResponses, jsonBody, jsonContent } from '../shared/http';
import { LoginResult, SmsLoginInput, WxLoginInput } from '../domains/users/dto';
import { smsLogin, wechatLogin } from './login';

const tags = ['Shopper auth'];
export const loginRoutes = createRouter();

loginRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/auth/wx-login',
    operationId: 'userLogin',
    tags,
    summary: 'Mini-program login: exchange a wx.login code for session tokens',
    description:
      'In sandbox mode (local dev, tests) any code maps deterministically to one shopper; in production the code goes to WeChat jscode2session.',
    request: { body: jsonBody(WxLoginInput) },
    responses: { 200: jsonContent(LoginResult), 400: errorResponses[400], 401: errorResponses[401] },
  }),
  async (c) => c.json(await wechatLogin(ctxOf(c), c.req.valid('json')), 200),
);

loginRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/auth/sms-login',
    operationId: 'smsLogin',
    tags,
    summary: 'H5 login step 2: phone + code → session tokens',
    request: { body: jsonBody(SmsLoginInput) },
    responses: { 200: jsonContent(LoginResult), 400: errorResponses[400] },
  }),
  async (c) => c.json(await smsLogin(ctxOf(c), c.req.valid('json')), 200),
);
