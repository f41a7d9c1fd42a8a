import { containerCheckDigit, type Contribution, type ScoringInput } from '@customs-hub/sdk';

export interface IdentityConfig {
  noDeclarationScore?: number;
  mismatchScore?: number;
  invalidCheckDigitScore?: number;
  unidentifiedScore?: number;
  /** Per device id; a device not named here scores `missingDeviceScore`. */
  missingDeviceScores?: Record<string, number>;
  missingDeviceScore?: number;
}

/** Which observations read an identifier, for evidence. */
function readers(input: ScoringInput, id: string): string[] {
  return input.observations
    .filter((o) => o.conveyance.containers.some((c) => c.number === id) || o.conveyance.plates.some((p) => p.number === id))
    .map((o) => o.id);
}

/** One character different: an OCR misread of a number that was also read right. */
function nearMiss(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let d = 0;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) d++;
  return d === 1;
}

export function scoreIdentity(input: ScoringInput, config: IdentityConfig): Contribution[] {
  const out: Contribution[] = [];
  const conveyance = input.case.conveyance ?? { containers: [], plates: [] };
  const valid = conveyance.containers.filter((c) => c.valid).map((c) => c.number);
  const plates = conveyance.plates.map((p) => p.number);
  for (const c of conveyance.containers.filter((x) => !x.valid)) {
    const expected = containerCheckDigit(c.number.slice(0, 10));
    const misread = valid.find((v) => nearMiss(v, c.number));
    out.push({
      code: 'identity.invalid-check-digit',
      score: misread ? 5 : (config.invalidCheckDigitScore ?? 30),
      reason: misread
        ? `Container number ${c.number} fails its check digit; another reading gave ${misread}, so it is likely a misread`
        : `Container number ${c.number} fails the ISO 6346 check digit${expected === null ? ' (not even its form holds)' : ` (expected ${expected})`}`,
      evidence: { observationIds: readers(input, c.number), values: { number: c.number, expectedCheckDigit: expected } },
    });
  }
  if (valid.length === 0 && plates.length === 0 && conveyance.containers.length === 0 && conveyance.itemId === undefined) {
    // Below the default yellow threshold on purpose: a lane without an identity reader (or a reader that
    // missed) is not a reason to inspect on its own; it adds up with any other reason (noisy-or).
    out.push({
      code: 'identity.unidentified',
      score: config.unidentifiedScore ?? 20,
      reason: 'No container number, plate or item id was read: the conveyance is not identified',
      evidence: { observationIds: input.case.observationIds },
    });
  }
  const d = input.declaration;
  if (!d && (valid.length > 0 || plates.length > 0)) {
    out.push({
      code: 'identity.no-declaration',
      score: config.noDeclarationScore ?? 50,
      reason: `No declaration or manifest names ${[...valid, ...plates].join(', ')}`,
      evidence: { observationIds: input.case.observationIds, values: { containers: valid, plates } },
    });
  }
  if (d && valid.length > 0) {
    const undeclared = valid.filter((c) => !d.transport.containers.includes(c));
    if (undeclared.length > 0) {
      const unseen = d.transport.containers.filter((c) => !valid.includes(c));
      out.push({
        code: 'identity.container-mismatch',
        score: config.mismatchScore ?? 75,
        reason: `Container ${undeclared.join(', ')} seen, but declaration ${d.number} lists ${d.transport.containers.join(', ') || 'no container'}${unseen.length ? ` (${unseen.join(', ')} not seen)` : ''}`,
        evidence: { observationIds: undeclared.flatMap((c) => readers(input, c)), values: { seen: valid, declared: d.transport.containers } },
      });
    }
  }
  // Below the default yellow threshold too: a device that missed a vehicle (a dropout) says nothing about
  // its cargo on its own; the case names the device, two missing ones or another reason refer it. A device
  // whose reading is mandatory (a portal a truck must pass) gets its own score in `missingDeviceScores`.
  for (const device of input.case.missingDevices ?? []) {
    out.push({
      code: 'identity.missing-device',
      score: config.missingDeviceScores?.[device] ?? config.missingDeviceScore ?? 30,
      reason: `${device} should have seen this conveyance and did not`,
      evidence: { observationIds: [], values: { device } },
    });
  }
  return out;
}
