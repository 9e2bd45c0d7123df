/** The WeChat Pay env vars generateWxpayTestEnv() returns (all strings, PEMs multi-line). */
export interface WxpayTestEnv {
  WECHATPAY_MCHID: string;
  WECHATPAY_MCH_SERIAL: string;
  WECHATPAY_MCH_PRIVATE_KEY: string;
  WECHATPAY_PLATFORM_SERIAL: string;
  WECHATPAY_PLATFORM_PUBLIC_KEY: string;
  WECHATPAY_APIV3_KEY: string;
  WXPAY_SANDBOX_PLATFORM_PRIVATE_KEY: string;
  WXPAY_SANDBOX_MCH_PUBLIC_KEY: string;
  WECHAT_APP_ID: string;
}

/** Two fresh RSA-2048 key pairs (merchant, platform) and a random 32-character APIv3 key. */
export function generateWxpayTestEnv(): WxpayTestEnv;
