/** SPEC §4.2: a project's statistics: items, pies by item, trend, and the 2-hour usage table. */
import { useEffect, useMemo, useState } from 'react';
import { Link, useParams } from 'react-router';
import { TABLE_PAGE_ROWS } from '../../../src/contract/domain.ts';
import type { ProjectStatsResponse } from '../../../src/contract/stats.ts';
import { useApi } from '../api/use-api.ts';
import { useAuth } from '../auth.tsx';
import { colorScale } from '../charts/colors.ts';
import { PieCard } from '../charts/PieCard.tsx';
import { TrendChart } from '../charts/TrendChart.tsx';
import { ExportButton } from '../components/ExportButton.tsx';
import { Pager } from '../components/Pager.tsx';
import { GranularitySwitch, PeriodPicker, usePeriod } from '../components/PeriodPicker.tsx';
import { TableScroll } from '../components/TableScroll.tsx';
import { TimeZoneSelect } from '../components/TimeZoneSelect.tsx';
import { Card, ErrorNotice, Forbidden, Loading, PageHeader } from '../components/ui.tsx';
import {
  formatDate,
  formatDateRange,
  formatDateTime,
  formatLocalDateRange,
  formatNumber,
  formatTime,
  MODEL_LABEL,
} from '../format.ts';
import { LiveSessions } from '../live/LiveSessions.tsx';
import { useNow } from '../now.ts';
import { DocumentTitle } from '../title.ts';

/** the API returns one page, so a year (4,380 rows) is never sent whole */
const PAGE_ROWS = TABLE_PAGE_ROWS;

export default function ProjectStatsPage() {
  const { user } = useAuth();
  if (user?.role === 'member')
    return (
      <>
        <DocumentTitle title="Project statistics" />
        <Forbidden what="project statistics" />
      </>
    );
  return <ProjectStats />;
}

function ProjectStats() {
  const { projectId = '' } = useParams();
  const period = usePeriod('7d');
  const { window: w, timeZone: tz } = period;
  const query = { from: w.fromIso, to: w.toIso, tz };
  const path = `/projects/${encodeURIComponent(projectId)}/stats`;
  const main = { ...query, granularity: period.granularity };
  const stats = useApi<ProjectStatsResponse>(path, { ...main, tableLimit: PAGE_ROWS });
  // Later pages of the 2-hour table: the same request with an offset (pies and trend stay as loaded).
  const [page, setPage] = useState(0);
  const mainKey = JSON.stringify(main);
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new period starts at the newest rows
  useEffect(() => setPage(0), [mainKey]);
  const later = useApi<ProjectStatsResponse>(page > 0 ? path : null, {
    ...main,
    tableOffset: page * PAGE_ROWS,
    tableLimit: PAGE_ROWS,
  });
  const project = stats.data?.project;
  // The project exists once its statistics have loaded; an unknown (or another organization's)
  // project shows only the not-found state: no live panel, period picker or edit button.
  const [found, setFound] = useState<{ id: string; name: string } | null>(null);
  useEffect(() => {
    if (project) setFound({ id: projectId, name: project.name });
  }, [project, projectId]);
  const name = project?.name ?? (found?.id === projectId ? found.name : undefined);
  const known = name !== undefined;
  if (!known && stats.error) {
    return (
      <div className="page">
        <DocumentTitle title={stats.error.status === 404 ? 'Project not found' : 'Project statistics'} />
        <PageHeader crumbs={[{ label: 'Projects', to: '/projects' }, { label: projectId }]} title="Project" />
        <ErrorNotice error={stats.error} onRetry={stats.reload} />
      </div>
    );
  }
  return (
    <div className="page">
      <DocumentTitle title={name ? `${name} usage` : 'Project statistics'} />
      <PageHeader
        crumbs={[
          { label: 'Projects', to: '/projects' },
          { label: name ?? projectId },
          { label: 'Statistics' },
        ]}
        title={<span data-testid="project-name">{name ?? 'Project'}</span>}
        subtitle={
          project && (
            <span className="chips" data-testid="project-items">
              {project.items.length === 0 && <span className="muted">No license items yet.</span>}
              {project.items.map((i) => (
                <Link key={i.id} to={`/license-items/${i.id}/stats`} className="chip chip-link">
                  <span className="id-mono">{i.id}</span> {i.name}
                  <span className="chip-note">{MODEL_LABEL[i.model] ?? i.model}</span>
                </Link>
              ))}
            </span>
          )
        }
        actions={
          <>
            <TimeZoneSelect compact />
            {known && (
              <Link to={`/projects/${projectId}/edit`} className="btn btn-secondary">
                Edit project
              </Link>
            )}
          </>
        }
      />
      {known && <LiveSessions projectId={projectId} tz={tz} />}
      <div className="toolbar sticky-toolbar">
        <PeriodPicker period={period} />
        <span className="muted small">
          {formatLocalDateRange(w.fromDate, w.toDate)} · {tz}
        </span>
      </div>
      {stats.error ? (
        <ErrorNotice error={stats.error} onRetry={stats.reload} />
      ) : !stats.data ? (
        <Loading label="Computing statistics…" />
      ) : (
        <Body
          stats={stats.data}
          tz={tz}
          period={period}
          csvQuery={query}
          projectId={projectId}
          page={page}
          onPage={setPage}
          pageRows={page === 0 ? stats.data.table : later.data?.table}
        />
      )}
    </div>
  );
}

function Body(props: {
  stats: ProjectStatsResponse;
  tz: string;
  period: ReturnType<typeof usePeriod>;
  csvQuery: Record<string, string>;
  projectId: string;
  page: number;
  onPage(p: number): void;
  /** the current page's rows; undefined while a later page loads */
  pageRows: ProjectStatsResponse['table'] | undefined;
}) {
  const { stats, tz } = props;
  const items = stats.project.items;
  const color = useMemo(() => colorScale(items.map((i) => i.id)), [items]);
  const total = stats.tablePage.total;
  const pages = Math.max(1, Math.ceil(total / PAGE_ROWS));
  const current = Math.min(props.page, pages - 1);
  const rows = props.pageRows ?? [];
  const now = useNow();
  if (items.length === 0) {
    return (
      <Card>
        <p className="notice">
          This project has no license items, so there is no usage to show.{' '}
          <Link to={`/projects/${props.projectId}/edit`}>Add license items to the project</Link>.
        </p>
      </Card>
    );
  }
  return (
    <>
      <UnitsNote items={items} />
      <div className="pie-grid">
        <PieCard
          title="All History"
          caption="All usage attributed to this project"
          pie={stats.pies.allHistory}
          color={color}
          unit="uses"
          testId="pie-all"
        />
        <PieCard
          title="Selected period"
          caption={formatDateRange(stats.period.from, stats.period.to, tz)}
          pie={stats.pies.period}
          color={color}
          unit="uses"
          testId="pie-period"
        />
        <PieCard
          title="Today"
          caption={formatDate(stats.period.today.start, tz)}
          pie={stats.pies.today}
          color={color}
          unit="uses"
          testId="pie-today"
        />
      </div>
      <Card title="Usage trend" actions={<GranularitySwitch period={props.period} />} className="chart-card">
        <p className="muted small">One line per license item, and the total; intervals in {tz}.</p>
        <TrendChart trend={stats.trend} tz={tz} color={color} label="Project usage trend line chart" />
      </Card>
      <Card
        title="Usage in 2-hour intervals"
        actions={
          <ExportButton
            path={`/projects/${encodeURIComponent(props.projectId)}/usage-table.csv`}
            query={props.csvQuery}
          />
        }
      >
        <p className="muted small">
          Newest first. Intervals without usage show 0; intervals that have not begun yet show —. Times in{' '}
          {tz}.
        </p>
        <TableScroll label="2-hour usage table">
          <table className="table table-numeric" data-testid="usage-table">
            <thead>
              <tr>
                <th>Interval</th>
                {items.map((i) => (
                  <th key={i.id} className="num" title={`${i.name} (${i.id})`}>
                    {i.name}
                    <span className="table-sub id-mono">{i.id}</span>
                  </th>
                ))}
                <th className="num">Total</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => {
                const start = new Date(r.start).getTime();
                const current = start <= now && now < new Date(r.end).getTime();
                // Not begun yet: no usage can have happened, so "—" rather than a 0 that reads as "none".
                const upcoming = start > now && r.total === 0;
                return (
                  <tr
                    key={r.start}
                    className={upcoming ? 'upcoming-row' : r.total === 0 ? 'zero-row' : ''}
                    data-upcoming={upcoming ? 'true' : undefined}
                  >
                    <td className="nowrap">
                      {formatDateTime(r.start, tz)} – {formatTime(r.end, tz)}
                      {upcoming && <span className="row-note">upcoming</span>}
                      {current && <span className="row-note row-note-now">now</span>}
                    </td>
                    {items.map((i) => (
                      <td key={i.id} className="num">
                        {upcoming ? '—' : formatNumber(r.values[i.id] ?? 0)}
                      </td>
                    ))}
                    <td className="num strong">{upcoming ? '—' : formatNumber(r.total)}</td>
                  </tr>
                );
              })}
              {props.pageRows === undefined && (
                <tr>
                  <td colSpan={items.length + 2} className="muted">
                    Loading intervals…
                  </td>
                </tr>
              )}
            </tbody>
          </table>
        </TableScroll>
        <Pager page={current} pages={pages} total={total} onPage={props.onPage} noun="intervals" />
      </Card>
    </>
  );
}

const MEASURE_WORDS: Record<string, string> = {
  scans: 'scans reported',
  devices: 'distinct devices seen',
  starts: 'program starts',
};

/**
 * A project's items may count different things (SPEC §4.2 counts them together): say what each
 * counts, and that a device seen in several 2-hour intervals counts in each of them.
 */
function UnitsNote({ items }: { items: ProjectStatsResponse['project']['items'] }) {
  const measures = [...new Set(items.map((i) => i.measure).filter((m) => m in MEASURE_WORDS))];
  if (measures.length < 2) return null;
  return (
    <p className="notice small" data-testid="project-units">
      This project counts different things together as “uses”:{' '}
      {measures.map((m) => MEASURE_WORDS[m]).join(', ')}.
      {measures.includes('devices') &&
        ' A device seen in several intervals counts once in each, so the trend and the table can add up to more than the pies, which count each device once per window.'}
    </p>
  );
}
