/** The DICOS object kinds this plugin reads, by SOP Class UID (NEMA IIC 1; DOMAIN.md §4). */
export type DicosObjectKind = 'ct' | 'dx-presentation' | 'dx-processing' | 'tdr';

export const SOP_CLASSES: Readonly<Record<string, { kind: DicosObjectKind; name: string }>> = {
  '1.2.840.10008.5.1.4.1.1.501.1': { kind: 'ct', name: 'DICOS CT Image' },
  '1.2.840.10008.5.1.4.1.1.501.2.1': { kind: 'dx-presentation', name: 'DICOS Digital X-Ray Image, for presentation' },
  '1.2.840.10008.5.1.4.1.1.501.2.2': { kind: 'dx-processing', name: 'DICOS Digital X-Ray Image, for processing' },
  '1.2.840.10008.5.1.4.1.1.501.3': { kind: 'tdr', name: 'DICOS Threat Detection Report' },
};

/** Image SOP classes: what a TDR's referenced instances point at. */
export function isImageSopClass(uid: string): boolean {
  const c = SOP_CLASSES[uid];
  return c !== undefined && c.kind !== 'tdr';
}
