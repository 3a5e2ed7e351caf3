import type { RouteModule } from '../../types.ts';

/** Portal API: customer admins and members (session cookie or bearer token). */
const routes: RouteModule[] = [];
export default routes;
