import { View, Text } from '@tarojs/components';
import { api } from '@/api';
import { useApi } from '@/hooks/use-api';
import { PageState } from '@/components/page-state';

export default function Index() {
  const cats = useApi(() => api.call('listCategories'));
  return (
    <View>
      <PageState loading={cats.loading && !cats.data} error={cats.error} onRetry={cats.reload} />
      <Text>{String(JSON.stringify(cats.data)).slice(0, 300)}</Text>
    </View>
  );
}
