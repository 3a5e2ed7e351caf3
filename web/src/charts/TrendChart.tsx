/** Usage trend over the period: one line per series; interval labels in the viewer's zone. */
import { useMemo } from 'react';
import type { Trend } from '../../../src/contract/stats.ts';
import {
  formatDate,
  formatDateRange,
  formatDateTime,
  formatNumber,
  formatShort,
  formatTime,
  yearOf,
} from '../format.ts';
import { useNow } from '../now.ts';
import { EChart } from './EChart.tsx';
import type { EChartsOption } from './echarts.ts';

interface AxisLabels {
  /** one per interval, unique: the category values, shown whole in the tooltip */
  full: string[];
  /** one per interval, compact: the axis ticks */
  short: string[];
}

/**
 * Interval labels in the viewer's zone. The tooltip names the whole interval ("26 Nov 2026,
 * 14:00 – 16:00", "24 – 30 Nov 2025"); the axis shows its start, with the year when the period
 * spans more than one calendar year (a 12-month trend).
 */
function axisLabels(trend: Trend, tz: string): AxisLabels {
  const first = trend.intervals[0];
  const last = trend.intervals[trend.intervals.length - 1];
  const withYear =
    first !== undefined && last !== undefined && yearOf(first.start, tz) !== yearOf(last.start, tz);
  const withTime = trend.granularity === '2h';
  const oneDay =
    withTime &&
    first !== undefined &&
    last !== undefined &&
    formatDate(first.start, tz) === formatDate(last.start, tz);
  return {
    full: trend.intervals.map((i) =>
      trend.granularity === '2h'
        ? `${formatDateTime(i.start, tz)} – ${formatTime(i.end, tz)}`
        : trend.granularity === 'day'
          ? formatDate(i.start, tz)
          : formatDateRange(i.start, i.end, tz),
    ),
    // one day (Today): its hours only
    short: trend.intervals.map((i) =>
      oneDay ? formatTime(i.start, tz) : formatShort(i.start, tz, withTime, withYear && !withTime),
    ),
  };
}

/** The category axis: whole labels as values (the tooltip shows them), compact ticks. */
const categoryAxis = (labels: AxisLabels) => ({
  type: 'category' as const,
  data: labels.full,
  axisLabel: {
    hideOverlap: true,
    color: '#64748b',
    formatter: (_: string, index: number) => labels.short[index] ?? '',
  },
});

const baseGrid = { left: 44, right: 16, top: 36, bottom: 28, containLabel: false };

/**
 * The index of the first interval that has not begun at `now` (intervals.length when all have).
 * The period may run past now (Today ends at midnight): those intervals cannot hold usage yet.
 */
export function firstUpcoming(trend: Trend, now: number): number {
  const i = trend.intervals.findIndex((x) => new Date(x.start).getTime() > now);
  return i === -1 ? trend.intervals.length : i;
}

/** A series' values with the not-yet-begun intervals left empty, so a line stops at now. */
const upToNow = (values: number[], cut: number): (number | null)[] =>
  values.map((v, i) => (i >= cut && v === 0 ? null : v));

const showValue = (v: unknown): string =>
  v === null || v === undefined || v === '-' ? '—' : formatNumber(Number(v));

/** The not-yet-begun part of the axis, shaded and labelled, or nothing when the period is over. */
function upcomingArea(count: number, cut: number, from = Math.max(0, cut - 1)) {
  if (cut >= count) return undefined;
  // category axes take indexes: labels may repeat (a weekday, a date in another year)
  return {
    silent: true,
    itemStyle: { color: 'rgba(148, 163, 184, 0.12)' },
    label: { show: true, position: 'insideTop', color: '#94a3b8', fontSize: 11, formatter: 'upcoming' },
    data: [[{ xAxis: from }, { xAxis: count - 1 }]],
  };
}

export function TrendChart(props: {
  trend: Trend;
  tz: string;
  color(key: string): string;
  /** series keys to draw (default: all but `peak`) */
  keys?: string[];
  label: string;
}) {
  const { trend, tz, color, keys } = props;
  const now = useNow();
  const cut = firstUpcoming(trend, now);
  const option = useMemo<EChartsOption>(() => {
    const labels = axisLabels(trend, tz);
    const series = trend.series.filter((s) => (keys ? keys.includes(s.key) : s.key !== 'peak'));
    const area = upcomingArea(labels.full.length, cut);
    return {
      color: series.map((s) => color(s.key)),
      tooltip: { trigger: 'axis', valueFormatter: showValue },
      legend: { type: 'scroll', top: 0, left: 0, icon: 'roundRect', itemWidth: 12, itemHeight: 8 },
      grid: baseGrid,
      xAxis: {
        ...categoryAxis(labels),
        boundaryGap: false,
        axisLine: { lineStyle: { color: '#cbd5e1' } },
      },
      yAxis: {
        type: 'value',
        minInterval: 1,
        splitLine: { lineStyle: { color: '#eef2f7' } },
        axisLabel: { color: '#64748b' },
      },
      series: series.map((s, i) => ({
        type: 'line',
        name: s.label,
        data: upToNow(s.values, cut),
        ...(i === 0 && area ? { markArea: area } : {}),
        showSymbol: labels.full.length <= 40,
        symbolSize: 5,
        smooth: false,
        // total dashed, so a series equal to it (one project) stays visible underneath
        lineStyle: {
          width: s.key === 'total' ? 2.2 : 1.8,
          type: s.key === 'total' && series.length > 1 ? 'dashed' : 'solid',
        },
        areaStyle: series.length === 1 ? { opacity: 0.08 } : undefined,
        emphasis: { focus: 'series' },
      })),
    };
  }, [trend, tz, color, keys, cut]);
  return <EChart option={option} height={300} label={props.label} />;
}

/** Multi-user: peak concurrent seats per interval against the seat count, and declines. */
export function SeatsChart(props: { trend: Trend; tz: string; label: string }) {
  const { trend, tz } = props;
  const now = useNow();
  const cut = firstUpcoming(trend, now);
  const option = useMemo<EChartsOption>(() => {
    const labels = axisLabels(trend, tz);
    const peak = trend.series.find((s) => s.key === 'peak');
    const declined = trend.series.find((s) => s.key === 'declined');
    const seats = trend.seatCount ?? 0;
    // bars: the shading starts at the first interval that has not begun
    const area = upcomingArea(labels.full.length, cut, cut);
    return {
      tooltip: { trigger: 'axis', valueFormatter: showValue },
      legend: { top: 0, left: 0, icon: 'roundRect', itemWidth: 12, itemHeight: 8 },
      grid: { ...baseGrid, right: 44, top: 52 }, // room for the declines axis and the axis names
      xAxis: categoryAxis(labels),
      // seats on the left; declines (starts, another unit) on their own axis on the right
      yAxis: [
        {
          type: 'value',
          name: 'Seats',
          nameTextStyle: { color: '#64748b', align: 'left' },
          minInterval: 1,
          max: (v: { max: number }) => Math.max(v.max, seats + 1),
          splitLine: { lineStyle: { color: '#eef2f7' } },
          axisLabel: { color: '#64748b' },
        },
        {
          type: 'value',
          name: 'Declines',
          nameTextStyle: { color: '#ef4444', align: 'right' },
          minInterval: 1,
          splitLine: { show: false },
          axisLabel: { color: '#ef4444' },
        },
      ],
      series: [
        {
          type: 'bar',
          name: 'Peak concurrent seats',
          data: upToNow(peak?.values ?? [], cut),
          itemStyle: { color: '#7c3aed', borderRadius: [3, 3, 0, 0] },
          barMaxWidth: 18,
          markLine: {
            symbol: 'none',
            label: { formatter: `Seats: ${formatNumber(seats)}`, position: 'insideEndTop', color: '#0f172a' },
            lineStyle: { color: '#0f172a', type: 'dashed', width: 1.5 },
            data: [{ yAxis: seats }],
          },
        },
        {
          type: 'bar',
          name: 'Declined starts',
          yAxisIndex: 1,
          data: upToNow(declined?.values ?? [], cut),
          itemStyle: { color: '#ef4444', borderRadius: [3, 3, 0, 0] },
          barMaxWidth: 18,
          ...(area ? { markArea: area } : {}),
        },
      ],
    };
  }, [trend, tz, cut]);
  return <EChart option={option} height={260} label={props.label} />;
}
