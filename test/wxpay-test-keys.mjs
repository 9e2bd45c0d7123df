// Fresh WeChat Pay keys for tests and local dev: a merchant key pair (we sign requests, the
// sandbox verifies), a platform key pair (the sandbox signs answers and notifications, we verify)
// and an APIv3 key. Plain Node ESM with no dependencies, because both vitest.config.mts and the
// dev runner (.ci/dev.mjs, plain Node 20, which cannot import .ts) call it.
import { generateKeyPairSync, randomBytes, randomInt } from 'node:crypto';

const ALPHANUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

function rsaPair() {
  return generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    // PKCS#8 is what WebCrypto imports and what WeChat's apiclient_key.pem is.
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
}

/**
 * Generates a complete, self-consistent set of WeChat Pay env vars for sandbox mode.
 * PEM values are multi-line strings; escape newlines (`\n`) when writing them to a dotenv file
 * (the worker's PEM reader accepts literal `\n` escapes).
 * @returns {import('./wxpay-test-keys.d.mts').WxpayTestEnv}
 */
export function generateWxpayTestEnv() {
  const merchant = rsaPair();
  const platform = rsaPair();
  return {
    WECHATPAY_MCHID: '1900000001',
    // 40 upper-case hex characters, the shape of a merchant certificate serial.
    WECHATPAY_MCH_SERIAL: randomBytes(20).toString('hex').toUpperCase(),
    WECHATPAY_MCH_PRIVATE_KEY: merchant.privateKey,
    // The shape of a WeChat Pay platform public key id.
    WECHATPAY_PLATFORM_SERIAL: `PUB_KEY_ID_01${Array.from({ length: 30 }, () => randomInt(10)).join('')}`,
    WECHATPAY_PLATFORM_PUBLIC_KEY: platform.publicKey,
    WECHATPAY_APIV3_KEY: Array.from({ length: 32 }, () => ALPHANUM[randomInt(ALPHANUM.length)]).join(''),
    WXPAY_SANDBOX_PLATFORM_PRIVATE_KEY: platform.privateKey,
    WXPAY_SANDBOX_MCH_PUBLIC_KEY: merchant.publicKey,
    WECHAT_APP_ID: 'wx_sandbox_appid',
  };
}
