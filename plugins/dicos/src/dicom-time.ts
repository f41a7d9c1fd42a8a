// DICOM DA (YYYYMMDD), TM (HHMMSS.FFFFFF, trailing parts optional) and DT values to ISO 8601.
// Without a Timezone Offset From UTC (0008,0201) the values are taken as UTC: DICOS units are
// expected to run on UTC, and the hub keeps its own receive time besides.

const DA = /^(\d{4})(\d{2})(\d{2})$/;
const TM = /^(\d{2})(\d{2})?(\d{2})?(?:\.(\d{1,6}))?$/;
const DT = /^(\d{8})(\d{2}(?:\d{2}(?:\d{2}(?:\.\d{1,6})?)?)?)?([+-]\d{4})?$/;

function offsetIso(offset: string | undefined): string {
  if (!offset || !/^[+-]\d{4}$/.test(offset)) return 'Z';
  return offset === '+0000' || offset === '-0000' ? 'Z' : `${offset.slice(0, 3)}:${offset.slice(3)}`;
}

function build(date: string, time: string | undefined, offset: string | undefined): string | undefined {
  const d = DA.exec(date);
  if (!d) return undefined;
  const t = TM.exec(time ?? '000000');
  if (!t) return undefined;
  const frac = (t[4] ?? '').padEnd(3, '0').slice(0, 3);
  const iso = `${d[1]}-${d[2]}-${d[3]}T${t[1]}:${t[2] ?? '00'}:${t[3] ?? '00'}.${frac}${offsetIso(offset)}`;
  return Number.isNaN(Date.parse(iso)) ? undefined : new Date(iso).toISOString();
}

/** DA + optional TM (+ optional offset such as '+0300') as an ISO instant, or undefined when malformed. */
export function dicomDateTime(date: string | undefined, time: string | undefined, offset?: string): string | undefined {
  return date ? build(date.trim(), time?.trim(), offset) : undefined;
}

/** A DT value ('20231223143711.826279', optionally '+0000') as an ISO instant. */
export function dicomDt(value: string | undefined, defaultOffset?: string): string | undefined {
  const m = value ? DT.exec(value.trim()) : null;
  if (!m) return undefined;
  return build(m[1]!, m[2], m[3] ?? defaultOffset);
}
