import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { Trace } from '../logic/passage-samples.js';

/** One count-rate trace over a passage, with its background and alarm threshold as flat lines. */
export function TraceChart({ trace, label, color, height = 130 }: { trace: Trace; label: string; color: string; height?: number }) {
  const el = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const host = el.current;
    if (!host) return;
    const flat = (v: number | null) => trace.t.map(() => v);
    const data: uPlot.AlignedData = [trace.t, trace.cps, flat(trace.background), flat(trace.threshold)];
    const plot = new uPlot(
      {
        width: Math.max(200, host.clientWidth),
        height,
        legend: { show: true, live: false },
        cursor: { show: false },
        scales: { x: { time: false } },
        axes: [
          { label: 'seconds into the passage', labelSize: 14, size: 30, font: '11px system-ui', labelFont: '11px system-ui' },
          { label: 'counts/s', labelSize: 14, size: 50, font: '11px system-ui', labelFont: '11px system-ui' },
        ],
        series: [
          {},
          { label, stroke: color, width: 2, fill: `${color}22`, points: { show: false } },
          { label: 'background', stroke: '#607d8b', width: 1, dash: [4, 4], points: { show: false } },
          { label: 'alarm threshold', stroke: '#c62828', width: 1.5, dash: [8, 4], points: { show: false } },
        ],
      },
      data,
      host,
    );
    const resize = new ResizeObserver(() => plot.setSize({ width: Math.max(200, host.clientWidth), height }));
    resize.observe(host);
    return () => {
      resize.disconnect();
      plot.destroy();
    };
  }, [trace, label, color, height]);
  return <div class="trace-chart" ref={el} role="img" aria-label={`${label} over the passage against background and threshold`} />;
}
