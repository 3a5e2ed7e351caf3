/** One donut per window (All History / period / Today) with its figures listed beside it in text. */
import { useMemo } from 'react';
import type { Pie } from '../../../src/contract/stats.ts';
import { formatNumber } from '../format.ts';
import { EChart } from './EChart.tsx';
import type { EChartsOption } from './echarts.ts';

export function PieCard(props: {
  title: string;
  caption?: string;
  pie: Pie;
  color(key: string): string;
  unit: string;
  testId: string;
}) {
  const { pie, color } = props;
  const option = useMemo<EChartsOption>(() => {
    const shown = pie.slices.filter((s) => s.value > 0);
    return {
      tooltip: { trigger: 'item', valueFormatter: (v: unknown) => formatNumber(Number(v)) },
      series: [
        {
          type: 'pie',
          radius: ['56%', '82%'],
          avoidLabelOverlap: true,
          label: { show: false },
          itemStyle: { borderColor: '#fff', borderWidth: 2 },
          data: shown.length
            ? shown.map((s) => ({ name: s.label, value: s.value, itemStyle: { color: color(s.key) } }))
            : [{ name: 'No usage', value: 1, itemStyle: { color: '#eef2f7' }, tooltip: { show: false } }],
          emphasis: { scale: true, scaleSize: 4 },
        },
      ],
    };
  }, [pie, color]);
  return (
    <section className="pie-card" data-testid={props.testId}>
      <h3>{props.title}</h3>
      {props.caption && <p className="pie-caption">{props.caption}</p>}
      <div className="pie-wrap">
        <EChart option={option} height={180} label={`${props.title} pie chart`} />
        <div className="pie-center" aria-hidden="true">
          <span className="pie-total">{formatNumber(pie.total)}</span>
          <span className="pie-unit">{props.unit}</span>
        </div>
      </div>
      <ul className="legend">
        {pie.slices.map((s) => (
          <li key={s.key} data-key={s.key} className={s.value === 0 ? 'zero' : ''}>
            <span className="swatch" style={{ background: color(s.key) }} />
            <span className="legend-label">{s.label}</span>
            <span className="legend-value" data-testid={`${props.testId}-${s.key}`}>
              {formatNumber(s.value)}
            </span>
          </li>
        ))}
      </ul>
      <p className="pie-total-line">
        Total <strong data-testid={`${props.testId}-total`}>{formatNumber(pie.total)}</strong>
      </p>
    </section>
  );
}
