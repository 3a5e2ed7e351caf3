/**
 * A wide table's horizontal scroll box that shows when columns lie beyond its right edge: the edge
 * fades out and a line under the table says so (scroll bars are hidden until used on many systems).
 * The box can be focused and scrolled with the arrow keys when it overflows.
 */
import { type ReactNode, useCallback, useEffect, useRef, useState } from 'react';

export function TableScroll({ label, children }: { label: string; children: ReactNode }) {
  const ref = useRef<HTMLElement>(null);
  const [edges, setEdges] = useState({ overflow: false, right: false });
  const update = useCallback(() => {
    const el = ref.current;
    if (!el) return;
    const overflow = el.scrollWidth > el.clientWidth + 1;
    const right = overflow && el.scrollLeft + el.clientWidth < el.scrollWidth - 1;
    setEdges((e) => (e.overflow === overflow && e.right === right ? e : { overflow, right }));
  }, []);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    update();
    const ro = new ResizeObserver(update);
    ro.observe(el);
    if (el.firstElementChild) ro.observe(el.firstElementChild);
    return () => ro.disconnect();
  }, [update]);
  return (
    <div className={`table-scroll${edges.right ? ' more-right' : ''}`}>
      <section
        ref={ref}
        className="table-wrap"
        onScroll={update}
        tabIndex={edges.overflow ? 0 : undefined}
        aria-label={label}
      >
        {children}
      </section>
      {edges.overflow && (
        <p className="scroll-hint muted small" aria-hidden="true">
          {edges.right
            ? 'More columns to the right: scroll sideways →'
            : '← Scroll back for the first columns'}
        </p>
      )}
    </div>
  );
}
