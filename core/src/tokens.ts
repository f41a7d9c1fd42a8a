/** Injection tokens for the hub's services; interfaces need symbols. */
export const Tokens = {
  Config: Symbol('Config'),
  Logger: Symbol('Logger'),
  Database: Symbol('Database'),
  Writer: Symbol('Writer'),
  FeedReader: Symbol('FeedReader'),
  DeadLetters: Symbol('DeadLetters'),
  Pipeline: Symbol('Pipeline'),
  Plugins: Symbol('Plugins'),
  Devices: Symbol('Devices'),
  Statuses: Symbol('Statuses'),
  Cases: Symbol('Cases'),
  Metrics: Symbol('Metrics'),
  HubLock: Symbol('HubLock'),
  Audit: Symbol('Audit'),
  /** SwallowedErrors: where errors dropped on purpose are logged and counted. */
  Errors: Symbol('Errors'),
} as const;
