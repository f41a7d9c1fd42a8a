import { containerCheckDigit, isValidAirWaybill, isValidContainerNumber, type DeclarationTransport } from '@customs-hub/sdk';

/** IATA air waybill check digit (the SDK's, which identity readers use too). */
export const awbCheckDigitOk = isValidAirWaybill;

/** IMO ship number: digits weighted 7…2, the sum's last digit is the seventh digit. */
export function imoCheckDigitOk(imo: string): boolean {
  if (!/^\d{7}$/.test(imo)) return false;
  let sum = 0;
  for (let i = 0; i < 6; i++) sum += Number(imo[i]) * (7 - i);
  return sum % 10 === Number(imo[6]);
}

/** What is wrong with a normalized declaration's transport identifiers, each naming its field. */
export function transportProblems(t: DeclarationTransport, base: string): string[] {
  const problems: string[] = [];
  t.containers.forEach((n, i) => {
    if (!/^[A-Z]{3}[UJZ]\d{7}$/.test(n))
      problems.push(`${base}/containers/${i}: '${n}' is not an ISO 6346 container number (4 letters ending U, J or Z, then 7 digits)`);
    else if (!isValidContainerNumber(n))
      problems.push(`${base}/containers/${i}: '${n}' fails the ISO 6346 check digit (expected ${containerCheckDigit(n.slice(0, 10))})`);
  });
  t.airWaybills.forEach((n, i) => {
    if (!awbCheckDigitOk(n)) problems.push(`${base}/airWaybills/${i}: '${n}' fails the air waybill check digit (expected ${Number(n.slice(3, 10)) % 7})`);
  });
  if (t.vessel?.imo && !imoCheckDigitOk(t.vessel.imo)) problems.push(`${base}/vessel/imo: '${t.vessel.imo}' fails the IMO check digit`);
  return problems;
}
