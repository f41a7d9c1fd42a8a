import type { DeclarationRiskFactor } from '@customs-hub/sdk';

const SEPARATORS = [' with ', ' at ', ' from '];
/** 1,234,567 / 52.5 / 2.1 / 0.034: thousands grouped, two significant digits below 10 (toLocaleString is slow). */
const num = (x: number) => {
  const a = Math.abs(x);
  if (a >= 100) return String(Math.round(x)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return a >= 10 ? x.toFixed(1) : x.toPrecision(2);
};
const pct = (x: number) => `${Math.round(x)} %`;

/** "importer Y3OM027", or for a pair "importer Y3OM027 with HS 420231". */
export function subjectWords(f: DeclarationRiskFactor): string {
  for (const sep of SEPARATORS) {
    const at = f.about.indexOf(sep);
    const parts = f.subject.split('|');
    if (at > 0 && parts.length === 2) return `${f.about.slice(0, at)} ${parts[0]}${sep}${f.about.slice(at + sep.length)} ${parts[1]}`;
  }
  return `${f.about} ${f.subject}`;
}

/** One factor in words an officer reads: the facts, not the model's internals. */
export function factorWords(f: DeclarationRiskFactor): string {
  const x = f.facts;
  switch (f.feature) {
    case 'unitValue': {
      const u = Number(x.unitValue);
      const m = Number(x.median);
      const cur = String(x.currency || '');
      if (!(Number(x.n) > 0) || !Number.isFinite(m) || !Number.isFinite(u))
        return `value ${Number.isFinite(u) ? num(u) : '?'} ${cur}/kg: no earlier declaration of HS ${String(x.hsCode)} to compare with`;
      const off = u < m ? `${pct((1 - u / m) * 100)} below` : u > m ? `${pct((u / m - 1) * 100)} above` : 'exactly';
      return `value ${num(u)} ${cur}/kg, ${off} the usual for HS ${String(x.hsCode)} (median of ${String(x.n)} earlier declarations: ${num(m)})`;
    }
    case 'tax':
      return `duty rate ${String(x.taxRate)} %${x.taxType ? ` (tax type ${String(x.taxType)})` : ''}`;
    case 'value':
      return `declared value ${num(Number(x.value))} ${String(x.currency || '')}`.trim();
    case 'netMass':
      return `net mass ${num(Number(x.netMassKg))} kg`;
    default: {
      const who = subjectWords(f);
      const n = Number(x.n);
      if (n > 0) {
        const v = Number(x.violations);
        const c = Number(x.critical);
        return `${who}: ${v} of ${n} past inspection${n === 1 ? '' : 's'} found a violation${c > 0 ? ` (${c} critical)` : ''}`;
      }
      const seen = Number(x.seen);
      return seen > 0 ? `${who}: declared ${seen} time${seen === 1 ? '' : 's'} before, never inspected` : `${who}: never seen before`;
    }
  }
}
