import type http from 'node:http';
import type { RequestHandler } from 'express';
import { boardIdSchema } from '@pairboard/shared';
import type { BoardService } from '../boards/BoardService.ts';

const CONDITIONAL_HEADERS = ['if-none-match', 'if-modified-since', 'if-match', 'if-unmodified-since', 'if-range'];

/**
 * The board page renders in the browser; the link itself still answers with an honest HTTP
 * status (410 deleted, 404 unknown) so crawlers, scripts and the browser agree with the page.
 *
 * [EDGE9] The page shell is the same HTML for every board, so it carries one shared ETag. A browser
 * that cached a board before it was deleted revalidates with that ETag; SvelteKit would answer
 * 304, and a bare 410 without a body makes the browser show its own error page. So a deleted or
 * unknown board's request is stripped of its conditions and always gets the full page, uncached.
 */
export function boardLinkStatus(boards: BoardService): RequestHandler {
  return async (req, res, next) => {
    const id = boardIdSchema.safeParse(req.params.boardId);
    let status = 404;
    if (id.success) {
      try {
        const link = await boards.linkStatus(id.data);
        status = link === 'deleted' ? 410 : link === 'live' ? 200 : 404;
      } catch (error) {
        return next(error);
      }
    }
    if (status !== 200) {
      for (const header of CONDITIONAL_HEADERS) delete req.headers[header];
      res.setHeader('Cache-Control', 'no-store');
      forceStatus(res, status);
    }
    next();
  };
}

/** adapter-node writes its own status; this pins the one the board link deserves. */
function forceStatus(res: http.ServerResponse, status: number): void {
  const writeHead = res.writeHead.bind(res) as (...args: unknown[]) => http.ServerResponse;
  res.writeHead = ((_code: number, ...rest: unknown[]) => writeHead(status, ...rest)) as typeof res.writeHead;
}
