import type { RouteModule } from '../../types.ts';
import activationCodes from './activation-codes.ts';
import apiTokens from './api-tokens.ts';
import licenseItems from './license-items.ts';
import orders from './orders.ts';
import organizations from './organizations.ts';
import products from './products.ts';
import projects from './projects.ts';
import users from './users.ts';

/** Vendor API: role `vendor` only. */
const routes: RouteModule[] = [
  organizations,
  users,
  products,
  orders,
  licenseItems,
  activationCodes,
  projects,
  apiTokens,
];
export default routes;
