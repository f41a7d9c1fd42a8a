/** A declaration as v1 bodies carried it (still accepted; migrated to v2 on receipt). */
export interface DeclarationV1 {
  number: string;
  containers: string[];
  plates?: string[];
  goods: Array<{ hsCode: string; description: string; grossMassKg?: number; packages?: number }>;
  grossMassKg?: number;
  consignor?: string;
  consignee?: string;
  origin?: string;
  receivedAt?: string;
}

/** A trader named on a declaration: the service's id, a name, or both. */
export interface DeclarationParty {
  id?: string;
  name?: string;
  country?: string;
}

export interface DeclarationParties {
  declarant?: DeclarationParty;
  /** Importer / consignee. */
  importer?: DeclarationParty;
  /** Exporter / seller / consignor. */
  exporter?: DeclarationParty;
  carrier?: DeclarationParty;
  courier?: DeclarationParty;
}

/** One goods item. */
export interface DeclarationItem {
  /** HS subheading (6 digits) to a national tariff line (10); a migrated v1 heading may have 4. */
  hsCode: string;
  description?: string;
  /** Country of origin, ISO 3166-1 alpha-2. */
  origin?: string;
  /** How the origin is shown, in the service's code list. */
  originIndicator?: string;
  /** Tariff preference / tax type code. */
  preference?: string;
  /** Duty rate, percent. */
  taxRate?: number;
  netMassKg?: number;
  grossMassKg?: number;
  quantity?: number;
  unit?: string;
  packages?: number;
  /** Customs value. */
  value?: { amount: number; currency: string };
}

/**
 * What a checkpoint matches a conveyance on. In a stored declaration every list is present (maybe empty)
 * and normalized: upper case, no spaces or dashes.
 */
export interface DeclarationTransport {
  containers: string[];
  plates: string[];
  airWaybills: string[];
  ulds: string[];
  bagTags: string[];
  vessel?: { name?: string; imo?: string; voyage?: string };
  flight?: { number: string; date?: string };
}

/** A declaration or pre-arrival manifest (v2), as the hub stores and hands it to scorers. */
export interface Declaration {
  schema: 'declaration/v2';
  number: string;
  /** Date of the declaration (YYYY-MM-DD or date-time); the model's time axis. */
  date?: string;
  direction?: 'import' | 'export' | 'transit';
  procedure?: string;
  importType?: string;
  importUse?: string;
  paymentType?: string;
  office?: string;
  transportMode?: string;
  departureCountry?: string;
  destinationCountry?: string;
  parties: DeclarationParties;
  goods: DeclarationItem[];
  grossMassKg?: number;
  transport: DeclarationTransport;
  /** Set by the hub on receipt. */
  receivedAt?: string;
}

/** A v2 body as sent: transport lists and parties may be left out. */
export type DeclarationV2Input = Omit<Declaration, 'transport' | 'parties'> & {
  parties?: DeclarationParties;
  transport?: Partial<DeclarationTransport>;
};

/** Every transport identifier of a declaration, normalized, for matching a conveyance. */
export function declarationIdentifiers(d: Declaration): string[] {
  const t = d.transport;
  return [
    ...t.containers,
    ...t.plates,
    ...t.airWaybills,
    ...t.ulds,
    ...t.bagTags,
    ...(t.flight ? [t.flight.number] : []),
    ...(t.vessel?.imo ? [t.vessel.imo] : []),
  ];
}
