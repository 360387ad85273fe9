import { fail, type Result } from '../errors.ts';
import { LIMITS } from '../limits.ts';
import { SEATS, type Seat } from '../seats.ts';
import type { SeatHolder, SeatsState } from './seatRules.ts';

/**
 * A seat on several browsers (issue 12, item 4). The seat holder adds a browser with a one-time
 * code (or its QR link); each browser gets its own secret, so each can be revoked alone. A recovery
 * secret the person saved adds a browser when every other one is lost. Everything here is a pure
 * rule over the seats state; the server hashes, compares in constant time, and stores [DEV…].
 */

/** One browser holding a seat: only the hash of its own secret is kept [SEAT3][DEV1]. */
export type SeatDevice = { id: string; secretHash: string; name: string; createdAt: number; lastSeenAt: number };
/** A one-time code: hashed, bound to its board and seat, live for 10 minutes, good once [DEV3]. */
export type DeviceCode = { hash: string; createdAt: number; expiresAt: number; usedAt: number | null };
export type RecoveryKey = { hash: string; createdAt: number };
/** Hashes of revoked browsers, so a revoked browser is told so instead of "board full" [DEV8]. */
export type RevokedDevice = { hash: string; name: string; at: number };

/** The device fields a seat holder gains once it has more than its first browser. */
export type SeatDevices = {
  devices?: SeatDevice[];
  codes?: DeviceCode[];
  recovery?: RecoveryKey | null;
  revoked?: RevokedDevice[];
};

export const DEVICE_CODE_TTL_MS = 10 * 60 * 1000;
/** Crockford's base32: no I, L, O or U, so what is read aloud or typed is what was shown. */
export const DEVICE_CODE_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
/** 8 characters of base32: 40 bits (SPEC DEV4 works out what that means under the rate limits). */
export const DEVICE_CODE_LENGTH = 8;
export const DEVICE_CODE_BYTES = 5;
export const MAX_DEVICES_PER_SEAT = 8;
/** Used and expired codes are remembered this long, so a late try is told why (DEV5). */
const CODE_MEMORY_MS = 60 * 60 * 1000;
const REVOKED_MEMORY = 16;
/** Last-seen times are written at most this often per device (each is a seat write). */
export const LAST_SEEN_RESOLUTION_MS = 10 * 60 * 1000;
/** The id of a seat's first browser, from before it had devices. */
export const FIRST_DEVICE_ID = 'first';

/** 40 random bits as 8 base32 characters; `bytes` comes from the server's CSPRNG. */
export function codeFromBytes(bytes: Uint8Array): string {
  if (bytes.length < DEVICE_CODE_BYTES) throw new Error('A device code needs 5 random bytes.');
  let bits = 0n;
  for (let i = 0; i < DEVICE_CODE_BYTES; i++) bits = (bits << 8n) | BigInt(bytes[i]!);
  let code = '';
  for (let i = DEVICE_CODE_LENGTH - 1; i >= 0; i--) code += DEVICE_CODE_ALPHABET[Number((bits >> BigInt(i * 5)) & 31n)];
  return code;
}

/** How a code is shown: two groups of four, easy to read out. */
export function displayCode(code: string): string {
  return `${code.slice(0, 4)}-${code.slice(4)}`;
}

/**
 * [DEV3] What a person typed, as the canonical code: case, spaces and dashes do not matter, and
 * the letters people confuse with digits (O, I, L) are read as the digits. Anything else is a
 * clear refusal, never a lookup.
 */
export function normaliseCode(raw: string): Result<{ code: string }> {
  if (raw.length > 64) return fail('BadRequest', 'That code is too long: it has 8 letters and digits, like ABCD-1234.');
  const code = raw.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
  if (code.length !== DEVICE_CODE_LENGTH || [...code].some((c) => !DEVICE_CODE_ALPHABET.includes(c)))
    return fail('BadRequest', 'That is not a device code: it has 8 letters and digits, like ABCD-1234.');
  return { ok: true, code };
}

/** A seat's browsers; a seat from before devices has one, its first browser. */
export function devicesOf(holder: SeatHolder | null): SeatDevice[] {
  if (!holder) return [];
  if (holder.devices) return holder.devices;
  if (!holder.secretHash) return [];
  return [{ id: FIRST_DEVICE_ID, secretHash: holder.secretHash, name: 'First browser', createdAt: holder.claimedAt, lastSeenAt: holder.claimedAt }];
}

/** [SEAT3][DEV1] The seat and browser a secret's hash opens, if any. */
export function deviceOf(state: SeatsState, secretHash: string | null | undefined): { seat: Seat; deviceId: string } | null {
  if (!secretHash) return null;
  for (const seat of SEATS) for (const device of devicesOf(state[seat])) if (device.secretHash === secretHash) return { seat, deviceId: device.id };
  return null;
}

/** [DEV8] Whether this hash belonged to a browser its seat holder revoked (and which seat). */
export function revokedSeatOf(state: SeatsState, secretHash: string | null | undefined): Seat | null {
  if (!secretHash) return null;
  for (const seat of SEATS) if (state[seat]?.revoked?.some((r) => r.hash === secretHash)) return seat;
  return null;
}

/** The holder in its device form (the first browser named when it is the one asking). */
function withDevices(holder: SeatHolder, firstName?: string): SeatHolder & Required<Pick<SeatDevices, 'devices'>> {
  const devices = devicesOf(holder).map((d) => (d.id === FIRST_DEVICE_ID && !holder.devices && firstName ? { ...d, name: firstName } : d));
  // The first browser's hash now lives in `devices` only, so revoking it leaves nothing behind.
  return { ...holder, secretHash: '', devices };
}

function holderOf(state: SeatsState, seat: Seat): Result<{ holder: SeatHolder }> {
  const holder = state[seat];
  return holder ? { ok: true, holder } : fail('NotSeated', 'Take your seat first.');
}

/** Codes still worth remembering: live ones, and used or expired ones for an hour (DEV5). */
function recentCodes(codes: readonly DeviceCode[] | undefined, at: number): DeviceCode[] {
  return (codes ?? []).filter((c) => Math.max(c.expiresAt, c.usedAt ?? 0) + CODE_MEMORY_MS > at);
}

/**
 * [DEV2][DEV3] The seat holder asks for a code. A new code replaces the seat's previous live one,
 * so a seat has at most one live code at any time. `currentName` names the asking browser if the
 * seat is still in its one-browser form.
 */
export function issueCode(
  state: SeatsState,
  seat: Seat,
  code: { hash: string; at: number; currentName?: string }
): Result<{ state: SeatsState; expiresAt: number }> {
  const found = holderOf(state, seat);
  if (!found.ok) return found;
  const holder = withDevices(found.holder, code.currentName);
  if (holder.devices.length >= MAX_DEVICES_PER_SEAT)
    return fail('Forbidden', `Your seat is on ${MAX_DEVICES_PER_SEAT} browsers already; remove one before adding another.`);
  const kept = recentCodes(holder.codes, code.at).filter((c) => c.usedAt !== null || c.expiresAt <= code.at);
  const expiresAt = code.at + DEVICE_CODE_TTL_MS;
  const codes = [...kept, { hash: code.hash, createdAt: code.at, expiresAt, usedAt: null }];
  return { ok: true, state: { ...state, [seat]: { ...holder, codes } }, expiresAt };
}

export type CodeMatch = { seat: Seat; index: number; status: 'live' | 'used' | 'expired' };

/**
 * [DEV3][DEV5] Which remembered code (of either seat) a guess matches. `matches` is the server's
 * constant-time comparison of the guess's hash for that seat with a stored hash; every stored code
 * is compared, a match does not stop the loop early.
 */
export function findCode(state: SeatsState, matches: (seat: Seat, storedHash: string) => boolean, at: number): CodeMatch | null {
  let found: CodeMatch | null = null;
  for (const seat of SEATS) {
    const codes = state[seat]?.codes ?? [];
    for (let index = 0; index < codes.length; index++) {
      const c = codes[index]!;
      if (matches(seat, c.hash) && !found) found = { seat, index, status: c.usedAt !== null ? 'used' : c.expiresAt <= at ? 'expired' : 'live' };
    }
  }
  return found;
}

/** The refusal a matched but spent code gets (DEV5). */
export function spentCodeRefusal(status: 'used' | 'expired'): Result<never> {
  return status === 'used'
    ? fail('AlreadyDone', 'This code was already used. Ask for a new one on the browser that holds the seat.')
    : fail('WrongPhase', 'This code expired (codes last 10 minutes). Ask for a new one on the browser that holds the seat.');
}

/** [DEV5] A live code adds a browser and is spent in the same seat write: it works once. */
export function redeemCode(state: SeatsState, match: CodeMatch, device: SeatDevice, at: number): Result<{ state: SeatsState; seat: Seat }> {
  if (match.status !== 'live') return spentCodeRefusal(match.status);
  const found = holderOf(state, match.seat);
  if (!found.ok) return found;
  const holder = withDevices(found.holder);
  const codes = (holder.codes ?? []).map((c, i) => (i === match.index ? { ...c, usedAt: at } : c));
  return addDevice(state, match.seat, { ...holder, codes }, device);
}

function addDevice(
  state: SeatsState,
  seat: Seat,
  holder: SeatHolder & { devices: SeatDevice[] },
  device: SeatDevice
): Result<{ state: SeatsState; seat: Seat }> {
  if (holder.devices.length >= MAX_DEVICES_PER_SEAT) return fail('Forbidden', `This seat is on ${MAX_DEVICES_PER_SEAT} browsers already; remove one first.`);
  return { ok: true, seat, state: { ...state, [seat]: { ...holder, devices: [...holder.devices, device] } } };
}

/** [DEV9] The seat holder saves a recovery secret (a new one replaces the old one) or removes it. */
export function setRecovery(state: SeatsState, seat: Seat, recovery: RecoveryKey | null, currentName?: string): Result<{ state: SeatsState }> {
  const found = holderOf(state, seat);
  if (!found.ok) return found;
  return { ok: true, state: { ...state, [seat]: { ...withDevices(found.holder, currentName), recovery } } };
}

/** [DEV9] Which seat's recovery secret a guess opens (constant-time comparison by the server). */
export function findRecovery(state: SeatsState, matches: (storedHash: string) => boolean): Seat | null {
  let found: Seat | null = null;
  for (const seat of SEATS) {
    const hash = state[seat]?.recovery?.hash;
    if (hash && matches(hash) && !found) found = seat;
  }
  return found;
}

/** [DEV9] The recovery secret adds a browser and is replaced by a new one in the same write. */
export function redeemRecovery(state: SeatsState, seat: Seat, device: SeatDevice, next: RecoveryKey): Result<{ state: SeatsState; seat: Seat }> {
  const found = holderOf(state, seat);
  if (!found.ok) return found;
  if (!found.holder.recovery) return fail('NotFound', 'That recovery link is not valid any more.');
  return addDevice(state, seat, { ...withDevices(found.holder), recovery: next }, device);
}

/**
 * [DEV7][DEV8] The seat holder removes one of their browsers: its hash leaves the seat (its cookie
 * opens nothing any more) and is remembered as revoked. The browser asking cannot remove itself,
 * so a seat always keeps one.
 */
export function revokeDevice(
  state: SeatsState,
  seat: Seat,
  deviceId: string,
  currentDeviceId: string,
  at: number
): Result<{ state: SeatsState; revoked: SeatDevice }> {
  const found = holderOf(state, seat);
  if (!found.ok) return found;
  const holder = withDevices(found.holder);
  const device = holder.devices.find((d) => d.id === deviceId);
  if (!device) return fail('NotFound', 'That browser is not on your seat (it may have been removed already).');
  if (device.id === currentDeviceId) return fail('Forbidden', 'This is the browser you are using; remove it from another one of yours.');
  const revoked = [...(holder.revoked ?? []), { hash: device.secretHash, name: device.name, at }].slice(-REVOKED_MEMORY);
  const devices = holder.devices.filter((d) => d.id !== deviceId);
  return { ok: true, revoked: device, state: { ...state, [seat]: { ...holder, devices, revoked } } };
}

/** [DEV6] A browser's name is the seat holder's to change: trimmed, 1–40 characters. */
export function renameDevice(state: SeatsState, seat: Seat, deviceId: string, rawName: string): Result<{ state: SeatsState }> {
  const found = holderOf(state, seat);
  if (!found.ok) return found;
  const name = normaliseDeviceName(rawName);
  if (!name.ok) return name;
  const holder = withDevices(found.holder);
  if (!holder.devices.some((d) => d.id === deviceId)) return fail('NotFound', 'That browser is not on your seat.');
  const devices = holder.devices.map((d) => (d.id === deviceId ? { ...d, name: name.name } : d));
  return { ok: true, state: { ...state, [seat]: { ...holder, devices } } };
}

export function normaliseDeviceName(raw: string): Result<{ name: string }> {
  const name = raw.replace(/\s+/g, ' ').trim();
  if (name.length === 0) return fail('BadRequest', 'Give this browser a name, like "Phone".');
  if ([...name].length > LIMITS.displayNameMax) return fail('BadRequest', `Browser names can be at most ${LIMITS.displayNameMax} characters.`);
  return { ok: true, name };
}

/** [DEV6] Last seen, written at most every LAST_SEEN_RESOLUTION_MS; null when nothing changes. */
export function noteSeen(state: SeatsState, seat: Seat, deviceId: string, at: number): SeatsState | null {
  const holder = state[seat];
  if (!holder?.devices) return null; // one-browser seats keep their form until a device is added
  const device = holder.devices.find((d) => d.id === deviceId);
  if (!device || at - device.lastSeenAt < LAST_SEEN_RESOLUTION_MS) return null;
  const devices = holder.devices.map((d) => (d.id === deviceId ? { ...d, lastSeenAt: at } : d));
  return { ...state, [seat]: { ...holder, devices } };
}

/** [DEV6] "Chrome on Android", from the User-Agent header; the person may rename it. */
export function deviceNameFromUserAgent(userAgent: string | undefined): string {
  const ua = (userAgent ?? '').slice(0, 512);
  const browser = /Edg\//.test(ua)
    ? 'Edge'
    : /OPR\/|Opera/.test(ua)
      ? 'Opera'
      : /Firefox\/|FxiOS/.test(ua)
        ? 'Firefox'
        : /SamsungBrowser/.test(ua)
          ? 'Samsung Internet'
          : /Chrome\/|Chromium\/|CriOS/.test(ua)
            ? 'Chrome'
            : /Safari\//.test(ua)
              ? 'Safari'
              : 'A browser';
  const system = /Android/.test(ua)
    ? 'Android'
    : /iPhone/.test(ua)
      ? 'iPhone'
      : /iPad/.test(ua)
        ? 'iPad'
        : /Windows/.test(ua)
          ? 'Windows'
          : /Mac OS X|Macintosh/.test(ua)
            ? 'Mac'
            : /CrOS/.test(ua)
              ? 'ChromeOS'
              : /Linux/.test(ua)
                ? 'Linux'
                : null;
  return system ? `${browser} on ${system}` : browser;
}

/** What the seat holder sees of their devices: never a hash (DEV10). */
export type DeviceSummary = { id: string; name: string; createdAt: number; lastSeenAt: number; current: boolean };
export type DevicesView = {
  devices: DeviceSummary[];
  /** When the live code (if any) expires; the code itself is shown only once, when made. */
  codeExpiresAt: number | null;
  recovery: { createdAt: number } | null;
};

export function devicesView(state: SeatsState, seat: Seat, currentDeviceId: string, at: number): DevicesView {
  const holder = state[seat];
  const live = (holder?.codes ?? []).find((c) => c.usedAt === null && c.expiresAt > at);
  return {
    devices: devicesOf(holder).map((d) => ({ id: d.id, name: d.name, createdAt: d.createdAt, lastSeenAt: d.lastSeenAt, current: d.id === currentDeviceId })),
    codeExpiresAt: live?.expiresAt ?? null,
    recovery: holder?.recovery ? { createdAt: holder.recovery.createdAt } : null
  };
}
