import { z } from '@hono/zod-openapi';
import { pageQuery } from '../../../shared/pagination';
import { keywordKind, varsIn } from './render';
import { SEND_STATUSES } from './schema';
import { TRIGGER_KEYS, TRIGGERS } from './triggers';

const isoTime = z.string().openapi({ description: 'ISO-8601 UTC' });
const VarText = z.string().trim().min(1).max(300);

export const ChannelEnum = z.enum(['wechat_subscribe', 'sms']).openapi({ description: 'wechat_subscribe = 小程序订阅消息; sms = 短信' });
export const PurposeEnum = z
  .enum(['transactional', 'marketing'])
  .openapi({ description: 'marketing: frequency caps, quiet hours and the shopper’s opt-outs apply; transactional: none of them' });
export const TriggerEnum = z.enum(TRIGGER_KEYS).openapi({ description: 'what sends it; fixes the variables a template may use' });

export interface TemplateShape {
  key: keyof typeof TRIGGERS;
  channel: 'wechat_subscribe' | 'sms';
  wxTemplateId?: string | null;
  fields?: Record<string, string> | null;
  page?: string | null;
  smsSign?: string | null;
  smsTemplateCode?: string | null;
  smsText?: string | null;
}

/**
 * What is wrong with a whole template (create, or a template after an update): the channel's
 * required parts, and every ${var} must be one the trigger provides.
 */
export function templateIssues(v: TemplateShape): { path: string[]; message: string }[] {
  const issues: { path: string[]; message: string }[] = [];
  const need = (field: keyof TemplateShape, why: string) => {
    if (v[field] == null) issues.push({ path: [field], message: why });
  };
  if (v.channel === 'wechat_subscribe') {
    need('wxTemplateId', 'a subscribe message needs its WeChat template id');
    need('fields', 'a subscribe message needs its keyword mapping');
  } else {
    need('smsSign', 'an SMS needs its signature');
    need('smsTemplateCode', 'an SMS needs its template code');
    need('smsText', 'an SMS needs its text');
  }
  const known = TRIGGERS[v.key].vars as Record<string, unknown>;
  const texts: [string[], string | null | undefined][] = [
    ...Object.entries(v.fields ?? {}).map(([k, t]): [string[], string] => [['fields', k], t]),
    [['page'], v.page],
    [['smsText'], v.smsText],
  ];
  for (const [path, text] of texts)
    for (const name of text ? varsIn(text) : [])
      if (!(name in known))
        issues.push({ path, message: `\${${name}} is not a variable of ${v.key}; it provides ${Object.keys(known).join(', ')}` });
  return issues;
}

const templateFields = {
  name: z.string().trim().min(1).max(60).openapi({ example: '到货提醒（订阅消息）' }),
  purpose: PurposeEnum.optional(),
  wxTemplateId: z
    .string()
    .regex(/^[\w-]{8,64}$/, 'a WeChat template id is 8–64 letters, digits, _ or -')
    .optional()
    .openapi({ description: 'WeChat: the subscribe-message template id (MP console → 订阅消息)' }),
  fields: z
    .record(
      z.string().refine((k) => keywordKind(k) !== null, 'keyword names look like thing1, time2, amount3, character_string4, phrase5'),
      VarText,
    )
    .refine((r) => Object.keys(r).length >= 1 && Object.keys(r).length <= 10, '1–10 keywords')
    .optional()
    .openapi({
      description: 'WeChat: keyword → text with ${var}',
      example: { thing1: '${productName}', amount2: '${price}元', time3: '${time}' },
    }),
  page: z
    .string()
    .trim()
    .max(200)
    .optional()
    .openapi({ description: 'WeChat: page opened from the message', example: 'pages/product/index?id=${productId}' }),
  smsSign: z.string().trim().min(2).max(12).optional().openapi({ description: 'SMS: signature (签名)', example: 'edgemall' }),
  smsTemplateCode: z
    .string()
    .regex(/^[\w-]{3,40}$/, 'an SMS template code is 3–40 letters, digits, _ or -')
    .optional()
    .openapi({ example: 'SMS_20261111' }),
  smsText: z
    .string()
    .trim()
    .min(2)
    .max(300)
    .optional()
    .openapi({ description: 'SMS: the text with ${var}', example: '您关注的${productName}已到货，快来看看吧' }),
};

export const CreateMessageTemplateInput = z
  .object({ key: TriggerEnum, channel: ChannelEnum, ...templateFields })
  .superRefine((v, ctx) => {
    for (const i of templateIssues(v)) ctx.addIssue({ code: 'custom', path: i.path, message: i.message });
  })
  .openapi('CreateMessageTemplateInput');
export type CreateMessageTemplateInput = z.infer<typeof CreateMessageTemplateInput>;

export const UpdateMessageTemplateInput = z
  .object({ ...templateFields, name: templateFields.name.optional(), status: z.enum(['active', 'disabled']).optional() })
  .refine((v) => Object.values(v).some((x) => x !== undefined), 'change at least one field')
  .openapi('UpdateMessageTemplateInput');
export type UpdateMessageTemplateInput = z.infer<typeof UpdateMessageTemplateInput>;

export const PreviewSchema = z
  .object({
    vars: z.record(z.string(), z.string()).openapi({ description: 'the values used (the trigger’s samples unless given)' }),
    wechat: z
      .object({ templateId: z.string(), page: z.string().nullable(), data: z.record(z.string(), z.object({ value: z.string() })) })
      .nullable(),
    sms: z.object({ text: z.string(), templateCode: z.string(), params: z.record(z.string(), z.string()) }).nullable(),
    missing: z.array(z.string()).openapi({ description: 'variables the template uses that the values lack' }),
  })
  .openapi('MessagePreview');

export const MessageTemplateSchema = z
  .object({
    id: z.string(),
    key: TriggerEnum,
    keyLabel: z.string().openapi({ example: '到货提醒' }),
    name: z.string(),
    channel: ChannelEnum,
    purpose: PurposeEnum,
    wxTemplateId: z.string().nullable(),
    fields: z.record(z.string(), z.string()).nullable(),
    page: z.string().nullable(),
    smsSign: z.string().nullable(),
    smsTemplateCode: z.string().nullable(),
    smsText: z.string().nullable(),
    status: z.enum(['active', 'disabled']),
    preview: PreviewSchema,
    createdAt: isoTime,
    updatedAt: isoTime,
  })
  .openapi('MessageTemplate');
export type MessageTemplateDto = z.infer<typeof MessageTemplateSchema>;

export const PreviewInput = z.object({ vars: z.record(z.string().max(40), z.string().max(200)).optional() }).openapi('MessagePreviewInput');

export const TriggerSchema = z
  .object({
    key: TriggerEnum,
    label: z.string(),
    purpose: PurposeEnum,
    vars: z.array(z.object({ name: z.string(), label: z.string(), sample: z.string() })),
  })
  .openapi('MessageTrigger');

export const MessageTemplateListSchema = z
  .object({ items: z.array(MessageTemplateSchema), triggers: z.array(TriggerSchema) })
  .openapi('MessageTemplateList');

export const ListTemplatesQuery = z.object({
  key: TriggerEnum.optional(),
  status: z.enum(['active', 'disabled']).optional(),
});

export const MessageSettingsSchema = z
  .object({
    dailyCap: z.number().int().min(0).max(50).openapi({ description: 'marketing messages per shopper per Beijing day' }),
    weeklyCap: z.number().int().min(0).max(200).openapi({ description: 'marketing messages per shopper per week (Monday–Sunday)' }),
    quietStartHour: z.number().int().min(0).max(23).openapi({ description: 'quiet hours (免打扰) start, Beijing hour', example: 22 }),
    quietEndHour: z
      .number()
      .int()
      .min(0)
      .max(23)
      .openapi({ description: 'quiet hours end, Beijing hour; equal to the start = none', example: 8 }),
  })
  .openapi('MessageSettings');
export type MessageSettingsDto = z.infer<typeof MessageSettingsSchema>;

export const UpdateMessageSettingsInput = MessageSettingsSchema.partial()
  .refine((v) => Object.values(v).some((x) => x !== undefined), 'change at least one setting')
  .refine((v) => v.dailyCap === undefined || v.weeklyCap === undefined || v.weeklyCap >= v.dailyCap, {
    message: 'the weekly cap cannot be below the daily cap',
    path: ['weeklyCap'],
  })
  .openapi('UpdateMessageSettingsInput');

export const SendStatusEnum = z.enum(SEND_STATUSES).openapi({
  description:
    'scheduled: waiting for quiet hours to end; queued/sending: on its way; sent; skipped: no channel, no subscription or opted out; capped: over the frequency cap; failed',
});

export const MessageSendSchema = z
  .object({
    id: z.string(),
    ref: z.string(),
    userId: z.string(),
    templateKey: z.string(),
    templateId: z.string().nullable(),
    channel: ChannelEnum.nullable(),
    purpose: PurposeEnum,
    vars: z.record(z.string(), z.string()),
    status: SendStatusEnum,
    reason: z.string().nullable(),
    dueAt: isoTime,
    attempts: z.number().int(),
    createdAt: isoTime,
    sentAt: isoTime.nullable(),
  })
  .openapi('MessageSend');
export type MessageSendDto = z.infer<typeof MessageSendSchema>;

export const ListSendsQuery = z.object({
  ...pageQuery,
  status: SendStatusEnum.optional(),
  userId: z.string().min(4).max(40).optional(),
  templateKey: TriggerEnum.optional(),
});

export const MessageSendPageSchema = z
  .object({
    items: z.array(MessageSendSchema),
    nextCursor: z.string().nullable(),
    today: z.record(z.string(), z.number().int()).openapi({ description: 'sends created today (Beijing) by status' }),
  })
  .openapi('MessageSendPage');

// ---------- shopper ----------

export const MyMessageSettingsSchema = z
  .object({
    marketing: z.boolean().openapi({ description: 'all marketing messages (关闭后只收到订单、退款等服务通知)' }),
    channels: z.object({ wechat_subscribe: z.boolean(), sms: z.boolean() }),
    kinds: z.array(z.object({ key: TriggerEnum, label: z.string(), enabled: z.boolean() })),
    subscribeTemplates: z
      .array(
        z.object({
          key: TriggerEnum,
          label: z.string(),
          wxTemplateId: z.string(),
          remaining: z.number().int().openapi({ description: 'one-time subscriptions not yet used' }),
        }),
      )
      .openapi({ description: 'subscribe-message templates to ask for with wx.requestSubscribeMessage (at most 3 per call)' }),
  })
  .openapi('MyMessageSettings');

export const UpdateMyMessageSettingsInput = z
  .object({
    marketing: z.boolean().optional(),
    channels: z.object({ wechat_subscribe: z.boolean().optional(), sms: z.boolean().optional() }).strict().optional(),
    kinds: z.partialRecord(TriggerEnum, z.boolean()).optional(),
  })
  .strict()
  .openapi('UpdateMyMessageSettingsInput');
export type UpdateMyMessageSettingsInput = z.infer<typeof UpdateMyMessageSettingsInput>;

export const SubscribeResultsInput = z
  .object({
    results: z
      .array(
        z.object({
          templateId: z.string().regex(/^[\w-]{8,64}$/),
          result: z.enum(['accept', 'reject', 'ban', 'filter']).openapi({ description: 'what wx.requestSubscribeMessage answered for it' }),
        }),
      )
      .min(1)
      .max(10),
  })
  .openapi('SubscribeResultsInput');

export const SubscribeResultsSchema = z
  .object({
    recorded: z.number().int().openapi({ description: 'results recorded now (0 when this key was already reported)' }),
    ignored: z.array(z.string()).openapi({ description: 'template ids no active template uses' }),
    settings: MyMessageSettingsSchema,
  })
  .openapi('SubscribeResults');
