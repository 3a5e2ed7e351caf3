import type { RouteModule } from '../../types.ts';
import publicKey from './public-key.ts';

/** Client API: licensed programs, authenticated with `Authorization: License <key>`. */
const routes: RouteModule[] = [publicKey];
export default routes;
