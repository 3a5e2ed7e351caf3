/** SPEC §4.1: a license item's Usage Statistics page. */

import { useMemo } from 'react';
import { useParams } from 'react-router';
import type { ItemDetailResponse, ItemStatsResponse, UsageMeasure } from '../../../src/contract/stats.ts';
import { useApi } from '../api/use-api.ts';
import { useAuth } from '../auth.tsx';
import { colorScale } from '../charts/colors.ts';
import { PieCard } from '../charts/PieCard.tsx';
import { SeatsChart, TrendChart } from '../charts/TrendChart.tsx';
import { ItemSummary, ItemTags, useOrderCrumb } from '../components/ItemSummary.tsx';
import { useFollowOrganization } from '../components/OrgPicker.tsx';
import { GranularitySwitch, PeriodPicker, usePeriod } from '../components/PeriodPicker.tsx';
import { TimeZoneSelect } from '../components/TimeZoneSelect.tsx';
import { Async, Card, ErrorNotice, Forbidden, Loading, PageHeader } from '../components/ui.tsx';
import {
  formatDate,
  formatDateRange,
  formatLocalDateRange,
  formatNumber,
  formatQuantity,
  validityStatus,
} from '../format.ts';
import { SeatNeedCard } from '../insight/SeatNeedCard.tsx';
import { LiveSessions } from '../live/LiveSessions.tsx';
import { useDocumentTitle } from '../title.ts';

export const UNIT: Record<UsageMeasure, string> = {
  scans: 'scans',
  devices: 'devices',
  starts: 'starts',
  none: '',
};

export default function ItemStatsPage() {
  const { user } = useAuth();
  const { itemId = '' } = useParams();
  useDocumentTitle(`${itemId} usage`);
  if (user?.role === 'member') return <Forbidden what="usage statistics" />;
  return <ItemStats />;
}

function ItemStats() {
  const { itemId = '' } = useParams();
  const period = usePeriod('30d');
  const { window: w, granularity, timeZone: tz } = period;
  const detail = useApi<ItemDetailResponse>(`/license-items/${encodeURIComponent(itemId)}`);
  const stats = useApi<ItemStatsResponse>(`/license-items/${encodeURIComponent(itemId)}/stats`, {
    from: w.fromIso,
    to: w.toIso,
    tz,
    granularity,
  });
  const item = detail.data?.licenseItem;
  useFollowOrganization(item?.organizationId);
  const orderCrumb = useOrderCrumb(item?.orderId);
  const crumbs = [
    { label: 'Orders', to: '/orders' },
    ...orderCrumb,
    { label: itemId, to: `/license-items/${itemId}` },
    { label: 'Usage Statistics' },
  ];

  return (
    <div className="page">
      <PageHeader
        crumbs={crumbs}
        title={
          <>
            <span className="id-mono" data-testid="item-id">
              {itemId}
            </span>{' '}
            {item && <span data-testid="item-name">{item.name}</span>}
          </>
        }
        subtitle={item ? <ItemTags item={item} /> : undefined}
        actions={<TimeZoneSelect compact />}
      />
      <Async state={detail} label="Loading the license item…">
        {(d) => (
          <Card>
            <ItemSummary item={d.licenseItem} tz={tz} />
          </Card>
        )}
      </Async>
      {detail.error ? null : item?.model === 'hardware-key' ? (
        <Card title="Usage">
          <p className="notice">
            Hardware-key licenses are not served online, so they have no usage figures. This item is listed
            with its status only: <strong>{validityStatus(item.validTo, tz).text}</strong>.
          </p>
        </Card>
      ) : (
        <>
          {item && item.measure !== 'none' && <LiveSessions licenseItemId={item.id} tz={tz} />}
          <div className="toolbar sticky-toolbar">
            <PeriodPicker period={period} />
            <span className="muted small" data-testid="period-label">
              {formatLocalDateRange(w.fromDate, w.toDate)} · {tz}
            </span>
          </div>
          {stats.error ? (
            <ErrorNotice error={stats.error} onRetry={stats.reload} />
          ) : !stats.data ? (
            <Loading label="Computing statistics…" />
          ) : (
            <StatsBody stats={stats.data} tz={tz} period={period} />
          )}
        </>
      )}
    </div>
  );
}

function StatsBody({
  stats,
  tz,
  period,
}: {
  stats: ItemStatsResponse;
  tz: string;
  period: ReturnType<typeof usePeriod>;
}) {
  const keys = useMemo(
    () => [
      ...(stats.pies?.allHistory.slices.map((s) => s.key) ?? []),
      ...(stats.trend?.series.map((s) => s.key) ?? []),
    ],
    [stats],
  );
  const color = useMemo(() => colorScale(keys), [keys]);
  if (!stats.applicable || !stats.pies || !stats.trend) {
    return (
      <Card>
        <p className="notice">This license model has no usage figures.</p>
      </Card>
    );
  }
  const unit = UNIT[stats.measure];
  const isMul = stats.licenseItem.model === 'multi-user';
  const { pies, trend } = stats;
  const seatItem = stats.measure === 'starts';
  // Seat items: the main trend shows starts by outcome; others: usage by project plus the total.
  const trendKeys = trend.series.map((s) => s.key).filter((k) => k !== 'peak');
  return (
    <>
      <div className="pie-grid">
        <PieCard
          title="All History"
          caption={
            seatItem
              ? 'Program starts by outcome, ever'
              : stats.measure === 'devices'
                ? // devices come and go: every device ever seen (activated or not) beside the slots free now
                  'Every device ever seen, activated or not, and the device slots free now'
                : `Everything recorded${pies.allHistory.slices.some((s) => s.key === 'remaining') ? ', with the unused quota' : ''}`
          }
          pie={pies.allHistory}
          color={color}
          unit={unit}
          testId="pie-all"
        />
        <PieCard
          title="Selected period"
          caption={formatDateRange(stats.period.from, stats.period.to, tz)}
          pie={pies.period}
          color={color}
          unit={unit}
          testId="pie-period"
        />
        <PieCard
          title="Today"
          caption={formatDate(stats.period.today.start, tz)}
          pie={pies.today}
          color={color}
          unit={unit}
          testId="pie-today"
        />
      </div>
      <Card title="Usage trend" actions={<GranularitySwitch period={period} />} className="chart-card">
        <p className="muted small">
          {stats.measure === 'devices'
            ? 'Distinct devices seen in each interval.'
            : stats.measure === 'scans'
              ? 'Scans reported in each interval.'
              : 'Program starts in each interval.'}{' '}
          Intervals in {tz}.
        </p>
        <TrendChart trend={trend} tz={tz} color={color} keys={trendKeys} label="Usage trend line chart" />
        <p className="sr-only" data-testid="trend-summary">
          {trend.intervals.length} intervals of {trend.granularity}
        </p>
      </Card>
      {isMul && (
        <Card
          title="Concurrent seats"
          actions={
            <span className="muted small">
              Peak in period:{' '}
              <strong data-testid="peak-concurrent">{formatNumber(stats.peakConcurrent ?? 0)}</strong> of{' '}
              {formatQuantity(trend.seatCount ?? stats.licenseItem.quota, 'seats')}
            </span>
          }
        >
          <SeatsChart trend={trend} tz={tz} label="Peak concurrent seats and declines chart" />
        </Card>
      )}
      {isMul && (
        <SeatNeedCard
          itemId={stats.licenseItem.id}
          from={period.window.fromIso}
          to={period.window.toIso}
          tz={tz}
        />
      )}
    </>
  );
}
