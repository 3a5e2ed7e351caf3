/**
 * Period picker (Today, 7/30/90 days, 12 months, custom) and trend granularity. The choice lives
 * in the URL (?period=&from=&to=&g=) so a view can be bookmarked, shared and reloaded.
 */
import { useEffect, useMemo, useRef } from 'react';
import { useSearchParams } from 'react-router';
import { GRANULARITIES, type Granularity } from '../../../src/contract/domain.ts';
import { useAuth } from '../auth.tsx';
import {
  autoGranularity,
  GRANULARITY_DAYS,
  granularityFits,
  type PeriodChoice,
  PRESETS,
  type PresetOption,
  parsePreset,
  type Window,
  windowOf,
} from '../period.ts';

export interface PeriodState {
  /** false while the URL names no period (the page's default applies) */
  explicit: boolean;
  choice: PeriodChoice;
  window: Window;
  granularity: Granularity;
  granularityIsAuto: boolean;
  timeZone: string;
}

export function usePeriod(defaultPreset: PeriodChoice['preset'] = '30d'): PeriodState & {
  update(patch: Record<string, string | null>): void;
} {
  const [params, setParams] = useSearchParams();
  const { timeZone } = useAuth();
  const preset = params.has('period') ? parsePreset(params.get('period')) : defaultPreset;
  const fromDate = params.get('from') ?? undefined;
  const toDate = params.get('to') ?? undefined;
  const g = params.get('g');
  const state = useMemo(() => {
    const choice: PeriodChoice = { preset, fromDate, toDate };
    const window = windowOf(choice, timeZone);
    const auto = autoGranularity(window, timeZone);
    // A choice from the URL that the period cannot show readably (2-hour points over a year)
    // falls back to the automatic one.
    const chosen =
      GRANULARITIES.includes(g as Granularity) && granularityFits(g as Granularity, window)
        ? (g as Granularity)
        : null;
    return {
      explicit: params.has('period'),
      choice,
      window,
      granularity: chosen ?? auto,
      granularityIsAuto: chosen === null,
      timeZone,
    };
  }, [preset, fromDate, toDate, g, timeZone, params]);
  // Two changes before the next render (typing both dates of a custom period quickly) must not
  // build on the same stale URL: the second would undo the first. The last URL asked for is kept
  // until the router's params have caught up with it.
  const pending = useRef<URLSearchParams | null>(null);
  useEffect(() => {
    if (pending.current?.toString() === params.toString()) pending.current = null;
  }, [params]);
  const update = (patch: Record<string, string | null>) => {
    const next = new URLSearchParams(pending.current ?? params);
    for (const [k, v] of Object.entries(patch)) {
      if (v === null) next.delete(k);
      else next.set(k, v);
    }
    pending.current = next;
    setParams(next, { replace: true });
  };
  return { ...state, update };
}

const G_LABEL: Record<Granularity, string> = { '2h': '2 hours', day: 'Day', week: 'Week' };

export function PeriodPicker({
  period,
  presets = PRESETS,
}: {
  period: ReturnType<typeof usePeriod>;
  /** the choices offered (default: the statistics pages' presets) */
  presets?: readonly PresetOption[];
}) {
  const { choice, window, update } = period;
  return (
    <div className="period-picker">
      <fieldset className="segmented" aria-label="Period">
        {presets.map((p) => (
          <button
            key={p.id}
            type="button"
            className={choice.preset === p.id ? 'active' : ''}
            aria-pressed={choice.preset === p.id}
            onClick={() =>
              update(
                p.id === 'custom'
                  ? { period: 'custom', from: window.fromDate, to: window.toDate, g: null }
                  : { period: p.id, from: null, to: null, g: null },
              )
            }
          >
            {p.label}
          </button>
        ))}
      </fieldset>
      {choice.preset === 'custom' && (
        <div className="custom-range">
          <label>
            From
            <input
              type="date"
              value={window.fromDate}
              max={window.toDate}
              onChange={(e) => e.target.value && update({ from: e.target.value, g: null })}
              data-testid="period-from"
            />
          </label>
          <label>
            To
            <input
              type="date"
              value={window.toDate}
              min={window.fromDate}
              onChange={(e) => e.target.value && update({ to: e.target.value, g: null })}
              data-testid="period-to"
            />
          </label>
        </div>
      )}
    </div>
  );
}

/** Why an interval is not offered for this period, in words (the button's tooltip). */
function unfitReason(g: Granularity): string {
  const { min, max } = GRANULARITY_DAYS[g];
  const name = g === '2h' ? '2-hour points' : g === 'day' ? 'Daily points' : 'Weekly points';
  return Number.isFinite(max) && min <= 1
    ? `${name} are offered for periods up to ${max} days`
    : Number.isFinite(max)
      ? `${name} are offered for periods of ${min} to ${max} days`
      : `${name} are offered for periods of ${min} days or more`;
}

export function GranularitySwitch({ period }: { period: ReturnType<typeof usePeriod> }) {
  return (
    <fieldset className="segmented segmented-sm" aria-label="Interval">
      {GRANULARITIES.map((g) => {
        const fits = granularityFits(g, period.window);
        return (
          <button
            key={g}
            type="button"
            className={period.granularity === g ? 'active' : ''}
            aria-pressed={period.granularity === g}
            disabled={!fits}
            title={fits ? undefined : unfitReason(g)}
            onClick={() => period.update({ g })}
          >
            {G_LABEL[g]}
          </button>
        );
      })}
    </fieldset>
  );
}
