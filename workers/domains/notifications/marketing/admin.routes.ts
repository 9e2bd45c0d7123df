import { createRoute, z } from '@hono/zod-openapi';
import { bearerSecurity, createRouter, ctxOf, errorResponses, jsonBody, jsonContent, optionalJsonBody } from '../../../shared/http';
import { requireStaff } from '../../auth/middleware';
import {
  CreateMessageTemplateInput,
  ListSendsQuery,
  ListTemplatesQuery,
  MessageSendPageSchema,
  MessageSettingsSchema,
  MessageTemplateListSchema,
  MessageTemplateSchema,
  PreviewInput,
  PreviewSchema,
  UpdateMessageSettingsInput,
  UpdateMessageTemplateInput,
} from './dto';
import { getMessageSettings, updateMessageSettings } from './preferences.service';
import { listMessageSends } from './send.service';
import { createMessageTemplate, listMessageTemplates, previewTemplate, templateRow, updateMessageTemplate } from './templates.service';

const tags = ['Messages admin'];
const security = bearerSecurity;
const read = requireStaff('members.read');
const write = requireStaff('members.write');
const idParam = z.object({ templateId: z.string().min(4).max(40) });

export const messagesAdminRoutes = createRouter();

messagesAdminRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/message-templates',
    operationId: 'createMessageTemplate',
    tags,
    security,
    middleware: write,
    summary: 'Create a message template (消息模板): a WeChat subscribe message or an SMS for one trigger',
    description:
      'WeChat: template id, keyword mapping (thing1, time2, …) and page; SMS: sign, template code and text with ${var}. Every ${var} must be ' +
      'a variable of the trigger (400 validation.failed). One active template per trigger and channel (409 notifications.template_exists). ' +
      'The answer includes a preview rendered with sample values.',
    request: { body: jsonBody(CreateMessageTemplateInput) },
    responses: {
      201: jsonContent(MessageTemplateSchema, 'created'),
      400: errorResponses[400],
      401: errorResponses[401],
      403: errorResponses[403],
      409: errorResponses[409],
    },
  }),
  async (c) => c.json(await createMessageTemplate(ctxOf(c), c.req.valid('json')), 201),
);

messagesAdminRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/message-templates',
    operationId: 'listMessageTemplates',
    tags,
    security,
    middleware: read,
    summary: 'Message templates, newest first, with the triggers and the variables each provides',
    request: { query: ListTemplatesQuery },
    responses: {
      200: jsonContent(MessageTemplateListSchema),
      400: errorResponses[400],
      401: errorResponses[401],
      403: errorResponses[403],
    },
  }),
  async (c) => c.json(await listMessageTemplates(ctxOf(c), c.req.valid('query')), 200),
);

messagesAdminRoutes.openapi(
  createRoute({
    method: 'patch',
    path: '/message-templates/{templateId}',
    operationId: 'updateMessageTemplate',
    tags,
    security,
    middleware: write,
    summary: 'Edit a message template, or disable / re-enable it (status)',
    request: { params: idParam, body: jsonBody(UpdateMessageTemplateInput) },
    responses: {
      200: jsonContent(MessageTemplateSchema),
      400: errorResponses[400],
      401: errorResponses[401],
      403: errorResponses[403],
      404: errorResponses[404],
      409: errorResponses[409],
    },
  }),
  async (c) => c.json(await updateMessageTemplate(ctxOf(c), c.req.valid('param').templateId, c.req.valid('json')), 200),
);

messagesAdminRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/message-templates/{templateId}/preview',
    operationId: 'previewMessageTemplate',
    tags,
    security,
    middleware: read,
    summary: 'Render a template with given values (the trigger’s samples fill the rest): what WeChat or the SMS gateway would receive',
    request: { params: idParam, body: optionalJsonBody(PreviewInput) },
    responses: {
      200: jsonContent(PreviewSchema),
      400: errorResponses[400],
      401: errorResponses[401],
      403: errorResponses[403],
      404: errorResponses[404],
    },
  }),
  async (c) => {
    const body = c.req.valid('json') ?? PreviewInput.parse({});
    return c.json(previewTemplate(await templateRow(ctxOf(c), c.req.valid('param').templateId), body.vars), 200);
  },
);

messagesAdminRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/message-settings',
    operationId: 'getMessageSettings',
    tags,
    security,
    middleware: read,
    summary: 'Frequency caps (频控) and quiet hours (免打扰) for marketing messages',
    responses: { 200: jsonContent(MessageSettingsSchema), 401: errorResponses[401], 403: errorResponses[403] },
  }),
  async (c) => c.json(await getMessageSettings(ctxOf(c)), 200),
);

messagesAdminRoutes.openapi(
  createRoute({
    method: 'put',
    path: '/message-settings',
    operationId: 'updateMessageSettings',
    tags,
    security,
    middleware: write,
    summary: 'Change the frequency caps and quiet hours; sends decided from now on follow them',
    request: { body: jsonBody(UpdateMessageSettingsInput) },
    responses: { 200: jsonContent(MessageSettingsSchema), 400: errorResponses[400], 401: errorResponses[401], 403: errorResponses[403] },
  }),
  async (c) => c.json(await updateMessageSettings(ctxOf(c), c.req.valid('json')), 200),
);

messagesAdminRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/message-sends',
    operationId: 'listMessageSends',
    tags,
    security,
    middleware: read,
    summary: 'The send log (发送记录): every templated send with its status and reason, newest first',
    request: { query: ListSendsQuery },
    responses: { 200: jsonContent(MessageSendPageSchema), 400: errorResponses[400], 401: errorResponses[401], 403: errorResponses[403] },
  }),
  async (c) => c.json(await listMessageSends(ctxOf(c), c.req.valid('query')), 200),
);
