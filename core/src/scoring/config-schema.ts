/** JSON Schema of the config's `scoring:` section (correlation rules, scorers, live and shadow policies). */
const seconds = { type: 'number', minimum: 0 };
const deviceId = { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$' };

/** One risk policy (the live one, or a shadow one). */
export const policySchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    name: { type: 'string', minLength: 1, maxLength: 64 },
    combine: { enum: ['noisy-or', 'max'], description: 'noisy-or: independent reasons add up; max: the strongest reason decides.' },
    thresholds: {
      type: 'object',
      additionalProperties: false,
      properties: { yellow: { type: 'number', minimum: 0, maximum: 100 }, red: { type: 'number', minimum: 0, maximum: 100 } },
    },
    weights: { type: 'object', additionalProperties: { type: 'number', minimum: 0, maximum: 10 }, description: 'Per scorer name; default 1.' },
    forceRed: { type: 'array', items: { type: 'string' }, description: 'Contribution codes that send a case to red whatever the score.' },
    randomRate: { type: 'number', minimum: 0, maximum: 1, description: 'Minimum share of green cases sent to a check at random.' },
    randomChannel: { enum: ['yellow', 'red'] },
    randomSecret: { type: 'string', description: 'Mixed into the random draw; use ${ENV} so it stays out of the file.' },
    capacity: {
      type: 'object',
      additionalProperties: false,
      required: ['topPercent'],
      description: 'Select the top N % of cases by risk over a rolling window instead of fixed thresholds (plus the random share).',
      properties: {
        topPercent: { type: 'number', exclusiveMinimum: 0, maximum: 100 },
        windowH: { type: 'number', exclusiveMinimum: 0, maximum: 720 },
        channel: { enum: ['yellow', 'red'] },
        minCases: { type: 'integer', minimum: 1 },
      },
    },
  },
};

export const scoringConfigSchema = {
  type: 'object',
  additionalProperties: false,
  description: 'Correlation and risk policy; see docs/risk-scoring.md.',
  properties: {
    enabled: { type: 'boolean' },
    correlation: {
      type: 'object',
      additionalProperties: false,
      properties: {
        windowS: { ...seconds, description: 'Largest device-time gap between observations of one conveyance.' },
        identityWindowS: { ...seconds, description: 'Largest gap when the same container or plate joins observations.' },
        closeAfterS: { ...seconds, description: 'A case still missing devices closes this long after its last observation.' },
        lateS: { ...seconds, description: 'How long a closed case still takes late observations (and is scored again).' },
        duplicateS: { ...seconds, description: "A device's reading within this many seconds of its previous one, of the same vehicle, is a repeat." },
        emptyDeckKg: { type: 'number', minimum: 0, maximum: 100000, description: 'A weighing below this gross mass is an empty deck and joins no case.' },
        maxFutureS: { ...seconds, description: 'Device times further ahead of the hub clock do not move the lane clock.' },
        kinds: { type: 'array', items: { type: 'string' }, description: 'Observation kinds that join cases.' },
        clockOffsetS: { type: 'object', additionalProperties: { type: 'number' }, description: 'Known device clock offsets, subtracted from device times.' },
        lanes: {
          type: 'object',
          additionalProperties: {
            type: 'object',
            additionalProperties: false,
            properties: {
              expectedDevices: { type: 'array', items: deviceId },
              windowS: seconds,
              closeAfterS: seconds,
              cases: { type: 'boolean', description: 'false: observations of this lane are not joined into cases (its devices do not see the same vehicles).' },
            },
          },
        },
      },
    },
    scorers: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['name'],
        properties: {
          name: { type: 'string', minLength: 1, description: 'The scorer manifest name.' },
          package: { type: 'string', minLength: 1, description: 'A package to load it from when it is not in the workspace.' },
          enabled: { type: 'boolean' },
          shadow: { type: 'boolean', description: 'Run and store its result without letting it decide the channel.' },
          budgetMs: { type: 'integer', minimum: 1, maximum: 60000 },
          config: { type: 'object' },
        },
      },
    },
    policy: policySchema,
    shadowPolicies: { type: 'array', items: { ...policySchema, required: ['name'] } },
  },
} as const;
