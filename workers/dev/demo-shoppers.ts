// The demo shop's regular customers. They are ordinary H5 shoppers: a newcomer can sign in on the
// H5 storefront with one of these phones (the sandbox shows the SMS code) and find their orders,
// team and after-sale there.
import type { Ctx, UserActor } from '../shared/context';
import { AppError } from '../shared/errors';
import { actorFromToken, revokeSession } from '../domains/auth/auth.service';
import { loginWithSms, sendSmsCode } from '../domains/users/users.service';
import { createAddress, listAddresses } from '../domains/addresses/addresses.service';
import { CreateAddressInput } from '../domains/addresses/dto';

export const DEMO_SHOPPERS = {
  lin: {
    phone: '13700000001',
    address: { name: '林晓', province: '浙江省', city: '杭州市', district: '西湖区', detail: '文三路 90 号 东部软件园 3 幢 501 室' },
  },
  chen: {
    phone: '13700000002',
    address: { name: '陈一鸣', province: '上海市', city: '上海市', district: '浦东新区', detail: '张江路 665 号 2 号楼 1203 室' },
  },
  wang: {
    phone: '13700000003',
    address: { name: '王芳', province: '广东省', city: '深圳市', district: '南山区', detail: '高新南七道 18 号 科技大厦 7 楼' },
  },
} as const;

export type ShopperKey = keyof typeof DEMO_SHOPPERS;

export interface DemoShopper {
  userId: string;
  /** The seed's context acting as this shopper (same clock, db and env). */
  ctx: Ctx;
  addressId: string;
}

export interface SignedInShoppers {
  shoppers: Record<ShopperKey, DemoShopper>;
  /** Shoppers this call registered (0 when they all existed). */
  created: number;
  /** Ends the sessions the seed opened. */
  signOut(): Promise<void>;
}

/**
 * Signs every demo shopper in the way H5 does — sendSmsCode (the sandbox hands the code back) and
 * loginWithSms, which registers a phone on first use and grants the new-user pack — and gives each
 * a default address once. A code is consumed by its login, so seeding again at once is fine; only
 * a run that died between the two steps leaves a code that blocks the phone for a minute.
 */
export async function signInDemoShoppers(ctx: Ctx): Promise<SignedInShoppers> {
  const shoppers = {} as Record<ShopperKey, DemoShopper>;
  const sessions: string[] = [];
  let created = 0;
  for (const [key, s] of Object.entries(DEMO_SHOPPERS) as [ShopperKey, (typeof DEMO_SHOPPERS)[ShopperKey]][]) {
    let sent;
    try {
      sent = await sendSmsCode(ctx, s.phone);
    } catch (e) {
      if ((e as AppError).code !== 'users.sms_too_frequent') throw e;
      throw new AppError(
        'dev.seed_retry_later',
        409,
        `an earlier seed left an unused SMS code for ${s.phone}; seed again in a minute`,
        (e as AppError).details,
      );
    }
    if (!sent.sandboxCode) throw new AppError('dev.disabled', 404, 'demo shoppers sign in with sandbox SMS codes; sandbox mode is off');
    const login = await loginWithSms(ctx, { phone: s.phone, code: sent.sandboxCode });
    if (login.isNew) created++;
    const actor = (await actorFromToken(ctx, login.accessToken)) as UserActor;
    sessions.push(actor.sessionId);
    const as: Ctx = { ...ctx, actor };
    const book = await listAddresses(as, actor.userId);
    const addressId =
      book.find((a) => a.isDefault)?.id ??
      book[0]?.id ??
      (await createAddress(as, actor.userId, CreateAddressInput.parse({ ...s.address, phone: s.phone, isDefault: true }))).id;
    shoppers[key] = { userId: actor.userId, ctx: as, addressId };
  }
  return {
    shoppers,
    created,
    signOut: async () => {
      for (const id of sessions) await revokeSession(ctx, id);
    },
  };
}
