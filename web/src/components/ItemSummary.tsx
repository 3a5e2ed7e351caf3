/** The head of a license item: tags, usage against quota, validity, modules, activation codes and projects. */
import { Link } from 'react-router';
import type { LicenseItem, Order } from '../../../src/contract/resources.ts';
import type { ItemDetail } from '../../../src/contract/stats.ts';
import { useApi } from '../api/use-api.ts';
import {
  formatDateSpan,
  formatNumber,
  formatPercent,
  formatQuantity,
  MODEL_LABEL,
  ORDER_LABEL,
  validityStatus,
} from '../format.ts';
import { Badge } from './ui.tsx';

/**
 * The breadcrumb of an item's order, named after the order's kind ("Full License" or "Trial
 * License"); until the order is loaded it is called by its id.
 */
export function useOrderCrumb(orderId: string | undefined): { label: string; to: string }[] {
  const order = useApi<{ order: Order; licenseItems: LicenseItem[] }>(
    orderId ? `/orders/${encodeURIComponent(orderId)}` : null,
  );
  if (!orderId) return [];
  const kind = order.data?.order.kind;
  return [{ label: kind ? ORDER_LABEL[kind] : orderId, to: `/orders/${orderId}` }];
}

export function ItemTags({ item }: { item: ItemDetail }) {
  return (
    <div className="tags" data-testid="item-tags">
      <span className="tag">
        <span className="tag-k">product</span>
        {item.productName}
      </span>
      <span className="tag">
        <span className="tag-k">version</span>
        {item.version}
      </span>
      <span className="tag">
        <span className="tag-k">deployment</span>
        {item.deployment}
      </span>
      <span className="tag">refresh/{item.refreshInterval}</span>
      <span className="tag tag-model">{MODEL_LABEL[item.model] ?? item.model}</span>
    </div>
  );
}

/** The item's state from the API; its words and date in the viewer's zone, as every list shows them. */
export function StatusBadge({ item, tz }: { item: Pick<ItemDetail, 'status' | 'validTo'>; tz: string }) {
  const { state } = item.status;
  return (
    <Badge tone={state === 'valid' ? 'good' : state === 'expired' ? 'bad' : 'warn'}>
      {validityStatus(item.validTo, tz).text}
    </Badge>
  );
}

export function ItemSummary({
  item,
  tz,
  showUsage = true,
  linkProjects = true,
}: {
  item: ItemDetail;
  tz: string;
  showUsage?: boolean;
  /** false for members: they may not open project pages, so the names are plain text */
  linkProjects?: boolean;
}) {
  const pct = item.usage?.percentage ?? null;
  return (
    <div className="summary-grid" data-testid="item-summary">
      {showUsage && (
        <div className="summary-block">
          <span className="summary-k">Usage</span>
          {item.model === 'hardware-key' ? (
            <span className="summary-v">{formatQuantity(item.quota, item.quotaType)} · status only</span>
          ) : item.usage ? (
            <>
              <span className="summary-v" data-testid="item-usage">
                <strong className="big">{formatNumber(item.usage.value)}</strong> of{' '}
                {formatQuantity(item.quota, item.quotaType)}
                <span className="pct" data-testid="item-usage-pct">
                  {formatPercent(pct)}
                </span>
              </span>
              <div className="meter" aria-hidden="true">
                <div
                  className={`meter-fill ${pct !== null && pct >= 100 ? 'over' : pct !== null && pct >= 80 ? 'warn' : ''}`}
                  style={{ width: `${Math.min(100, pct ?? 0)}%` }}
                />
              </div>
            </>
          ) : (
            <span className="summary-v muted">not shown for your role</span>
          )}
        </div>
      )}
      <div className="summary-block">
        <span className="summary-k">Validity</span>
        <span className="summary-v">{formatDateSpan(item.validFrom, item.validTo, tz)}</span>
        <StatusBadge item={item} tz={tz} />
      </div>
      <div className="summary-block">
        <span className="summary-k">Modules</span>
        <span className="chips">
          {item.modules.length ? (
            item.modules.map((m) => (
              <span key={m} className="chip">
                {m}
              </span>
            ))
          ) : (
            <span className="muted">none</span>
          )}
        </span>
      </div>
      <div className="summary-block">
        <span className="summary-k">Projects</span>
        <span className="chips" data-testid="item-projects">
          {item.projects.length ? (
            item.projects.map((p) =>
              linkProjects ? (
                <Link key={p.id} to={`/projects/${p.id}`} className="chip chip-link">
                  {p.name}
                </Link>
              ) : (
                <span key={p.id} className="chip">
                  {p.name}
                </span>
              ),
            )
          ) : (
            <span className="muted">not configured to a project</span>
          )}
        </span>
      </div>
    </div>
  );
}
