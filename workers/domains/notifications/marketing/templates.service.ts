import { and, desc, eq } from 'drizzle-orm';
import type { Ctx } from '../../../shared/context';
import { batchFailure, iso } from '../../../shared/db';
import { AppError, conflict, forbidden, notFound } from '../../../shared/errors';
import { newId } from '../../../shared/ids';
import { templateIssues, type CreateMessageTemplateInput, type MessageTemplateDto, type UpdateMessageTemplateInput } from './dto';
import { missingVars, renderSms, renderWechatData } from './render';
import { messageTemplates } from './schema';
import { sampleVars, TRIGGERS, type TriggerKey } from './triggers';

export type TemplateRow = typeof messageTemplates.$inferSelect;

function requireStaffActor(ctx: Ctx) {
  if (ctx.actor.kind !== 'staff') throw forbidden('this is for staff');
}

/** The rendered message for some variables: what WeChat / the SMS gateway would receive. */
export function previewTemplate(row: TemplateRow, given?: Record<string, string>) {
  const vars = { ...sampleVars(row.key as TriggerKey), ...given };
  const missing = missingVars([...Object.values(row.fields ?? {}), row.page, row.smsText], vars);
  return {
    vars,
    missing,
    wechat:
      row.channel === 'wechat_subscribe' && row.fields && row.wxTemplateId
        ? { templateId: row.wxTemplateId, page: row.page ? fillPage(row.page, vars) : null, data: renderWechatData(row.fields, vars) }
        : null,
    sms:
      row.channel === 'sms' && row.smsText && row.smsSign && row.smsTemplateCode
        ? { ...renderSms(row.smsSign, row.smsText, vars), templateCode: row.smsTemplateCode }
        : null,
  };
}

const fillPage = (page: string, vars: Record<string, string>) =>
  page.replace(/\$\{(\w+)\}/g, (_, n: string) => encodeURIComponent(vars[n] ?? ''));

export function templateDto(row: TemplateRow): MessageTemplateDto {
  return {
    id: row.id,
    key: row.key as TriggerKey,
    keyLabel: TRIGGERS[row.key as TriggerKey]?.label ?? row.key,
    name: row.name,
    channel: row.channel,
    purpose: row.purpose,
    wxTemplateId: row.wxTemplateId,
    fields: row.fields,
    page: row.page,
    smsSign: row.smsSign,
    smsTemplateCode: row.smsTemplateCode,
    smsText: row.smsText,
    status: row.status,
    preview: previewTemplate(row),
    createdAt: iso(row.createdAt)!,
    updatedAt: iso(row.updatedAt)!,
  };
}

const alreadyActive = (key: string, channel: string) =>
  conflict('notifications.template_exists', `an active ${channel} template for ${key} already exists; disable it or edit it instead`, {
    key,
    channel,
  });

/**
 * createMessageTemplate (staff, members.write): a WeChat subscribe-message or SMS template for one
 * trigger. Its ${var}s were checked against the trigger by the input schema; one active template
 * per trigger and channel (409 notifications.template_exists otherwise).
 */
export async function createMessageTemplate(ctx: Ctx, input: CreateMessageTemplateInput): Promise<MessageTemplateDto> {
  requireStaffActor(ctx);
  const wechat = input.channel === 'wechat_subscribe';
  const row: TemplateRow = {
    id: newId('mtp'),
    key: input.key,
    name: input.name,
    channel: input.channel,
    purpose: input.purpose ?? TRIGGERS[input.key].purpose,
    wxTemplateId: wechat ? input.wxTemplateId! : null,
    fields: wechat ? input.fields! : null,
    page: wechat ? (input.page ?? null) : null,
    smsSign: wechat ? null : input.smsSign!,
    smsTemplateCode: wechat ? null : input.smsTemplateCode!,
    smsText: wechat ? null : input.smsText!,
    status: 'active',
    createdAt: ctx.now,
    updatedAt: ctx.now,
  };
  try {
    await ctx.db.insert(messageTemplates).values(row);
  } catch (e) {
    if (batchFailure(e) === 'unique') throw alreadyActive(input.key, input.channel);
    throw e;
  }
  ctx.log.info('message template created', { templateId: row.id, key: row.key, channel: row.channel });
  return templateDto(row);
}

export async function templateRow(ctx: Ctx, id: string): Promise<TemplateRow> {
  const [row] = await ctx.db.select().from(messageTemplates).where(eq(messageTemplates.id, id)).limit(1);
  if (!row) throw notFound('notifications.template_not_found', `message template ${id}`);
  return row;
}

/** updateMessageTemplate: edits a template or disables / re-enables it; the result is checked whole. */
export async function updateMessageTemplate(ctx: Ctx, id: string, input: UpdateMessageTemplateInput): Promise<MessageTemplateDto> {
  requireStaffActor(ctx);
  const row = await templateRow(ctx, id);
  const wechat = row.channel === 'wechat_subscribe';
  const next: TemplateRow = {
    ...row,
    name: input.name ?? row.name,
    purpose: input.purpose ?? row.purpose,
    status: input.status ?? row.status,
    updatedAt: ctx.now,
    ...(wechat
      ? { wxTemplateId: input.wxTemplateId ?? row.wxTemplateId, fields: input.fields ?? row.fields, page: input.page ?? row.page }
      : {
          smsSign: input.smsSign ?? row.smsSign,
          smsTemplateCode: input.smsTemplateCode ?? row.smsTemplateCode,
          smsText: input.smsText ?? row.smsText,
        }),
  };
  const issues = templateIssues({ ...next, key: row.key as TriggerKey });
  if (issues.length)
    throw new AppError('validation.failed', 400, `body: ${issues[0]!.path.join('.')} — ${issues[0]!.message}`, {
      in: 'json',
      issues: issues.map((i) => ({ path: i.path.join('.'), message: i.message, code: 'custom' })),
    });
  try {
    await ctx.db
      .update(messageTemplates)
      .set({
        name: next.name,
        purpose: next.purpose,
        status: next.status,
        wxTemplateId: next.wxTemplateId,
        fields: next.fields,
        page: next.page,
        smsSign: next.smsSign,
        smsTemplateCode: next.smsTemplateCode,
        smsText: next.smsText,
        updatedAt: ctx.now,
      })
      .where(eq(messageTemplates.id, id));
  } catch (e) {
    if (batchFailure(e) === 'unique') throw alreadyActive(row.key, row.channel);
    throw e;
  }
  return templateDto(next);
}

/** listMessageTemplates: every template (newest first), with the triggers and their variables. */
export async function listMessageTemplates(ctx: Ctx, q: { key?: TriggerKey; status?: 'active' | 'disabled' }) {
  const rows = await ctx.db
    .select()
    .from(messageTemplates)
    .where(and(q.key ? eq(messageTemplates.key, q.key) : undefined, q.status ? eq(messageTemplates.status, q.status) : undefined))
    .orderBy(desc(messageTemplates.createdAt), desc(messageTemplates.id));
  return {
    items: rows.map(templateDto),
    triggers: (Object.keys(TRIGGERS) as TriggerKey[]).map((key) => ({
      key,
      label: TRIGGERS[key].label,
      purpose: TRIGGERS[key].purpose,
      vars: Object.entries(TRIGGERS[key].vars as Record<string, { label: string; sample: string }>).map(([name, v]) => ({
        name,
        label: v.label,
        sample: v.sample,
      })),
    })),
  };
}

/** The active templates of a trigger, per channel. */
export async function activeTemplates(ctx: Ctx, key: string): Promise<Map<'wechat_subscribe' | 'sms', TemplateRow>> {
  const rows = await ctx.db
    .select()
    .from(messageTemplates)
    .where(and(eq(messageTemplates.key, key), eq(messageTemplates.status, 'active')));
  return new Map(rows.map((r) => [r.channel, r]));
}

/** Every active subscribe-message template (the shopper's 消息设置 asks for these). */
export async function activeWechatTemplates(ctx: Ctx): Promise<TemplateRow[]> {
  return ctx.db
    .select()
    .from(messageTemplates)
    .where(and(eq(messageTemplates.channel, 'wechat_subscribe'), eq(messageTemplates.status, 'active')));
}
