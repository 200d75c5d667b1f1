import { useEffect, useRef, useState, type ReactNode } from 'react';

/**
 * A table that keeps its words whole and scrolls sideways in a narrow window instead. While it
 * scrolls it is a named, focusable region, so the keyboard can scroll it too (axe's
 * scrollable-region-focusable); when it fits, it is no tab stop.
 */
export function TableScroll(props: { label: string; children: ReactNode }) {
  const box = useRef<HTMLDivElement>(null);
  const [scrolls, setScrolls] = useState(false);
  useEffect(() => {
    const element = box.current;
    if (!element) return;
    const measure = () => setScrolls(element.scrollWidth > element.clientWidth);
    measure();
    if (typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    if (element.firstElementChild) observer.observe(element.firstElementChild);
    return () => observer.disconnect();
  }, []);
  return (
    <div ref={box} className="table-scroll" role={scrolls ? 'region' : undefined} aria-label={scrolls ? props.label : undefined} tabIndex={scrolls ? 0 : undefined}>
      {props.children}
    </div>
  );
}
