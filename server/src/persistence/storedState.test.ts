import { describe, expect, it } from 'vitest';
import { EMPTY_GAME_ROOM, initialSessionState } from '@pairboard/shared';
import { decodeStoredState, encodeStoredState, GAMES_STATE, SESSION_STATE, type StoredStateCodec } from './storedState.ts';
import { z } from 'zod';

describe('stored state', () => {
  it('[OPS6] writes an envelope with the version and reads it back through the schema', () => {
    const state = initialSessionState(1000);
    const json = encodeStoredState(SESSION_STATE, state);
    expect(JSON.parse(json)).toEqual({ v: SESSION_STATE.version, state });
    expect(decodeStoredState(SESSION_STATE, json)).toEqual({ ok: true, state, migratedFrom: null });
  });

  it('[REV10, OPS6] a v1 session row reads as v2 with no reveal-together prompts and no settled suggestions', () => {
    const { reveal: _r, suggestions: _s, ...v1 } = initialSessionState(1000);
    expect(decodeStoredState(SESSION_STATE, JSON.stringify({ v: 1, state: v1 }))).toEqual({
      ok: true,
      state: initialSessionState(1000),
      migratedFrom: 1
    });
  });

  it('[OPS6] reads a bare row from before versions existed as version 0 and migrates it', () => {
    const legacy = JSON.stringify(EMPTY_GAME_ROOM);
    expect(decodeStoredState(GAMES_STATE, legacy)).toEqual({ ok: true, state: EMPTY_GAME_ROOM, migratedFrom: 0 });
  });

  it('[OPS6] refuses, never throws, on rows that are not JSON, invalid, or from a newer release', () => {
    const cases: Array<[string, string]> = [
      ['{"phase":', 'not-json'],
      [JSON.stringify({ phase: 'dancing', results: [], opIds: [] }), 'invalid'],
      [JSON.stringify({ v: 1, state: { phase: 'idle' } }), 'invalid'],
      [JSON.stringify({ v: 9, state: EMPTY_GAME_ROOM }), 'newer-version'],
      ['null', 'invalid'],
      ['42', 'invalid']
    ];
    for (const [json, reason] of cases) {
      const decoded = decodeStoredState(GAMES_STATE, json);
      expect(decoded.ok, json).toBe(false);
      expect(decoded.problem?.reason, json).toBe(reason);
      if (!decoded.ok) expect(decoded.message).toMatch(/could not be read.*nothing was changed or lost/);
    }
  });

  it('[OPS6] runs each migration step in order from the stored version', () => {
    const codec: StoredStateCodec<{ name: string; tags: string[] }> = {
      key: 'games',
      label: 'test',
      version: 2,
      migrations: [(v0) => ({ name: (v0 as { title: string }).title }), (v1) => ({ ...(v1 as object), tags: [] })],
      schema: z.object({ name: z.string(), tags: z.array(z.string()) })
    };
    expect(decodeStoredState(codec, JSON.stringify({ title: 'old' }))).toMatchObject({ ok: true, state: { name: 'old', tags: [] }, migratedFrom: 0 });
    expect(decodeStoredState(codec, JSON.stringify({ v: 1, state: { name: 'mid' } }))).toMatchObject({
      ok: true,
      state: { name: 'mid', tags: [] },
      migratedFrom: 1
    });
    const broken = decodeStoredState(
      {
        ...codec,
        migrations: [
          () => {
            throw new Error('boom');
          },
          (v) => v
        ]
      },
      '{}'
    );
    expect(broken.problem?.reason).toBe('migration-failed');
  });
});
