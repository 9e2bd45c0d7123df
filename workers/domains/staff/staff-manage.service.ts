import { and, eq, sql } from 'drizzle-orm';
import type { Ctx } from '../../shared/context';
import { stmt } from '../../shared/db';
import { AppError, badRequest, conflict, forbidden } from '../../shared/errors';
import { PERMISSIONS, STAFF_ROLES, permissionsOf, type Permission, type StaffRole } from '../../shared/rbac';
import { forgetSubjectSessions, revokeSubjectSessionsStatement } from '../auth/auth.service';
import { getMerchant } from '../merchants/merchants.service';
import { staff } from './schema';
import { toStaffDto } from './staff.service';
import type { StaffDto, UpdateStaffInput } from './dto';

export const ROLE_LABELS: Record<StaffRole, { label: string; description: string }> = {
  admin: { label: '平台管理员', description: '全部权限：人员与角色、商家、审计日志' },
  operator: { label: '运营', description: '商品、库存、订单与营销活动' },
  support: { label: '客服', description: '查看商品与订单，处理售后' },
  merchant: { label: '商家', description: '仅限本商家的商品、库存、订单与售后' },
};

export const PERMISSION_LABELS: Record<Permission, string> = {
  'catalog.read': '查看商品',
  'catalog.write': '编辑商品',
  'catalog.review': '审核商品',
  'stock.write': '调整库存',
  'media.write': '上传素材',
  'orders.read': '查看订单',
  'orders.write': '处理订单（发货、备注）',
  'aftersales.write': '处理售后',
  'promotions.write': '营销活动',
  'members.read': '查看会员（等级、积分）',
  'members.write': '会员运营（等级、积分、任务、积分商城、邀请、分层与触达）',
  'merchants.manage': '商家管理',
  'staff.manage': '人员与角色',
  'audit.read': '审计日志',
  'support.handle': '客服工单（接待、回复、关闭）',
  'support.faq': '客服知识库',
  'content.write': '内容运营（文章、首页装修、内容日历）',
};

/** listRoles: every role with its Chinese label and permissions (the matrix in shared/rbac.ts). */
export function listRoles() {
  return STAFF_ROLES.map((role) => ({
    role,
    ...ROLE_LABELS[role],
    permissions: PERMISSIONS.filter((p) => permissionsOf(role).includes(p)).map((key) => ({ key, label: PERMISSION_LABELS[key] })),
  }));
}

/**
 * updateStaff (admin): name, role (+ merchant for the merchant role) and status. An admin cannot
 * disable or demote themselves, and the last active admin cannot be removed either. Disabling an
 * account or changing its role/merchant ends all its sessions in the same batch (tokens carry the
 * role), so the next request with an old token is refused.
 */
export async function updateStaff(ctx: Ctx, id: string, input: UpdateStaffInput): Promise<StaffDto> {
  if (ctx.actor.kind !== 'staff' || ctx.actor.role !== 'admin') throw forbidden('only admins manage staff');
  const [s] = await ctx.db.select().from(staff).where(eq(staff.id, id)).limit(1);
  if (!s) throw new AppError('staff.not_found', 404, 'staff member not found');

  const role = input.role ?? s.role;
  let merchantId: string | null;
  if (role === 'merchant') {
    merchantId = input.merchantId !== undefined ? input.merchantId : s.merchantId;
    if (!merchantId) throw badRequest('staff.merchant_required', 'merchantId is required for role merchant', { path: 'merchantId' });
  } else {
    if (input.merchantId)
      throw badRequest('staff.merchant_not_allowed', `merchantId is only for role merchant, not ${role}`, { path: 'merchantId' });
    merchantId = null;
  }
  if (merchantId && merchantId !== s.merchantId) await getMerchant(ctx, merchantId);
  const status = input.status ?? s.status;
  const losesAdmin = s.role === 'admin' && s.status === 'active' && (role !== 'admin' || status !== 'active');
  if (losesAdmin && id === ctx.actor.staffId)
    throw conflict('staff.cannot_demote_self', 'you cannot disable or demote your own account; ask another admin');

  const next = { ...s, name: input.name ?? s.name, role, merchantId, status };
  const endSessions = status === 'disabled' || role !== s.role || merchantId !== s.merchantId;
  const stmts: D1PreparedStatement[] = [];
  if (losesAdmin) {
    // Another admin must stay: the guard aborts the batch if this is the last active one.
    stmts.push(
      ctx.env.DB.prepare(
        "SELECT CASE WHEN (SELECT count(*) FROM staff WHERE role = 'admin' AND status = 'active' AND id <> ?1) > 0 THEN 1 ELSE json('staff_last_admin') END",
      ).bind(id),
    );
  }
  stmts.push(
    stmt(
      ctx.env.DB,
      ctx.db
        .update(staff)
        .set({ name: next.name, role: next.role, merchantId: next.merchantId, status: next.status })
        .where(
          and(
            eq(staff.id, id),
            eq(staff.role, s.role),
            s.merchantId ? eq(staff.merchantId, s.merchantId) : sql`${staff.merchantId} IS NULL`,
            eq(staff.status, s.status),
          ),
        ),
    ),
  );
  if (endSessions) stmts.push(revokeSubjectSessionsStatement(ctx, 'staff', id));
  let results: D1Result[];
  try {
    results = await ctx.env.DB.batch(stmts);
  } catch (e) {
    if (/malformed JSON/i.test(String(e instanceof Error ? `${e.message} ${String(e.cause ?? '')}` : e)))
      throw conflict('staff.last_admin', 'at least one active admin must remain');
    throw e;
  }
  if ((results[losesAdmin ? 1 : 0]?.meta.changes ?? 0) !== 1)
    throw conflict('staff.changed_concurrently', 'the account was changed by someone else meanwhile; reload and try again');
  if (endSessions) await forgetSubjectSessions(ctx, 'staff', id);
  ctx.log.info('staff updated', { staffId: id, role: next.role, status: next.status, sessionsEnded: endSessions });
  return toStaffDto(next);
}
