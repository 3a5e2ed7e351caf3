/** License items as a table: id, name, product, model and quota, status, and the way in. */
import { Link } from 'react-router';
import type { LicenseItem } from '../../../src/contract/resources.ts';
import { formatLicenses, MODEL_LABEL, validityStatus } from '../format.ts';
import { Badge } from './ui.tsx';

export function ItemsTable({ items, tz, manage }: { items: LicenseItem[]; tz: string; manage: boolean }) {
  return (
    <div className="table-wrap">
      <table className="table" data-testid="items-table">
        <thead>
          <tr>
            <th>License item</th>
            <th>Product</th>
            <th>Licenses</th>
            <th>Status</th>
            <th className="actions">
              <span className="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {items.map((i) => {
            const st = validityStatus(i.validTo, tz);
            return (
              <tr key={i.id}>
                <td>
                  <Link to={`/license-items/${i.id}`} className="table-title">
                    <span className="id-mono">{i.id}</span>
                  </Link>
                  <span className="table-sub">{i.name}</span>
                </td>
                <td>
                  {i.productName}
                  <span className="table-sub">
                    {i.version} · {i.deployment}
                  </span>
                </td>
                <td className="nowrap">
                  {formatLicenses(i.quota, i.model)}
                  <span className="table-sub">{MODEL_LABEL[i.model] ?? i.model}</span>
                </td>
                <td>
                  <Badge tone={st.tone}>{st.text}</Badge>
                </td>
                <td className="actions">
                  {manage ? (
                    <Link to={`/license-items/${i.id}/stats`} className="btn btn-secondary btn-sm">
                      Manage
                    </Link>
                  ) : (
                    <Link to={`/license-items/${i.id}`} className="btn btn-ghost btn-sm">
                      Details
                    </Link>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
