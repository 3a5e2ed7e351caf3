import type { RouteModule } from '../../types.ts';
import auth from './auth.ts';

/** Portal API: customer admins and members (session cookie or bearer token). */
const routes: RouteModule[] = [auth];
export default routes;
