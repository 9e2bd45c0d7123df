import { View } from '@tarojs/components';

// Placeholder while the page is being written.
export default function Page() {
  return <View>order</View>;
}
