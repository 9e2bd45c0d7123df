export default definePageConfig({ navigationBarTitleText: 'team' });
