const OWNER_PATTERN = /^[A-Z]{3}[UJZ]\d{7}$/;

function letterValue(ch: string): number {
  // A=10, then skip multiples of 11 (ISO 6346 §5.3).
  let value = 10;
  for (let c = 65; c < ch.charCodeAt(0); c++) {
    value++;
    if (value % 11 === 0) value++;
  }
  return value;
}

/** Upper-cases and strips spaces, dashes and dots, as devices print container numbers. */
export function normalizeContainerNumber(raw: string): string {
  return raw.toUpperCase().replace(/[\s\-./]/g, '');
}

/** The check digit of the first ten characters, or null if they are not owner code + serial. */
export function containerCheckDigit(first10: string): number | null {
  if (!/^[A-Z]{3}[UJZ]\d{6}$/.test(first10)) return null;
  let sum = 0;
  for (let i = 0; i < 10; i++) {
    const ch = first10[i]!;
    const v = i < 4 ? letterValue(ch) : Number(ch);
    sum += v * 2 ** i;
  }
  return (sum % 11) % 10;
}

/** True when the number has ISO 6346 form and its check digit holds. */
export function isValidContainerNumber(raw: string): boolean {
  const n = normalizeContainerNumber(raw);
  if (!OWNER_PATTERN.test(n)) return false;
  return containerCheckDigit(n.slice(0, 10)) === Number(n[10]);
}
