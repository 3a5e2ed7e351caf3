/**
 * "Seat need" card of a multi-user item's statistics page: how long k seats were in use
 * (bar chart), true declines, and the declines a replay of the period gives with k seats.
 */
import { useMemo } from 'react';
import type { ItemInsightResponse } from '../../../src/contract/insight.ts';
import { useApi } from '../api/use-api.ts';
import { EChart } from '../charts/EChart.tsx';
import type { EChartsOption } from '../charts/echarts.ts';
import { Card, ErrorNotice, Loading } from '../components/ui.tsx';
import { formatDuration, formatNumber, formatPercent, formatQuantity } from '../format.ts';

export function SeatNeedCard(props: { itemId: string; from: string; to: string; tz: string }) {
  const insight = useApi<ItemInsightResponse>(`/license-items/${encodeURIComponent(props.itemId)}/insight`, {
    from: props.from,
    to: props.to,
    tz: props.tz,
  });
  return (
    <Card title="Seat need">
      {insight.error ? (
        <ErrorNotice error={insight.error} onRetry={insight.reload} />
      ) : !insight.data ? (
        <Loading label="Replaying the period…" />
      ) : insight.data.insight ? (
        <SeatNeedBody data={insight.data} />
      ) : null}
    </Card>
  );
}

function SeatNeedBody({ data }: { data: ItemInsightResponse }) {
  const ins = data.insight!;
  const quota = data.licenseItem.quota;
  const option = useMemo<EChartsOption>(
    () => ({
      tooltip: { trigger: 'axis', valueFormatter: (v: unknown) => formatPercent(Number(v)) },
      grid: { left: 44, right: 12, top: 16, bottom: 28 },
      xAxis: {
        type: 'category',
        data: ins.utilization.map((u) => String(u.seats)),
        name: 'seats in use',
        nameLocation: 'middle',
        nameGap: 20,
        axisLabel: { color: '#64748b' },
      },
      yAxis: { type: 'value', max: 100, axisLabel: { formatter: '{value}%', color: '#64748b' } },
      series: [
        {
          type: 'bar',
          name: 'share of the period',
          data: ins.utilization.map((u) => ({
            value: u.pct,
            itemStyle: { color: u.seats === quota ? '#ef4444' : '#4f46e5' },
          })),
        },
      ],
    }),
    [ins, quota],
  );
  return (
    <>
      <p data-testid="seat-need-sentence">
        <strong>{ins.replay.sentence}</strong>
      </p>
      <p className="muted small">
        {formatQuantity(ins.starts.total, 'starts')}, {formatNumber(ins.starts.declined)} declined, of which{' '}
        <strong data-testid="true-declines">{formatNumber(ins.starts.trueDeclines)}</strong> true declines (no
        seat for the same user within {data.graceMinutes} min). The replay lets each start hold a seat as long
        as its real session did; a really declined start holds one for{' '}
        {formatDuration(ins.replay.declinedHoldMs / 1000)} (the median session).
      </p>
      <div className="grid-2">
        <div className="table-wrap">
          <table className="table" data-testid="seat-need-table">
            <thead>
              <tr>
                <th className="num">Seats</th>
                <th className="num">Declined starts</th>
                <th className="num">Share</th>
              </tr>
            </thead>
            <tbody>
              {ins.replay.rows.map((r) => (
                <tr
                  key={r.seats}
                  style={r.seats === ins.replay.recommendedSeats ? { fontWeight: 700 } : undefined}
                >
                  <td className="num">
                    {r.seats}
                    {r.seats === quota ? ' (now)' : ''}
                    {r.seats === ins.replay.recommendedSeats ? ' ✓ recommended' : ''}
                  </td>
                  <td className="num">{formatNumber(r.declines)}</td>
                  <td className="num">{formatPercent(r.declinePct)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <div>
          <p className="muted small">Share of the period with k seats in use</p>
          <EChart option={option} height={200} label="Seat utilization histogram" />
          <ul className="sr-only" data-testid="utilization-list">
            {ins.utilization.map((u) => (
              <li key={u.seats}>
                {formatQuantity(u.seats, 'seats')}: {formatPercent(u.pct)}
              </li>
            ))}
          </ul>
        </div>
      </div>
    </>
  );
}
