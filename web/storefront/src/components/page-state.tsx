import { View, Text, Button } from '@tarojs/components';
import { errorText } from '@/api';
import './page-state.css';

/** Loading, error (with retry) and empty states, the same on every page. */
export function PageState({ loading, error, empty, emptyText = '这里还什么都没有', onRetry }: { loading?: boolean; error?: unknown; empty?: boolean; emptyText?: string; onRetry?: () => void }) {
  if (error)
    return (
      <View className='page-state' data-testid='page-error'>
        <Text className='page-state__text'>{errorText(error)}</Text>
        {onRetry && (
          <Button className='page-state__retry' size='mini' onClick={onRetry}>
            重试
          </Button>
        )}
      </View>
    );
  if (loading)
    return (
      <View className='page-state' data-testid='page-loading'>
        <Text className='page-state__text'>加载中…</Text>
      </View>
    );
  if (empty)
    return (
      <View className='page-state' data-testid='page-empty'>
        <Text className='page-state__text'>{emptyText}</Text>
      </View>
    );
  return null;
}
