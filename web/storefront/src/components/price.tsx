import { Text } from '@tarojs/components';
import { fenToYuanString } from '@/lib/format';
import './price.css';

/** A price in fen, drawn the shop way: small ¥, large yuan, small fen; `strike` for the list price. */
export function Price({
  fen,
  strike = false,
  size = 'md',
  testId,
}: {
  fen: number;
  strike?: boolean;
  size?: 'sm' | 'md' | 'lg';
  testId?: string;
}) {
  const s = fenToYuanString(fen);
  const [yuan, cents] = s.split('.');
  if (strike)
    return (
      <Text className="price price--strike" data-testid={testId}>
        ¥{s}
      </Text>
    );
  return (
    <Text className={`price price--${size}`} data-testid={testId}>
      <Text className="price__sym">¥</Text>
      <Text className="price__yuan">{yuan}</Text>
      <Text className="price__fen">.{cents}</Text>
    </Text>
  );
}
