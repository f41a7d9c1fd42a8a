/** IATA air waybill (3-digit airline prefix, 8-digit serial): the serial's 8th digit is its first seven modulo 7. */
export function isValidAirWaybill(awb: string): boolean {
  const serial = awb.slice(3);
  return /^\d{11}$/.test(awb) && Number(serial.slice(0, 7)) % 7 === Number(serial[7]);
}
