/** The pattern of ids in a config (checkpoint, lane, device, group). */
export const NAME = { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$' } as const;
