/** /orders: an organization's purchases; GET /orders/{id} lists its license items (Orders → Full License). */
import { Type } from 'typebox';
import { ORDER_KINDS } from '../../../contract/domain.ts';
import { LicstatError } from '../../../contract/errors.ts';
import { writeAudit } from '../../../storage/audit-repository.ts';
import { deleteOrder, orderInUse, updateOrderKind } from '../../../storage/catalog-admin-repository.ts';
import {
  createOrder,
  getOrder,
  getOrganization,
  listLicenseItems,
  listOrders,
  VENDOR_SCOPE,
} from '../../../storage/catalog-repository.ts';
import { presentOrder } from '../../present.ts';
import { principalOf, requireRole, scopeOf } from '../../principal.ts';
import type { RouteModule } from '../../types.ts';
import { NoContent } from '../responses.ts';
import { badReference, IdParams, notFound, presentItems } from './common.ts';
import { LicenseItemSchema, OrderSchema } from './schemas.ts';

const Kind = Type.Union(ORDER_KINDS.map((k) => Type.Literal(k)));
const CreateBody = Type.Object(
  { organizationId: Type.String({ minLength: 1, maxLength: 100 }), kind: Kind },
  { additionalProperties: false },
);
const ListQuery = Type.Object(
  { organizationId: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })) },
  { additionalProperties: false },
);

const orders: RouteModule = (app, deps) => {
  const db = deps.db.kysely;
  const tags = ['vendor'];

  app.post(
    '/orders',
    {
      schema: {
        response: { 201: Type.Object({ order: OrderSchema }) },
        tags,
        summary: 'Create an order',
        body: CreateBody,
      },
      preHandler: requireRole('vendor'),
    },
    async (request, reply) => {
      const p = principalOf(request);
      const { organizationId, kind } = request.body;
      if (!(await getOrganization(db, VENDOR_SCOPE, organizationId)))
        throw badReference('organization', organizationId);
      const now = deps.clock.now();
      const order = await createOrder(db, organizationId, kind, now);
      await writeAudit(
        db,
        { organizationId, userId: p.userId, action: 'order.create', target: order.id, details: { kind } },
        now,
      );
      return reply.status(201).send({ order: presentOrder(order) });
    },
  );

  app.get(
    '/orders',
    {
      schema: {
        response: { 200: Type.Object({ orders: Type.Array(OrderSchema) }) },
        tags,
        summary: "Orders (customers: their organization's)",
        querystring: ListQuery,
      },
      preHandler: requireRole('vendor', 'admin', 'member'),
    },
    async (request) => {
      let rows = await listOrders(db, scopeOf(principalOf(request)));
      const org = request.query.organizationId;
      if (org) rows = rows.filter((o) => o.organization_id === org);
      return { orders: rows.map(presentOrder) };
    },
  );

  app.get(
    '/orders/:id',
    {
      schema: {
        response: { 200: Type.Object({ order: OrderSchema, licenseItems: Type.Array(LicenseItemSchema) }) },
        tags,
        summary: 'An order with its license items',
        params: IdParams,
      },
      preHandler: requireRole('vendor', 'admin', 'member'),
    },
    async (request) => {
      const scope = scopeOf(principalOf(request));
      const order = await getOrder(db, scope, request.params.id);
      if (!order) throw notFound('order', request.params.id);
      const items = await listLicenseItems(db, scope, { orderId: order.id });
      return { order: presentOrder(order), licenseItems: await presentItems(db, items) };
    },
  );

  app.patch(
    '/orders/:id',
    {
      schema: {
        summary: "Change an order's kind (full or trial)",
        response: { 200: Type.Object({ order: OrderSchema }) },
        tags,
        params: IdParams,
        body: Type.Object({ kind: Kind }, { additionalProperties: false }),
      },
      preHandler: requireRole('vendor'),
    },
    async (request) => {
      const p = principalOf(request);
      const order = await getOrder(db, VENDOR_SCOPE, request.params.id);
      if (!order) throw notFound('order', request.params.id);
      await updateOrderKind(db, order.id, request.body.kind);
      await writeAudit(
        db,
        {
          organizationId: order.organization_id,
          userId: p.userId,
          action: 'order.update',
          target: order.id,
          details: request.body,
        },
        deps.clock.now(),
      );
      return { order: presentOrder({ ...order, kind: request.body.kind }) };
    },
  );

  app.delete(
    '/orders/:id',
    {
      schema: {
        summary: 'Delete an order without license items (409 IN_USE otherwise)',
        tags,
        params: IdParams,
        response: NoContent,
      },
      preHandler: requireRole('vendor'),
    },
    async (request, reply) => {
      const order = await getOrder(db, VENDOR_SCOPE, request.params.id);
      if (!order) throw notFound('order', request.params.id);
      if (await orderInUse(db, order.id))
        throw new LicstatError('IN_USE', 'the order still holds license items');
      await deleteOrder(db, order.id);
      await writeAudit(
        db,
        {
          organizationId: order.organization_id,
          userId: principalOf(request).userId,
          action: 'order.delete',
          target: order.id,
        },
        deps.clock.now(),
      );
      return reply.status(204).send(null);
    },
  );
};
export default orders;
