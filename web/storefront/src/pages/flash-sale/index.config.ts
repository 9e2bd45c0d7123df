export default definePageConfig({ navigationBarTitleText: 'flash-sale' });
