/** Staff roles; a merchant staff member also carries the merchant id they belong to. */
export const STAFF_ROLES = ['admin', 'operator', 'support', 'merchant'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

/** Permissions are checked on the server for every admin route (see `authorize`). */
export const PERMISSIONS = [
  'catalog.read',
  'catalog.write',
  'catalog.review',
  'stock.write',
  'media.write',
  'orders.read',
  'orders.write',
  'aftersales.write',
  'promotions.write',
  'members.read',
  'members.write',
  'merchants.manage',
  'staff.manage',
  'audit.read',
  /** customer-service tickets: the queue, replies, assignment, closing */
  'support.handle',
  /** the auto-reply's FAQ knowledge base */
  'support.faq',
  /** 内容运营: articles, topics, scene guides, home sections, the content calendar */
  'content.write',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

const MATRIX: Record<StaffRole, readonly Permission[]> = {
  admin: PERMISSIONS,
  operator: [
    'catalog.read',
    'catalog.write',
    'catalog.review',
    'stock.write',
    'media.write',
    'orders.read',
    'orders.write',
    'promotions.write',
    'members.read',
    'members.write',
    'support.faq',
    'content.write',
  ],
  // Support sees a shopper's tier and points (service priority, questions about points), changes nothing there.
  support: ['catalog.read', 'orders.read', 'aftersales.write', 'members.read', 'support.handle', 'support.faq'],
  // Merchant permissions are further limited to the merchant's own rows by each service.
  merchant: ['catalog.read', 'catalog.write', 'stock.write', 'media.write', 'orders.read', 'orders.write', 'aftersales.write'],
};

export function roleCan(role: StaffRole, perm: Permission): boolean {
  return MATRIX[role].includes(perm);
}

export function permissionsOf(role: StaffRole): readonly Permission[] {
  return MATRIX[role];
}

/** The platform's own merchant: products sold by the platform itself belong to it. */
export const PLATFORM_MERCHANT_ID = 'mch_platform';
