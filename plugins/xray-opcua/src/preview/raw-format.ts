/** How the samples of a raw transmission image are laid out: one line (detector read-out) after another. */
export interface RawLayout {
  bytesPerSample: 1 | 2;
  littleEndian: boolean;
}

// ImageFormat words the plugin decodes: unsigned grey levels, no header, line after line.
const FORMATS: Record<string, RawLayout> = {
  'raw-u16le': { bytesPerSample: 2, littleEndian: true },
  'raw-u16be': { bytesPerSample: 2, littleEndian: false },
  'raw-u8': { bytesPerSample: 1, littleEndian: true },
};

/** The formats a preview is made of, for messages and docs. */
export const PREVIEW_FORMATS = Object.keys(FORMATS);

/** The layout an ImageFormat names, or undefined when the plugin cannot decode it. */
export function rawLayout(format: string | undefined): RawLayout | undefined {
  return format ? FORMATS[format.trim().toLowerCase()] : undefined;
}
