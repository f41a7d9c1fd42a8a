/** Bounds that keep one hostile or broken document from exhausting the hub. */
export interface ParseLimits {
  /** Largest document (or file) accepted, in bytes. */
  maxBytes: number;
  /** Deepest element nesting accepted. */
  maxDepth: number;
  /** Most elements in one document. */
  maxElements: number;
  /** Most channels in one spectrum, after CountedZeroes decompression. */
  maxChannels: number;
}

export const DEFAULT_LIMITS: ParseLimits = {
  maxBytes: 64 * 1024 * 1024,
  maxDepth: 64,
  maxElements: 2_000_000,
  maxChannels: 65536,
};
