import type { Declaration } from '@customs-hub/sdk';

/** One goods item of a declaration, flattened: what the risk model's features are computed from. */
export interface RiskRecord {
  number: string;
  /** Day of the declaration (YYYY-MM-DD). */
  day: string;
  item: number;
  office: string;
  procedure: string;
  importType: string;
  importUse: string;
  paymentType: string;
  mode: string;
  declarant: string;
  importer: string;
  seller: string;
  courier: string;
  hs6: string;
  departure: string;
  origin: string;
  taxType: string;
  originIndicator: string;
  taxRate: number;
  netMassKg: number;
  value: number;
  currency: string;
}

const id = (p: { id?: string; name?: string } | undefined) => p?.id ?? p?.name ?? '';

/** The records of a declaration, one per goods item. `day` falls back to the receipt date. */
export function riskRecords(d: Declaration): RiskRecord[] {
  const day = (d.date ?? d.receivedAt ?? '').slice(0, 10);
  return d.goods.map((g, item) => ({
    number: d.number,
    day,
    item,
    office: d.office ?? '',
    procedure: d.procedure ?? '',
    importType: d.importType ?? '',
    importUse: d.importUse ?? '',
    paymentType: d.paymentType ?? '',
    mode: d.transportMode ?? '',
    declarant: id(d.parties.declarant),
    importer: id(d.parties.importer),
    seller: id(d.parties.exporter),
    courier: id(d.parties.courier),
    hs6: g.hsCode.slice(0, 6),
    departure: d.departureCountry ?? '',
    origin: g.origin ?? '',
    taxType: g.preference ?? '',
    originIndicator: g.originIndicator ?? '',
    taxRate: g.taxRate ?? Number.NaN,
    netMassKg: g.netMassKg ?? g.grossMassKg ?? Number.NaN,
    value: g.value?.amount ?? Number.NaN,
    currency: g.value?.currency ?? '',
  }));
}
