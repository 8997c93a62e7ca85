import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { errorResponse } from '../../../contract/errors';
import { searchQuery, searchResult } from '../../../contract/search';

export const searchRoutes: FastifyPluginAsyncZod = async (app) => {
  const { engine } = app;

  app.get(
    '/search',
    {
      config: { scope: 'read' },
      schema: {
        summary: 'Search every transcript; each hit is a segment with its time offsets',
        description:
          'All words must occur in a segment, in any case and with or without accents. ' +
          '"Quoted words" must occur as a phrase; the last unquoted word also matches as a ' +
          'prefix (from two letters). Search syntax such as AND, OR, NEAR or * is taken ' +
          'literally. `highlights` are `[start, end)` offsets into `snippet` (plain text, not ' +
          'HTML). Up to 1,000 matching segments are ranked by relevance; past that, or when a ' +
          'searched word is very common, hits come newest first (`order`), and `total` stops ' +
          'counting at the thousand the page lies in (`totalIsLowerBound`).',
        querystring: searchQuery,
        response: { 200: searchResult, 400: errorResponse },
      },
    },
    (request) => engine.repos.search.search(request.query),
  );
};
