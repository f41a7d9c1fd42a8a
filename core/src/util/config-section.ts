/** Environment variables, as `process.env`. */
export type Env = Record<string, string | undefined>;

/** What every section may use besides its own value; load-config works it out before any section. */
export interface SectionContext {
  env: Env;
  /** The config file's folder: relative paths in the file are relative to it. */
  dir: string;
  checkpointId: string;
  /** The data directory, absolute. */
  dataDir: string;
}

/**
 * One feature's part of the checkpoint config: the JSON Schema of its YAML value and the parse that applies
 * its defaults and environment overrides. load-config validates the whole file against every section's
 * schema first, then calls each parse once; features read only the typed result. A section module imports
 * nothing of `config/`, so the config composes the features and not the other way round.
 */
export interface ConfigSection<T> {
  readonly schema: Readonly<Record<string, unknown>>;
  /** `raw` is the section's validated YAML value (undefined when the file leaves it out). */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- validated YAML, read once here
  parse(raw: any, ctx: SectionContext): T;
}
