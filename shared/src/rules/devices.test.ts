import { describe, expect, it } from 'vitest';
import {
  codeFromBytes,
  DEVICE_CODE_ALPHABET,
  DEVICE_CODE_TTL_MS,
  deviceNameFromUserAgent,
  deviceOf,
  devicesView,
  displayCode,
  findCode,
  findRecovery,
  issueCode,
  MAX_DEVICES_PER_SEAT,
  normaliseCode,
  noteSeen,
  redeemCode,
  redeemRecovery,
  renameDevice,
  revokedSeatOf,
  revokeDevice,
  setRecovery,
  type SeatDevice
} from './devices.ts';
import { claimSeat, EMPTY_SEATS, seatOf, type SeatsState } from './seatRules.ts';

const at = 1_000_000;
function seated(): SeatsState {
  const a = claimSeat(EMPTY_SEATS, { seat: 'mentor', name: 'Ana', secretHash: 'ana-laptop', at });
  if (!a.ok) throw new Error();
  const b = claimSeat(a.state, { seat: 'mentee', name: 'Ben', secretHash: 'ben', at });
  if (!b.ok) throw new Error();
  return b.state;
}
const phone = (id = 'phone000000', hash = 'ana-phone'): SeatDevice => ({ id, secretHash: hash, name: 'Chrome on Android', createdAt: at, lastSeenAt: at });
const same = (guess: string) => (_seat: string, stored: string) => stored === guess;

function withCode(state = seated(), hash = 'code-hash', when = at) {
  const issued = issueCode(state, 'mentor', { hash, at: when, currentName: 'Firefox on Linux' });
  if (!issued.ok) throw new Error(issued.message);
  return issued.state;
}

describe('device codes', () => {
  it('[DEV3] a code is 8 base32 characters from 40 random bits, shown as two groups', () => {
    expect(codeFromBytes(new Uint8Array([0, 0, 0, 0, 0]))).toBe('00000000');
    expect(codeFromBytes(new Uint8Array([255, 255, 255, 255, 255]))).toBe('ZZZZZZZZ');
    const code = codeFromBytes(new Uint8Array([1, 2, 3, 4, 5]));
    expect(code).toHaveLength(8);
    expect([...code].every((c) => DEVICE_CODE_ALPHABET.includes(c))).toBe(true);
    expect(DEVICE_CODE_ALPHABET).toHaveLength(32);
    expect(displayCode('ABCD1234')).toBe('ABCD-1234');
    expect(() => codeFromBytes(new Uint8Array(4))).toThrow();
  });

  it('[DEV3] what a person types is read forgivingly, anything else is a clear refusal', () => {
    expect(normaliseCode(' abcd-1234 ')).toEqual({ ok: true, code: 'ABCD1234' });
    expect(normaliseCode('oIlz 9999')).toEqual({ ok: true, code: '011Z9999' });
    for (const bad of ['', 'ABCD123', 'ABCD12345', 'ABCU1234', '<script>', 'x'.repeat(65), 'ÄBCD1234'])
      expect(normaliseCode(bad)).toMatchObject({ ok: false, code: 'BadRequest' });
  });

  it('[DEV2] only a seated seat gets a code; it expires in 10 minutes and replaces the live one', () => {
    expect(issueCode(EMPTY_SEATS, 'mentor', { hash: 'h', at })).toMatchObject({ ok: false, code: 'NotSeated' });
    const first = withCode();
    const second = issueCode(first, 'mentor', { hash: 'second', at: at + 1 });
    expect(second.ok && second.expiresAt).toBe(at + 1 + DEVICE_CODE_TTL_MS);
    if (!second.ok) throw new Error();
    const live = (second.state.mentor?.codes ?? []).filter((c) => c.usedAt === null && c.expiresAt > at + 1);
    expect(live.map((c) => c.hash)).toEqual(['second']);
    expect(second.state.mentee).toEqual(first.mentee);
  });

  it('[DEV5] a live code adds a browser once; used and expired codes are refused with their reason', () => {
    const state = withCode();
    const match = findCode(state, same('code-hash'), at + 1_000);
    expect(match).toMatchObject({ seat: 'mentor', status: 'live' });
    const redeemed = redeemCode(state, match!, phone(), at + 1_000);
    if (!redeemed.ok) throw new Error(redeemed.message);
    expect(deviceOf(redeemed.state, 'ana-phone')).toEqual({ seat: 'mentor', deviceId: 'phone000000' });
    expect(seatOf(redeemed.state, 'ana-laptop')).toBe('mentor');
    expect(seatOf(redeemed.state, 'ben')).toBe('mentee');

    const again = findCode(redeemed.state, same('code-hash'), at + 2_000);
    expect(again?.status).toBe('used');
    expect(redeemCode(redeemed.state, again!, phone('other000000', 'x'), at + 2_000)).toMatchObject({ ok: false, code: 'AlreadyDone' });

    const late = findCode(state, same('code-hash'), at + DEVICE_CODE_TTL_MS);
    expect(late?.status).toBe('expired');
    expect(redeemCode(state, late!, phone(), at + DEVICE_CODE_TTL_MS)).toMatchObject({ ok: false, code: 'WrongPhase' });
    expect(findCode(state, same('wrong'), at)).toBeNull();
  });

  it('[DEV5] a code from an hour ago is forgotten when the next one is made', () => {
    const old = withCode(seated(), 'old', at);
    const later = issueCode(old, 'mentor', { hash: 'new', at: at + DEVICE_CODE_TTL_MS + 60 * 60 * 1000 });
    if (!later.ok) throw new Error();
    expect(later.state.mentor?.codes?.map((c) => c.hash)).toEqual(['new']);
  });

  it('[DEV3] every stored code is compared, of both seats', () => {
    let state = withCode();
    const ben = issueCode(state, 'mentee', { hash: 'ben-code', at });
    if (!ben.ok) throw new Error();
    state = ben.state;
    const compared: string[] = [];
    const match = findCode(state, (_s, stored) => (compared.push(stored), stored === 'code-hash'), at);
    expect(match?.seat).toBe('mentor');
    expect(compared.sort()).toEqual(['ben-code', 'code-hash']);
  });
});

describe('devices of a seat', () => {
  it('[DEV1] a seat from before devices has its first browser, named when it first asks', () => {
    const state = withCode();
    expect(state.mentor?.secretHash).toBe('');
    expect(state.mentor?.devices).toEqual([{ id: 'first', secretHash: 'ana-laptop', name: 'Firefox on Linux', createdAt: at, lastSeenAt: at }]);
    expect(seatOf(state, '')).toBeNull();
  });

  it('[DEV7][DEV8] revoking removes the browser everywhere and remembers it as revoked; never the asking browser', () => {
    const state = withCode();
    const added = redeemCode(state, findCode(state, same('code-hash'), at)!, phone(), at);
    if (!added.ok) throw new Error();
    expect(revokeDevice(added.state, 'mentor', 'first', 'first', at)).toMatchObject({ ok: false, code: 'Forbidden' });
    expect(revokeDevice(added.state, 'mentor', 'nope', 'first', at)).toMatchObject({ ok: false, code: 'NotFound' });
    // The partner's seat has no such device: a device id names a browser of the asking seat only.
    expect(revokeDevice(added.state, 'mentee', 'phone000000', 'first', at)).toMatchObject({ ok: false, code: 'NotFound' });
    const revoked = revokeDevice(added.state, 'mentor', 'phone000000', 'first', at + 5);
    if (!revoked.ok) throw new Error();
    expect(seatOf(revoked.state, 'ana-phone')).toBeNull();
    expect(revokedSeatOf(revoked.state, 'ana-phone')).toBe('mentor');
    expect(revokedSeatOf(revoked.state, 'ana-laptop')).toBeNull();
    expect(seatOf(revoked.state, 'ana-laptop')).toBe('mentor');
  });

  it('[DEV6] names are editable (trimmed, 1–40 characters); last seen is written at most every 10 minutes', () => {
    const state = withCode();
    const renamed = renameDevice(state, 'mentor', 'first', '  Work   laptop ');
    expect(renamed.ok && renamed.state.mentor?.devices?.[0]?.name).toBe('Work laptop');
    expect(renameDevice(state, 'mentor', 'first', '   ')).toMatchObject({ ok: false, code: 'BadRequest' });
    expect(renameDevice(state, 'mentor', 'first', 'x'.repeat(41))).toMatchObject({ ok: false, code: 'BadRequest' });
    expect(renameDevice(state, 'mentor', 'zzz', 'Phone')).toMatchObject({ ok: false, code: 'NotFound' });
    expect(noteSeen(state, 'mentor', 'first', at + 60_000)).toBeNull();
    expect(noteSeen(state, 'mentor', 'first', at + 11 * 60_000)?.mentor?.devices?.[0]?.lastSeenAt).toBe(at + 11 * 60_000);
    expect(noteSeen(seated(), 'mentor', 'first', at + 11 * 60_000)).toBeNull();
  });

  it('[DEV4] a seat has at most 8 browsers', () => {
    let state = withCode();
    for (let i = 1; i < MAX_DEVICES_PER_SEAT; i++) {
      const issued = issueCode(state, 'mentor', { hash: `c${i}`, at });
      if (!issued.ok) throw new Error(issued.message);
      const added = redeemCode(issued.state, findCode(issued.state, same(`c${i}`), at)!, phone(`device${String(i).padStart(5, '0')}`, `h${i}`), at);
      if (!added.ok) throw new Error(added.message);
      state = added.state;
    }
    expect(issueCode(state, 'mentor', { hash: 'one-more', at })).toMatchObject({ ok: false, code: 'Forbidden' });
  });

  it('[DEV10] the view names browsers and times, never a hash or a code', () => {
    const view = devicesView(withCode(), 'mentor', 'first', at);
    expect(view).toEqual({
      devices: [{ id: 'first', name: 'Firefox on Linux', createdAt: at, lastSeenAt: at, current: true }],
      codeExpiresAt: at + DEVICE_CODE_TTL_MS,
      recovery: null
    });
    expect(JSON.stringify(view)).not.toMatch(/hash|ana-laptop|code-hash/);
  });

  it('[DEV9] a recovery secret adds a browser and is replaced in the same write; it can be removed', () => {
    const saved = setRecovery(seated(), 'mentor', { hash: 'rec1', createdAt: at });
    if (!saved.ok) throw new Error();
    const seat = findRecovery(saved.state, (h) => h === 'rec1');
    expect(seat).toBe('mentor');
    expect(findRecovery(saved.state, (h) => h === 'nope')).toBeNull();
    const redeemed = redeemRecovery(saved.state, 'mentor', phone(), { hash: 'rec2', createdAt: at + 1 });
    if (!redeemed.ok) throw new Error();
    expect(findRecovery(redeemed.state, (h) => h === 'rec1')).toBeNull();
    expect(findRecovery(redeemed.state, (h) => h === 'rec2')).toBe('mentor');
    expect(seatOf(redeemed.state, 'ana-phone')).toBe('mentor');
    const removed = setRecovery(redeemed.state, 'mentor', null);
    expect(removed.ok && findRecovery(removed.state, () => true)).toBeNull();
    expect(redeemRecovery(seated(), 'mentor', phone(), { hash: 'x', createdAt: at })).toMatchObject({ ok: false, code: 'NotFound' });
  });

  it('[DEV6] browsers are named from their User-Agent', () => {
    const cases: Array<[string, string]> = [
      ['Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Mobile Safari/537.36', 'Chrome on Android'],
      [
        'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
        'Safari on iPhone'
      ],
      ['Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36 Edg/126.0', 'Edge on Windows'],
      ['Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0', 'Firefox on Linux'],
      ['Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15', 'Safari on Mac'],
      ['', 'A browser'],
      ['curl/8.0', 'A browser']
    ];
    for (const [ua, name] of cases) expect(deviceNameFromUserAgent(ua)).toBe(name);
    expect(deviceNameFromUserAgent(undefined)).toBe('A browser');
  });
});
