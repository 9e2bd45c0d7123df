// Check-in (签到) and the task centre (任务中心): one import for app.ts.
export { checkinStoreRoutes } from './checkin/store.routes';
export { checkinAdminRoutes } from './checkin/admin.routes';
export { tasksStoreRoutes } from './tasks/store.routes';
export { tasksAdminRoutes } from './tasks/admin.routes';
