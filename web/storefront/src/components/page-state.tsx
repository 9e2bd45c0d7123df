import { View, Text, Button } from '@tarojs/components';
import { errorText } from '@/api';
import './page-state.css';

interface Props {
  loading?: boolean;
  error?: unknown;
  empty?: boolean;
  emptyText?: string;
  /** a way out of the empty state, e.g. 去购物车 */
  emptyAction?: { text: string; onClick: () => void };
  onRetry?: () => void;
}

/** Loading, error (with retry) and empty states, the same on every page. */
export function PageState({ loading, error, empty, emptyText = '这里还什么都没有', emptyAction, onRetry }: Props) {
  if (error)
    return (
      <View className="page-state" data-testid="page-error">
        <Text className="page-state__text">{errorText(error)}</Text>
        {onRetry && (
          <Button className="page-state__retry" size="mini" onClick={onRetry}>
            重试
          </Button>
        )}
      </View>
    );
  if (loading)
    return (
      <View className="page-state" data-testid="page-loading">
        <Text className="page-state__text">加载中…</Text>
      </View>
    );
  if (empty)
    return (
      <View className="page-state" data-testid="page-empty">
        <Text className="page-state__text">{emptyText}</Text>
        {emptyAction && (
          <Button className="page-state__retry" size="mini" data-testid="page-empty-action" onClick={emptyAction.onClick}>
            {emptyAction.text}
          </Button>
        )}
      </View>
    );
  return null;
}
