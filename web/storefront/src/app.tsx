import { PropsWithChildren } from 'react';
import { useLaunch } from '@tarojs/taro';
import { isLoggedIn, rememberInviteCode, wxLogin } from '@/api/session';
import { inviteCodeFrom } from '@/lib/invite';
import './app.css';

export default function App({ children }: PropsWithChildren) {
  useLaunch((options) => {
    // Opened from an invite card or a scanned code: the first sign-in carries the code.
    rememberInviteCode(inviteCodeFrom((options as { query?: Record<string, string> } | undefined)?.query));
    // In the mini-program a shopper is always known: sign in silently at launch, so the home
    // campaign, prices and the cart are theirs from the first page. (H5 signs in on demand.)
    if (process.env.TARO_ENV === 'weapp' && !isLoggedIn()) wxLogin().catch(() => undefined);
  });
  return children;
}
