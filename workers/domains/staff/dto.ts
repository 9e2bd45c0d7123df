import { z } from '@hono/zod-openapi';
import { TokenPairSchema } from '../auth/dto';
import { STAFF_ROLES, PERMISSIONS } from '../../shared/rbac';

export const AdminLoginInput = z
  .object({
    email: z.string().trim().toLowerCase().email().max(120).openapi({ example: 'admin@edgemall.local' }),
    password: z.string().min(1).max(200),
  })
  .openapi('AdminLoginInput');

export const StaffSchema = z
  .object({
    id: z.string(),
    email: z.string(),
    name: z.string(),
    role: z.enum(STAFF_ROLES),
    merchantId: z.string().nullable(),
    status: z.enum(['active', 'disabled']),
    permissions: z.array(z.enum(PERMISSIONS)),
    createdAt: z.string(),
  })
  .openapi('Staff');

export const AdminLoginResult = TokenPairSchema.extend({ staff: StaffSchema }).openapi('AdminLoginResult');

export const CreateStaffInput = z
  .object({
    email: z.string().trim().toLowerCase().email().max(120),
    name: z.string().trim().min(1).max(40),
    password: z.string().min(10, 'at least 10 characters').max(200),
    role: z.enum(STAFF_ROLES),
    merchantId: z.string().optional().openapi({ description: 'required when role is merchant' }),
  })
  .refine((v) => (v.role === 'merchant') === !!v.merchantId, {
    message: 'merchantId is required for role merchant and not allowed for other roles',
    path: ['merchantId'],
  })
  .openapi('CreateStaffInput');

export type StaffDto = z.infer<typeof StaffSchema>;

export const UpdateStaffInput = z
  .object({
    name: z.string().trim().min(1).max(40).optional(),
    role: z.enum(STAFF_ROLES).optional(),
    merchantId: z
      .string()
      .min(4)
      .max(40)
      .nullable()
      .optional()
      .openapi({ description: 'the merchant of a merchant-role account; null/absent for other roles' }),
    status: z
      .enum(['active', 'disabled'])
      .optional()
      .openapi({ description: 'disabled: cannot sign in, and every open session ends at once' }),
  })
  .refine((v) => Object.values(v).some((x) => x !== undefined), { message: 'give at least one field to change', path: ['name'] })
  .openapi('UpdateStaffInput');
export type UpdateStaffInput = z.infer<typeof UpdateStaffInput>;

export const RoleSchema = z
  .object({
    role: z.enum(STAFF_ROLES),
    label: z.string().openapi({ example: '运营' }),
    description: z.string(),
    permissions: z.array(z.object({ key: z.enum(PERMISSIONS), label: z.string() })),
  })
  .openapi('Role');
