import { defineScorer } from '@customs-hub/sdk';
import { scoreWatchlist, type WatchlistConfig } from './watchlist-rules.js';

export { scoreWatchlist, type WatchlistConfig, type WatchEntry } from './watchlist-rules.js';

const list = {
  type: 'array',
  items: {
    oneOf: [
      { type: 'string', minLength: 1 },
      {
        type: 'object',
        additionalProperties: false,
        required: ['value'],
        properties: { value: { type: 'string', minLength: 1 }, score: { type: 'number', minimum: 0, maximum: 100 }, note: { type: 'string' } },
      },
    ],
  },
};

export const scorer = defineScorer<WatchlistConfig>({
  manifest: {
    name: 'watchlist',
    version: '1.0.0',
    sdk: '^1.0.0',
    description: 'Consignors, consignees, HS codes and origins on watchlists from the config and from the central system.',
    configSchema: {
      type: 'object',
      additionalProperties: false,
      properties: { consignors: list, consignees: list, hsCodes: list, origins: list, score: { type: 'number', minimum: 0, maximum: 100 } },
    },
  },
  create: (config) => ({ score: (input, ctx) => scoreWatchlist(input, config, ctx.watchlists) }),
});
