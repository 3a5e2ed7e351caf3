import type { RouteModule } from '../../types.ts';
import activate from './activate.ts';
import deactivate from './deactivate.ts';
import endSession from './end-session.ts';
import publicKey from './public-key.ts';
import renewSession from './renew-session.ts';
import startSession from './start-session.ts';
import take from './take.ts';
import usage from './usage.ts';

/** Client API: licensed programs, authenticated with `Authorization: License <key>`. */
const routes: RouteModule[] = [
  publicKey,
  activate,
  deactivate,
  startSession,
  renewSession,
  endSession,
  take,
  usage,
];
export default routes;
