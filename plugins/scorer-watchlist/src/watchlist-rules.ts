import type { CentralWatchlists, Contribution, DeclarationParty, ScoringInput } from '@customs-hub/sdk';

export interface WatchEntry {
  value: string;
  score?: number;
  note?: string;
}

export interface WatchlistConfig {
  consignors?: Array<string | WatchEntry>;
  consignees?: Array<string | WatchEntry>;
  /** HS code prefixes (a chapter, heading or full code). */
  hsCodes?: Array<string | WatchEntry>;
  /** ISO 3166 alpha-2 countries of origin. */
  origins?: Array<string | WatchEntry>;
  /** Score of an entry that gives none. */
  score?: number;
}

const entry = (e: string | WatchEntry): WatchEntry => (typeof e === 'string' ? { value: e } : e);
/** Party names compare without case, punctuation or legal-form noise. */
const norm = (s: string) =>
  s
    .toLowerCase()
    .replace(/[.,'"]/g, '')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();

/** A party as a watchlist entry matches it: name and id together. */
function partyText(p: DeclarationParty | undefined): string | undefined {
  return p ? [p.name, p.id].filter(Boolean).join(' ') : undefined;
}

type ListName = 'consignors' | 'consignees' | 'hsCodes' | 'origins';

/** The config's entries of a list, then the centre's (their notes say where they came from). */
function listOf(name: ListName, config: WatchlistConfig, central: CentralWatchlists | undefined): WatchEntry[] {
  if (!central) return (config[name] ?? []).map(entry);
  const from = `central list v${central.version}`;
  const fromCentre = (central.lists[name] ?? []).map((e) => ({ ...e, note: e.note ? `${e.note} (${from})` : from }));
  return [...(config[name] ?? []).map(entry), ...fromCentre];
}

export function scoreWatchlist(input: ScoringInput, config: WatchlistConfig, central?: CentralWatchlists): Contribution[] {
  const d = input.declaration;
  if (!d) return [];
  const base = config.score ?? 60;
  const out: Contribution[] = [];
  const hit = (list: string, e: WatchEntry, what: string) =>
    out.push({
      code: `watchlist.${list}`,
      score: e.score ?? base,
      reason: `${what} is on the ${list} watchlist${e.note ? `: ${e.note}` : ''}`,
      evidence: { observationIds: [], values: { declaration: d.number, entry: e.value } },
    });
  for (const [list, party] of [
    ['consignors', partyText(d.parties.exporter)],
    ['consignees', partyText(d.parties.importer)],
  ] as const) {
    if (!party) continue;
    for (const e of listOf(list, config, central)) {
      const v = norm(e.value);
      if (v && norm(party).includes(v)) hit(list, e, `${list === 'consignors' ? 'Consignor' : 'Consignee'} "${party}"`);
    }
  }
  for (const e of listOf('hsCodes', config, central)) {
    const g = d.goods.find((x) => x.hsCode.startsWith(e.value));
    if (g) hit('hsCodes', e, `Declared ${g.description ?? 'goods'} (HS ${g.hsCode})`);
  }
  for (const e of listOf('origins', config, central)) {
    const origin = d.goods.find((g) => g.origin === e.value.toUpperCase())?.origin;
    if (origin) hit('origins', e, `Origin ${origin}`);
  }
  return out;
}
