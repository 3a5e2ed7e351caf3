/** The viewer's time zone, shown with its current offset and changeable anywhere figures depend on it. */
import { useId, useMemo } from 'react';
import { useAuth } from '../auth.tsx';
import { allTimeZones, offsetLabel } from '../format.ts';

export function TimeZoneSelect({ compact = false }: { compact?: boolean }) {
  const { timeZone, setTimeZone } = useAuth();
  const id = useId();
  const zones = useMemo(() => {
    const list = allTimeZones();
    return list.includes(timeZone) ? list : [timeZone, ...list];
  }, [timeZone]);
  return (
    <label className={`tz-select ${compact ? 'tz-compact' : ''}`} htmlFor={id}>
      <span className="tz-label">Time zone</span>
      <select id={id} value={timeZone} onChange={(e) => setTimeZone(e.target.value)} data-testid="tz-select">
        {zones.map((z) => (
          <option key={z} value={z}>
            {z.replace(/_/g, ' ')}
          </option>
        ))}
      </select>
      <span className="tz-offset">{offsetLabel(timeZone)}</span>
    </label>
  );
}
