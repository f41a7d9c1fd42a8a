import type { Declaration, DeclarationItem, DeclarationParties, DeclarationTransport, DeclarationV1, DeclarationV2Input } from './model/declaration.js';

/** Upper case without spaces or dashes: how identifiers are stored and matched. */
export function normalizeIdentifier(raw: string): string {
  return raw.toUpperCase().replace(/[\s-]+/g, '');
}

/** True when a body says it is v2; anything else is read as v1. */
export function isDeclarationV2(body: unknown): body is DeclarationV2Input {
  return typeof body === 'object' && body !== null && (body as { schema?: unknown }).schema === 'declaration/v2';
}

/**
 * A v1 body as v2: containers and plates move under `transport`, consignor / consignee become the exporter
 * and importer by name, the declaration's origin becomes each item's origin. Nothing is dropped.
 */
export function migrateDeclarationV1(v1: DeclarationV1): Declaration {
  const parties: DeclarationParties = {};
  if (v1.consignor) parties.exporter = { name: v1.consignor };
  if (v1.consignee) parties.importer = { name: v1.consignee };
  const goods: DeclarationItem[] = v1.goods.map((g) => ({
    hsCode: g.hsCode,
    description: g.description,
    ...(v1.origin ? { origin: v1.origin } : {}),
    ...(g.grossMassKg !== undefined ? { grossMassKg: g.grossMassKg } : {}),
    ...(g.packages !== undefined ? { packages: g.packages } : {}),
  }));
  return {
    schema: 'declaration/v2',
    number: v1.number,
    parties,
    goods,
    ...(v1.grossMassKg !== undefined ? { grossMassKg: v1.grossMassKg } : {}),
    transport: { containers: [...v1.containers], plates: [...(v1.plates ?? [])], airWaybills: [], ulds: [], bagTags: [] },
    ...(v1.receivedAt ? { receivedAt: v1.receivedAt } : {}),
  };
}

/** A v2 body with every transport list present and identifiers normalized (validity is checked elsewhere). */
export function completeDeclaration(input: DeclarationV2Input): Declaration {
  const t = input.transport ?? {};
  const transport: DeclarationTransport = {
    containers: (t.containers ?? []).map(normalizeIdentifier),
    plates: (t.plates ?? []).map(normalizeIdentifier),
    airWaybills: (t.airWaybills ?? []).map(normalizeIdentifier),
    ulds: (t.ulds ?? []).map(normalizeIdentifier),
    bagTags: (t.bagTags ?? []).map(normalizeIdentifier),
    ...(t.vessel ? { vessel: { ...t.vessel, ...(t.vessel.imo ? { imo: normalizeIdentifier(t.vessel.imo).replace(/^IMO/, '') } : {}) } } : {}),
    ...(t.flight ? { flight: { ...t.flight, number: normalizeIdentifier(t.flight.number) } } : {}),
  };
  return { ...structuredClone(input), parties: structuredClone(input.parties ?? {}), transport };
}
