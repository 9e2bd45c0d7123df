import type { Ctx } from '../shared/context';
import { hashPassword } from '../shared/crypto';
import { batchFailure } from '../shared/db';
import { AppError, badRequest, conflict } from '../shared/errors';
import { newId } from '../shared/ids';
import { enforceRateLimit } from '../shared/rate-limit';
import { getCategoryRow } from '../domains/catalog/categories.service';
import { assertMediaPurpose, sniffImageType, uploadMedia } from '../domains/media/media.service';
import {
  applicationInsertStatements,
  approvalStatements,
  assertCanReviewApplications,
  getApplicationRow,
  notPending,
  pendingApplicationWithEmail,
  toApplicationDetail,
} from '../domains/merchants/applications.service';
import type { ApplyMerchantInputT, ApprovalResultDto } from '../domains/merchants/dto';
import { merchantInsertStatement } from '../domains/merchants/merchants.service';
import { staffEmailTaken, staffInsertFromHashStatement } from '../domains/staff/staff.service';
import { screenFields } from '../domains/screening/screen.service';

/** Licences are photos or scans: PNG, JPEG or WebP (no GIF). */
const LICENCE_TYPES = new Set(['image/png', 'image/jpeg', 'image/webp']);

async function limitByIp(ctx: Ctx, ip: string | undefined): Promise<void> {
  if (!ip) return;
  await enforceRateLimit(
    ctx.env.ONBOARDING_IP_LIMITER,
    `onboard:${ip}`,
    'merchants.rate_limited',
    'too many requests from this network; wait a minute',
  );
}

const emailTaken = (email: string) => conflict('merchants.email_taken', `the login email ${email} is already in use`);
const applicationPending = (email: string) =>
  conflict('merchants.application_pending', `an application with the login email ${email} is already waiting for review`);

/**
 * uploadMerchantLicence (public): stores the business-licence image in R2 with purpose `licence`
 * before the applicant has an account. The bytes decide the type (magic numbers); only PNG, JPEG
 * and WebP up to 5 MiB are accepted.
 * @throws 415 media.unsupported_type, 400 media.content_mismatch / media.empty, 413 media.too_large, 429 merchants.rate_limited
 */
export async function uploadMerchantLicence(
  ctx: Ctx,
  input: { bytes: Uint8Array; contentType: string; ip?: string },
): Promise<{ key: string }> {
  await limitByIp(ctx, input.ip);
  if (input.bytes.length === 0) throw new AppError('media.empty', 400, 'the upload is empty');
  const sniffed = sniffImageType(input.bytes);
  if (!sniffed || !LICENCE_TYPES.has(sniffed))
    throw new AppError('media.unsupported_type', 415, 'the licence must be a PNG, JPEG or WebP image', {
      detected: sniffed,
      allowed: [...LICENCE_TYPES],
    });
  // The uploader has no account yet: the platform stores it on their behalf (owner = platform).
  const media = await uploadMedia(
    { ...ctx, actor: { kind: 'system', name: 'merchant-onboarding' } },
    { bytes: input.bytes, contentType: input.contentType, purpose: 'licence' },
  );
  return { key: media.key };
}

/**
 * 合规筛查 of what the shop will show (its name, company name and description): block-level terms
 * refuse the application with the matches; review-level ones are stored so the reviewer sees them.
 * @throws 400 merchants.screening_blocked with details { matches }
 */
async function screenApplication(ctx: Ctx, input: ApplyMerchantInputT) {
  const s = await screenFields(ctx, [
    { field: 'shopName', text: input.shopName },
    { field: 'companyName', text: input.companyName },
    { field: 'description', text: input.description },
  ]);
  const matches = s.matches.map(({ field, term, category, severity, start, end, found, hint }) => ({
    field,
    term,
    category,
    severity,
    start,
    end,
    found,
    hint,
  }));
  if (s.verdict === 'block')
    throw badRequest(
      'merchants.screening_blocked',
      `the application contains terms that cannot be used: ${[...new Set(matches.filter((m) => m.severity === 'block').map((m) => m.term))].join('、')}`,
      {
        verdict: s.verdict,
        matches,
      },
    );
  return { verdict: s.verdict, matches };
}

/**
 * applyMerchant (public): validates the references (category exists and is enabled, the licence
 * was uploaded as a licence, the login email is not a staff account nor claimed by a pending
 * application), hashes the password at once and stores the application with its contact sealed.
 * Nothing is written when any check fails.
 * @throws 400 validation / catalog.category_not_found / media.not_found, 409 merchants.email_taken / merchants.application_pending
 */
export async function applyMerchant(
  ctx: Ctx,
  input: ApplyMerchantInputT,
  opts: { ip?: string } = {},
): Promise<{ id: string; status: 'pending' }> {
  await limitByIp(ctx, opts.ip);
  const category = await getCategoryRow(ctx, input.categoryId).catch((err: unknown) => {
    if (err instanceof AppError && err.code === 'catalog.category_not_found') return null;
    throw err;
  });
  if (!category || !category.enabled)
    throw badRequest('catalog.category_not_found', `category ${input.categoryId} does not exist or is disabled`, { field: 'categoryId' });
  await assertMediaPurpose(ctx, input.licenceMediaKey, 'licence');
  if (await staffEmailTaken(ctx, input.email)) throw emailTaken(input.email);
  if (await pendingApplicationWithEmail(ctx, input.email)) throw applicationPending(input.email);

  const screening = await screenApplication(ctx, input);
  const { password, ...rest } = input;
  const { id, statements } = await applicationInsertStatements(ctx, { ...rest, passwordHash: await hashPassword(password) }, screening);
  try {
    await ctx.env.DB.batch(statements);
  } catch (err) {
    // Another application with this email was stored between the check and the batch.
    if (batchFailure(err) === 'guard') throw applicationPending(input.email);
    throw err;
  }
  ctx.log.info('merchant application received', { applicationId: id, categoryId: input.categoryId, screening: screening.verdict });
  return { id, status: 'pending' };
}

/**
 * approveMerchantApplication: creates the merchant (name = shop name, the given commission), its
 * merchant staff account (the application's email and password hash) and marks the application
 * approved — one D1 batch guarded on the application still being pending, so a double click or
 * concurrent approvals create exactly one merchant; the others get 409.
 * @throws 403, 404 merchants.application_not_found, 409 merchants.application_not_pending / merchants.email_taken
 */
export async function approveMerchantApplication(
  ctx: Ctx,
  id: string,
  input: { commissionBps: number; note?: string },
): Promise<ApprovalResultDto> {
  assertCanReviewApplications(ctx);
  const app = await getApplicationRow(ctx, id);
  if (app.status !== 'pending') throw notPending(app);
  const merchantId = newId('mch');
  const staffId = newId('stf');
  try {
    await ctx.env.DB.batch([
      ...approvalStatements(ctx, id, { merchantId, staffId, commissionBps: input.commissionBps, note: input.note }),
      merchantInsertStatement(ctx, { id: merchantId, name: app.shopName, commissionBps: input.commissionBps }),
      staffInsertFromHashStatement(ctx, {
        id: staffId,
        email: app.email,
        name: app.shopName,
        passwordHash: app.passwordHash,
        role: 'merchant',
        merchantId,
      }),
    ]);
  } catch (err) {
    const kind = batchFailure(err);
    if (kind === 'guard') throw notPending(await getApplicationRow(ctx, id));
    // The staff email index: someone created a staff account with this email after the application.
    if (kind === 'unique') throw emailTaken(app.email);
    throw err;
  }
  ctx.log.info('merchant application approved', { applicationId: id, merchantId, staffId, commissionBps: input.commissionBps });
  const approved = await getApplicationRow(ctx, id);
  return {
    application: await toApplicationDetail(ctx, approved),
    merchant: {
      id: merchantId,
      name: app.shopName,
      status: 'active',
      commissionBps: input.commissionBps,
      createdAt: new Date(ctx.now).toISOString(),
    },
    staff: { id: staffId, email: app.email, role: 'merchant', merchantId },
  };
}
