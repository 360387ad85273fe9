import { z } from 'zod';
import { AGREEMENT_FIELD_IDS, fail, gameIdSchema, SEATS, type GameRoomState, type Result, type SessionState } from '@pairboard/shared';
import type { StateKey } from './Store.ts';

/**
 * [OPS6] Versioned server-decided state. Every JSON state row is stored as an envelope
 * `{"v": <version>, "state": …}` and read back through its migrations, then its zod schema, never
 * cast. Rows written before versions existed are the bare state: they read as version 0.
 *
 * TO CHANGE A STATE'S SHAPE: bump its codec's `version`, append the step that lifts the previous
 * version's value to the new one to `migrations` (index i lifts version i to i + 1), update the
 * schema. Old rows then migrate as they are read and are written back in the new version.
 */
export type StoredStateCodec<S> = {
  key: StateKey;
  /** What to call the feature in a refusal a person reads. */
  label: string;
  version: number;
  /** migrations[i] turns a version-i value into a version-(i + 1) one. Length === version. */
  migrations: ReadonlyArray<(previous: unknown) => unknown>;
  schema: z.ZodType<S>;
};

export type StoredStateProblem = { reason: 'not-json' | 'newer-version' | 'migration-failed' | 'invalid'; detail: string };

export type DecodedState<S> = Result<{ state: S; migratedFrom: number | null }> & { problem?: StoredStateProblem };

export function encodeStoredState<S>(codec: StoredStateCodec<S>, state: S): string {
  return JSON.stringify({ v: codec.version, state });
}

const envelopeSchema = z.object({ v: z.number().int().min(0), state: z.unknown() }).strict();

/**
 * Reads one stored row. Never throws: an unreadable row comes back as a failure with the reason,
 * and the caller refuses the feature for that board while the row stays exactly as it was stored.
 */
export function decodeStoredState<S>(codec: StoredStateCodec<S>, json: string): DecodedState<S> {
  const refuse = (problem: StoredStateProblem): DecodedState<S> => ({
    ...fail('Internal', `This board's ${codec.label} could not be read from storage, so it is paused; nothing was changed or lost.`),
    problem
  });
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch (error) {
    return refuse({ reason: 'not-json', detail: String(error) });
  }
  const envelope = envelopeSchema.safeParse(raw);
  let version = envelope.success ? envelope.data.v : 0;
  let value = envelope.success ? envelope.data.state : raw;
  const storedVersion = version;
  // A row from a newer release is left alone: reading it with an older shape would lose fields.
  if (version > codec.version) return refuse({ reason: 'newer-version', detail: `stored v${version}, this release knows v${codec.version}` });
  try {
    for (; version < codec.version; version++) value = codec.migrations[version]!(value);
  } catch (error) {
    return refuse({ reason: 'migration-failed', detail: `v${version}: ${String(error)}` });
  }
  const parsed = codec.schema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return refuse({ reason: 'invalid', detail: `${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}` });
  }
  return { ok: true, state: parsed.data, migratedFrom: storedVersion === codec.version ? null : storedVersion };
}

// ---- the schemas of the states as stored today (version 1) ----

const seat = z.enum(SEATS);
const bySeat = <T extends z.ZodType>(value: T) => z.object({ mentor: value, mentee: value });
const time = z.number();
const count = z.number().int().min(0);
const mode = z.enum(['goals', 'goal-free']);
const ballot = z.enum(['veto', 'goals']);
const question = z.enum(['go-goal-free', 'bring-goals-back']);
const opIds = z.array(z.string());

const sessionStateSchema = z.object({
  veto: z.object({
    mode,
    open: z.object({ id: z.number().int(), question, calledBy: seat, calledAt: time, ballots: bySeat(ballot.nullable()) }).nullable(),
    nextVoteId: z.number().int(),
    history: z.array(z.object({ id: z.number().int(), question, calledBy: seat, calledAt: time, ballots: bySeat(ballot), outcome: mode, at: time }))
  }),
  meeting: z.object({
    number: z.number().int().min(1),
    startedAt: time,
    phase: z.enum(['open', 'proposed', 'vibe-check', 'closed']),
    proposal: z.object({ by: seat, at: time }).nullable(),
    notYet: z.object({ by: seat, at: time }).nullable(),
    vibes: bySeat(z.object({ score: z.number(), note: z.string(), at: time }).nullable()),
    carriedOver: z.array(z.string()),
    log: z.array(
      z.object({
        number: z.number().int(),
        startedAt: time,
        endedAt: time,
        vibe: bySeat(z.number()),
        notes: bySeat(z.string()),
        summary: z.object({
          promptsAnswered: count,
          reflectionsLanded: count,
          reflectionsTotal: count,
          gamesPlayed: count,
          vetoUsed: z.boolean(),
          parkedPromptIds: z.array(z.string())
        })
      })
    )
  }),
  agreement: z.object({
    fields: z.record(z.enum(AGREEMENT_FIELD_IDS), z.string()),
    signatures: bySeat(z.object({ at: time }).nullable()),
    version: z.number().int().min(0)
  }),
  customPrompts: z.object({ prompts: z.array(z.object({ id: z.string(), text: z.string(), addedBy: seat, addedAt: time })) }),
  reveal: z.object({
    prompts: z.array(
      z.object({
        promptId: z.string(),
        switchedBy: seat,
        switchedAt: time,
        drafts: bySeat(z.object({ text: z.string(), savedAt: time.nullable(), readyAt: time.nullable() })),
        revealedAt: time.nullable(),
        meToo: bySeat(z.array(z.string()))
      })
    )
  }),
  suggestions: z.object({
    settled: z.array(z.object({ field: z.enum(AGREEMENT_FIELD_IDS), key: z.string(), by: seat, at: time, outcome: z.enum(['accepted', 'ignored']) }))
  }),
  recentOps: opIds
});

const gameRoomStateSchema = z.object({
  phase: z.enum(['idle', 'proposed', 'playing']),
  proposal: z.object({ gameId: gameIdSchema, by: seat, options: z.unknown(), at: time }).optional(),
  // Each game's own state is checked by that game's rules when a move comes in (behind a guard).
  game: z.object({ gameId: gameIdSchema, state: z.unknown(), startedAt: time }).optional(),
  results: z.array(z.object({ gameId: gameIdSchema, line: z.string(), at: time })),
  opIds
});

/**
 * The schemas must describe the types exactly. If one of these lines stops compiling, the stored
 * shape of SessionState or GameRoomState changed: update the schema above, bump the codec's
 * `version` and append a migration for rows already stored in the old shape.
 */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const sessionSchemaMatchesType: Same<z.output<typeof sessionStateSchema>, SessionState> = true;
const gamesSchemaMatchesType: Same<z.output<typeof gameRoomStateSchema>, GameRoomState> = true;
void sessionSchemaMatchesType;
void gamesSchemaMatchesType;

/** v0 → v1: the bare state became the envelope's `state`; the value itself did not change. */
const unchanged = (previous: unknown) => previous;

/** v1 → v2: [REV10] reveal-together prompts and settled agreement suggestions, none yet. */
const addRevealAndSuggestions = (previous: unknown) => ({
  ...(previous as Record<string, unknown>),
  reveal: { prompts: [] },
  suggestions: { settled: [] }
});

export const SESSION_STATE: StoredStateCodec<SessionState> = {
  key: 'session',
  label: 'votes, meetings and agreement',
  version: 2,
  migrations: [unchanged, addRevealAndSuggestions],
  schema: sessionStateSchema
};

export const GAMES_STATE: StoredStateCodec<GameRoomState> = {
  key: 'games',
  label: 'games',
  version: 1,
  migrations: [unchanged],
  schema: gameRoomStateSchema
};
