import type { DataSet } from 'dicom-parser';

// Small typed accessors over dicom-parser's DataSet: absent or empty values become undefined.

/** A string value (AE, CS, SH, LO, UI…), trimmed by dicom-parser. */
export function text(ds: DataSet, tag: string): string | undefined {
  const el = ds.elements[tag];
  if (!el || el.length === 0) return undefined;
  const v = ds.string(tag);
  return v === undefined || v === '' ? undefined : v;
}

/** Every value of a multi-valued string (VM > 1), e.g. 'ORIGINAL\\PRIMARY'. */
export function texts(ds: DataSet, tag: string): string[] {
  const n = ds.numStringValues(tag) ?? 0;
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const v = ds.string(tag, i);
    if (v) out.push(v);
  }
  return out;
}

/** A US value. */
export function uint16(ds: DataSet, tag: string): number | undefined {
  const el = ds.elements[tag];
  return el && el.length >= 2 ? ds.uint16(tag) : undefined;
}

/** All FL values of an element (VM 1-n). */
export function floats(ds: DataSet, tag: string): number[] {
  const el = ds.elements[tag];
  if (!el) return [];
  return Array.from({ length: Math.floor(el.length / 4) }, (_, i) => ds.float(tag, i) as number);
}

/** The first FL value. */
export function float(ds: DataSet, tag: string): number | undefined {
  return floats(ds, tag)[0];
}

/** The item data sets of a sequence (empty when absent). */
export function items(ds: DataSet, tag: string): DataSet[] {
  return (ds.elements[tag]?.items ?? []).flatMap((it) => (it.dataSet ? [it.dataSet] : []));
}

/** Every data set nested in ds, depth first, ds included. */
export function* walk(ds: DataSet): Generator<DataSet> {
  yield ds;
  for (const el of Object.values(ds.elements)) for (const it of el.items ?? []) if (it.dataSet) yield* walk(it.dataSet);
}
