import { PropsWithChildren } from 'react';
import { useLaunch } from '@tarojs/taro';
import { isLoggedIn, wxLogin } from '@/api/session';
import './app.css';

export default function App({ children }: PropsWithChildren) {
  useLaunch(() => {
    // In the mini-program a shopper is always known: sign in silently at launch, so the home
    // campaign, prices and the cart are theirs from the first page. (H5 signs in on demand.)
    if (process.env.TARO_ENV === 'weapp' && !isLoggedIn()) wxLogin().catch(() => undefined);
  });
  return children;
}
