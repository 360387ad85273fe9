import type { IncomingMessage, ServerResponse } from 'node:http';
import { parse, serialize } from 'cookie';
import { seatCookieName } from '@pairboard/shared';

const FOUR_HUNDRED_DAYS = 400 * 24 * 60 * 60; // the longest lifetime browsers honour

export function readSeatSecret(req: IncomingMessage, boardId: string): string | undefined {
  const header = req.headers.cookie;
  if (!header) return undefined;
  return parse(header)[seatCookieName(boardId)];
}

/** [SEAT3] httpOnly so page scripts never see it; Lax so the shared link still opens the board. */
export function writeSeatSecret(res: ServerResponse, boardId: string, secret: string, secure: boolean): void {
  res.appendHeader(
    'Set-Cookie',
    serialize(seatCookieName(boardId), secret, {
      httpOnly: true,
      sameSite: 'lax',
      secure,
      path: '/',
      maxAge: FOUR_HUNDRED_DAYS
    })
  );
}

export function clearSeatSecret(res: ServerResponse, boardId: string, secure: boolean): void {
  res.appendHeader('Set-Cookie', serialize(seatCookieName(boardId), '', { httpOnly: true, sameSite: 'lax', secure, path: '/', maxAge: 0 }));
}
