// Development only. This file is the one door from production code into workers/dev: app.ts calls
// mountDevRoutes when it builds the app for an ENVIRONMENT other than production, and nothing
// else outside workers/dev imports from here (.ci/check-layout.mjs checks that).
import type { MiddlewareHandler } from 'hono';
import type { Env } from '../shared/env';
import type { createRouter } from '../shared/http';
import { useSandboxWechatPay } from '../domains/payments/wechatpay/client';
import { createDevRoutes } from './demo-seed.routes';
import { createClockRoutes } from './clock.routes';
import { wxpaySandboxApp } from './wechatpay-sandbox';
import { createWxpaySandboxRoutes } from './wechatpay-sandbox.routes';

type Router = ReturnType<typeof createRouter>;

export interface DevMount {
  /** The root app: the WeChat Pay sandbox controls live at /sandbox/wechatpay/…. */
  root: Router;
  /** The admin router before it is mounted at /admin/v1, so the seed is authenticated and audited. */
  admin: Router;
  /** The app's CORS policy: the H5 storefront presses the sandbox's "pay" from the browser. */
  crossOrigin: MiddlewareHandler;
  /** Hands a request to the whole app in-process: the sandbox's notifications reach our notify routes. */
  fetch: (req: Request, env: Env) => Promise<Response>;
}

/** Registers the development-only routes: the demo seed, the dev clock and the WeChat Pay sandbox controls. */
export function mountDevRoutes(m: DevMount): void {
  m.root.use('/sandbox/*', m.crossOrigin);
  m.root.route('/', createWxpaySandboxRoutes(m.fetch));
  m.admin.route('/', createDevRoutes(m.fetch));
  m.admin.route('/', createClockRoutes());
}

// The payment client talks to the in-process sandbox in sandbox mode, and must not import it.
// Registered when this module loads rather than in mountDevRoutes, because queue and cron
// handlers create clients without building an app; the client only uses it when isSandbox(env),
// which is never true in production.
useSandboxWechatPay(wxpaySandboxApp);
