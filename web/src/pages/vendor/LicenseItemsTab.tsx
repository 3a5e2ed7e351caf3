/** Vendor console: issue a license item in one of the organization's orders. */
import { useState } from 'react';
import {
  DEPLOYMENTS,
  type Deployment,
  LICENSE_MODELS,
  type LicenseModel,
} from '../../../../src/contract/domain.ts';
import type { LicenseItem, Order, Product } from '../../../../src/contract/resources.ts';
import { api } from '../../api/client.ts';
import { useApi } from '../../api/use-api.ts';
import { useAuth } from '../../auth.tsx';
import { ItemsTable } from '../../components/ItemsTable.tsx';
import { useOrg } from '../../components/OrgPicker.tsx';
import { Async, Card } from '../../components/ui.tsx';
import { isoDateIn, MODEL_LABEL } from '../../format.ts';
import { Field, FormStatus, useSubmit } from './forms.tsx';
import { NeedOrg } from './SimpleTabs.tsx';

// The validity dates are UTC calendar dates (the fields say so): today's and a year from now.
const today = () => isoDateIn(Date.now(), 'UTC');
const nextYear = () => {
  const d = new Date();
  d.setUTCFullYear(d.getUTCFullYear() + 1);
  return isoDateIn(d, 'UTC');
};

export function LicenseItemsTab() {
  const org = useOrg();
  const { timeZone } = useAuth();
  const q = { organizationId: org.organizationId };
  const orders = useApi<{ orders: Order[] }>(org.organizationId ? '/orders' : null, q);
  const products = useApi<{ products: Product[] }>('/products');
  const items = useApi<{ licenseItems: LicenseItem[] }>(org.organizationId ? '/license-items' : null, q);
  const [orderId, setOrderId] = useState('');
  const [productId, setProductId] = useState('');
  const [name, setName] = useState('');
  const [version, setVersion] = useState('2026.x');
  const [deployment, setDeployment] = useState<Deployment>('computer');
  const [model, setModel] = useState<LicenseModel>('multi-user');
  const [quota, setQuota] = useState(5);
  const [refresh, setRefresh] = useState('1d');
  const [validFrom, setValidFrom] = useState(today);
  const [validTo, setValidTo] = useState(nextYear);
  const [modules, setModules] = useState<string[]>([]);
  const [takes, setTakes] = useState(4);
  const [takeDays, setTakeDays] = useState(30);

  const orderList = orders.data?.orders ?? [];
  const productList = products.data?.products ?? [];
  const effOrder = orderId || orderList[0]?.id || '';
  const effProduct = productId || productList[0]?.id || '';
  const product = productList.find((p) => p.id === effProduct);

  const f = useSubmit(
    () =>
      api<{ licenseItem: LicenseItem }>('/license-items', {
        method: 'POST',
        body: {
          orderId: effOrder,
          productId: effProduct,
          name,
          version,
          deployment,
          model,
          quota,
          refreshInterval: refresh,
          validFrom: `${validFrom}T00:00:00Z`,
          validTo: `${validTo}T00:00:00Z`,
          modules: modules.filter((m) => product?.modules.includes(m)),
          ...(model === 'single-user' ? { takesPerPeriod: takes, takePeriodDays: takeDays } : {}),
        },
      }),
    () => {
      setName('');
      items.reload();
    },
  );
  if (!org.organizationId) return <NeedOrg />;
  return (
    <div className="page">
      <Card title="New license item">
        {orderList.length === 0 || productList.length === 0 ? (
          <p className="muted">
            {orderList.length === 0 ? 'Create an order for this organization first (Orders tab). ' : ''}
            {productList.length === 0 ? 'Create a product first (Products tab).' : ''}
          </p>
        ) : (
          <form
            className="form"
            onSubmit={(e) => f.submit(e, (r) => `Issued ${r.licenseItem.id} ${r.licenseItem.name}.`)}
          >
            <div className="form-grid">
              <Field label="Order">
                <select value={effOrder} onChange={(e) => setOrderId(e.target.value)}>
                  {orderList.map((o) => (
                    <option key={o.id} value={o.id}>
                      {o.kind === 'full' ? 'Full License' : 'Trial'} · {o.id}
                    </option>
                  ))}
                </select>
              </Field>
              <Field label="Product">
                <select value={effProduct} onChange={(e) => setProductId(e.target.value)}>
                  {productList.map((p) => (
                    <option key={p.id} value={p.id}>
                      {p.name}
                    </option>
                  ))}
                </select>
              </Field>
              <Field label="Name">
                <input
                  required
                  value={name}
                  onChange={(e) => setName(e.target.value)}
                  placeholder="e.g. Floating seats"
                />
              </Field>
              <Field label="Version">
                <input required value={version} onChange={(e) => setVersion(e.target.value)} />
              </Field>
              <Field label="Model">
                <select value={model} onChange={(e) => setModel(e.target.value as LicenseModel)}>
                  {LICENSE_MODELS.map((m) => (
                    <option key={m} value={m}>
                      {MODEL_LABEL[m]}
                    </option>
                  ))}
                </select>
              </Field>
              <Field label="Quota" hint="licenses, seats, dongles, devices or scans">
                <input
                  type="number"
                  min={1}
                  required
                  value={quota}
                  onChange={(e) => setQuota(Number(e.target.value))}
                />
              </Field>
              <Field label="Deployment">
                <select value={deployment} onChange={(e) => setDeployment(e.target.value as Deployment)}>
                  {DEPLOYMENTS.map((d) => (
                    <option key={d} value={d}>
                      {d}
                    </option>
                  ))}
                </select>
              </Field>
              <Field label="Refresh interval" hint='e.g. "2h", "1d"'>
                <input required value={refresh} onChange={(e) => setRefresh(e.target.value)} />
              </Field>
              <Field label="Valid from (UTC)">
                <input
                  type="date"
                  required
                  value={validFrom}
                  onChange={(e) => setValidFrom(e.target.value)}
                />
              </Field>
              <Field label="Valid to (UTC)">
                <input type="date" required value={validTo} onChange={(e) => setValidTo(e.target.value)} />
              </Field>
              {model === 'single-user' && (
                <>
                  <Field label="Takes per period">
                    <input
                      type="number"
                      min={0}
                      value={takes}
                      onChange={(e) => setTakes(Number(e.target.value))}
                    />
                  </Field>
                  <Field label="Take period (days)">
                    <input
                      type="number"
                      min={1}
                      value={takeDays}
                      onChange={(e) => setTakeDays(Number(e.target.value))}
                    />
                  </Field>
                </>
              )}
            </div>
            {product && product.modules.length > 0 && (
              <fieldset className="field checks-fieldset">
                <legend>Modules</legend>
                <div className="checks">
                  {product.modules.map((m) => (
                    <label key={m}>
                      <input
                        type="checkbox"
                        checked={modules.includes(m)}
                        onChange={(e) =>
                          setModules((s) => (e.target.checked ? [...s, m] : s.filter((x) => x !== m)))
                        }
                      />
                      {m}
                    </label>
                  ))}
                </div>
              </fieldset>
            )}
            <FormStatus error={f.error} ok={f.ok} />
            <div>
              <button className="btn btn-primary" type="submit" disabled={f.busy || !name.trim()}>
                Issue license item
              </button>
            </div>
          </form>
        )}
      </Card>
      <Card title="License items of this organization">
        <Async state={items}>
          {(d) =>
            d.licenseItems.length === 0 ? (
              <p className="muted">None yet.</p>
            ) : (
              <ItemsTable items={d.licenseItems} tz={timeZone} manage />
            )
          }
        </Async>
      </Card>
    </div>
  );
}
