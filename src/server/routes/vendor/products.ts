/** /products: the vendor's programs and the feature modules they offer. */
import { Type } from 'typebox';
import { LicstatError } from '../../../contract/errors.ts';
import { writeAudit } from '../../../storage/audit-repository.ts';
import {
  deleteProduct,
  modulesUsedByItems,
  productInUse,
  updateProduct,
} from '../../../storage/catalog-admin-repository.ts';
import { createProduct, getProduct, listProducts } from '../../../storage/catalog-repository.ts';
import { presentProduct } from '../../present.ts';
import { principalOf, requireRole } from '../../principal.ts';
import type { RouteModule } from '../../types.ts';
import { NoContent } from '../responses.ts';
import { IdParams, ModuleList, Name, notFound } from './common.ts';
import { ProductSchema } from './schemas.ts';

const CreateBody = Type.Object({ name: Name, modules: ModuleList }, { additionalProperties: false });
const PatchBody = Type.Object(
  { name: Type.Optional(Name), modules: Type.Optional(ModuleList) },
  { additionalProperties: false },
);

const products: RouteModule = (app, deps) => {
  const db = deps.db.kysely;
  const tags = ['vendor'];

  app.post(
    '/products',
    {
      schema: {
        response: { 201: Type.Object({ product: ProductSchema }) },
        tags,
        summary: 'Create a product',
        body: CreateBody,
      },
      preHandler: requireRole('vendor'),
    },
    async (request, reply) => {
      const p = principalOf(request);
      const now = deps.clock.now();
      const product = await createProduct(db, request.body.name, request.body.modules, now);
      await writeAudit(
        db,
        { organizationId: null, userId: p.userId, action: 'product.create', target: product.id },
        now,
      );
      return reply.status(201).send({ product: presentProduct(product) });
    },
  );

  app.get(
    '/products',
    {
      schema: {
        summary: 'Products and the modules they offer',
        response: { 200: Type.Object({ products: Type.Array(ProductSchema) }) },
        tags,
      },
      preHandler: requireRole('vendor', 'admin', 'member'),
    },
    async () => ({ products: (await listProducts(db)).map(presentProduct) }),
  );

  app.get(
    '/products/:id',
    {
      schema: {
        summary: 'One product',
        response: { 200: Type.Object({ product: ProductSchema }) },
        tags,
        params: IdParams,
      },
      preHandler: requireRole('vendor', 'admin', 'member'),
    },
    async (request) => {
      const product = await getProduct(db, request.params.id);
      if (!product) throw notFound('product', request.params.id);
      return { product: presentProduct(product) };
    },
  );

  app.patch(
    '/products/:id',
    {
      schema: {
        summary: 'Rename a product or change its modules (dropping one a license item has is 409 IN_USE)',
        response: { 200: Type.Object({ product: ProductSchema }) },
        tags,
        params: IdParams,
        body: PatchBody,
      },
      preHandler: requireRole('vendor'),
    },
    async (request) => {
      const p = principalOf(request);
      const product = await getProduct(db, request.params.id);
      if (!product) throw notFound('product', request.params.id);
      const { modules } = request.body;
      if (modules) {
        const used = [...(await modulesUsedByItems(db, product.id))].filter((m) => !modules.includes(m));
        if (used.length > 0)
          throw new LicstatError('IN_USE', `license items still have the modules ${used.join(', ')}`);
      }
      await updateProduct(db, product.id, request.body);
      await writeAudit(
        db,
        {
          organizationId: null,
          userId: p.userId,
          action: 'product.update',
          target: product.id,
          details: request.body,
        },
        deps.clock.now(),
      );
      return { product: presentProduct((await getProduct(db, product.id))!) };
    },
  );

  app.delete(
    '/products/:id',
    {
      schema: {
        summary: 'Delete a product no license item uses (409 IN_USE otherwise)',
        tags,
        params: IdParams,
        response: NoContent,
      },
      preHandler: requireRole('vendor'),
    },
    async (request, reply) => {
      const product = await getProduct(db, request.params.id);
      if (!product) throw notFound('product', request.params.id);
      if (await productInUse(db, product.id))
        throw new LicstatError('IN_USE', 'license items use this product');
      await deleteProduct(db, product.id);
      await writeAudit(
        db,
        {
          organizationId: null,
          userId: principalOf(request).userId,
          action: 'product.delete',
          target: product.id,
          details: { name: product.name },
        },
        deps.clock.now(),
      );
      return reply.status(204).send(null);
    },
  );
};
export default products;
