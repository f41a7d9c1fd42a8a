/** The checkpoint YAML `security:` section, parsed. */
export interface SecurityConfig {
  /** Which decisions need a second person with the supervisor role. */
  fourEyes: { releaseRed: boolean; promoteModel: boolean; scoringPolicy: boolean };
}

export const securityConfigSchema = {
  type: 'object', additionalProperties: false,
  description: 'Roles, sign-in and four-eyes approval; see docs/security.md.',
  properties: {
    fourEyes: {
      type: 'object', additionalProperties: false,
      description: 'Decisions that a supervisor other than the requester must approve (all true by default).',
      properties: { releaseRed: { type: 'boolean' }, promoteModel: { type: 'boolean' }, scoringPolicy: { type: 'boolean' } },
    },
  },
} as const;

export function parseSecurityConfig(raw: { fourEyes?: Partial<SecurityConfig['fourEyes']> } | undefined): SecurityConfig {
  return {
    fourEyes: { releaseRed: raw?.fourEyes?.releaseRed ?? true, promoteModel: raw?.fourEyes?.promoteModel ?? true, scoringPolicy: raw?.fourEyes?.scoringPolicy ?? true },
  };
}
