import type { RouteModule } from '../../types.ts';

/** Vendor API: role `vendor` only. */
const routes: RouteModule[] = [];
export default routes;
