import { defineScorer, type Contribution } from '@customs-hub/sdk';

/** The test's risk unit: one container on the watch list (red), one with a documentary doubt (yellow). */
export const WATCHED = 'CSQU3054383';
export const DOUBTFUL = 'MSCU1234566';

export const watchlistScorer = defineScorer({
  manifest: { name: 'e2e-watchlist', version: '1.0.0', sdk: '^1.0.0' },
  create: () => ({
    score: ({ case: c, observations }) => {
      const out: Contribution[] = [];
      for (const o of observations) {
        for (const ct of o.conveyance.containers) {
          if (ct.number === WATCHED && !out.some((x) => x.code === 'watchlist.container')) {
            out.push({
              code: 'watchlist.container',
              score: 95,
              reason: `Container ${WATCHED} is on the risk unit's watch list`,
              evidence: { observationIds: [o.id], values: { container: WATCHED, list: 'e2e' } },
            });
          }
          if (ct.number === DOUBTFUL && !out.some((x) => x.code === 'documents.doubt')) {
            out.push({
              code: 'documents.doubt',
              score: 50,
              reason: `The manifest for ${DOUBTFUL} lists a different consignee`,
              evidence: { observationIds: [o.id] },
            });
          }
        }
      }
      return c.lane ? out : [];
    },
  }),
});
