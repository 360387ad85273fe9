/**
 * Errors are values. Every refusal a client can see carries one of these codes and a sentence a
 * person can read; anything else is logged on the server and reaches the client as `Internal`.
 */
export const ERROR_CODES = [
  'BadRequest',
  'NotFound',
  'BoardDeleted',
  'BoardFull',
  'SeatTaken',
  'NotSeated',
  'Forbidden',
  'BadOrigin',
  'ReadOnly',
  'TooLarge',
  'RateLimited',
  'IllegalMove',
  'WrongPhase',
  'NotYourTurn',
  'AlreadyDone',
  'ProtocolMismatch',
  /** [LEASE9] Another node serves this board right now: retry shortly (the proxy routes it there). */
  'BoardMoved',
  /** [DEV8] This browser was removed from its seat by the seat holder. */
  'DeviceRevoked',
  'Internal'
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export type Failure = { ok: false; code: ErrorCode; message: string };
export type Success<T> = { ok: true } & T;
export type Result<T extends object = object> = Success<T> | Failure;

export function fail(code: ErrorCode, message: string): Failure {
  return { ok: false, code, message };
}

/** HTTP status for an error code, used by the REST API. */
export const HTTP_STATUS: Record<ErrorCode, number> = {
  BadRequest: 400,
  NotFound: 404,
  BoardDeleted: 410,
  BoardFull: 403,
  SeatTaken: 409,
  NotSeated: 401,
  Forbidden: 403,
  BadOrigin: 403,
  ReadOnly: 403,
  TooLarge: 413,
  RateLimited: 429,
  IllegalMove: 400,
  WrongPhase: 409,
  NotYourTurn: 409,
  AlreadyDone: 409,
  ProtocolMismatch: 400,
  BoardMoved: 503,
  DeviceRevoked: 401,
  Internal: 500
};

/**
 * Websocket close codes (4000–4999 are application-defined). The Yjs endpoint refuses an upgrade
 * with an HTTP status before any doc byte is sent; these are for connections closed later.
 */
export const CLOSE_CODES = {
  BoardDeleted: 4410,
  ReadOnly: 4403,
  TooLarge: 4413,
  BadMessage: 4400,
  /** The server could not save; the client reconnects and resends. */
  Unavailable: 4503,
  /** OPS3: the server is restarting (drain); reconnect right away, nothing was lost. Mirrors 1012. */
  ServerRestarting: 4012,
  /** HARD1: an update that does not decode or does not fit the document; nothing of it is stored. */
  BadUpdate: 4422,
  /** HARD5: too many connections of one seat to one document. */
  TooManyConnections: 4429,
  /** HARD6: the client stopped reading; its send buffer passed the bound. */
  SlowReader: 4420,
  /** HARD7: a connection that never spoke (or went quiet before syncing). */
  HandshakeTimeout: 4408,
  /** LEASE9: another node serves this board now; reconnect (the proxy sends it there). Mirrors 1013. */
  BoardMoved: 4013,
  /** DEV8: the seat holder removed this browser from the seat; do not reconnect. */
  DeviceRevoked: 4401
} as const;
