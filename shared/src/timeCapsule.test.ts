import { describe, expect, it } from 'vitest';
import { FIRST_SESSION_QUESTIONS } from './questions.ts';
import type { MeetingLogEntry } from './rules/callItADay.ts';
import { WEEK_MS } from './rules/programme.ts';
import { isCapsuleDue, isCapsuleSnapshotMoment } from './timeCapsule.ts';
import { shapeTimeCapsule, timeCapsuleMarkdown, type TimeCapsuleInput } from './timeCapsulePage.ts';

const T0 = Date.UTC(2026, 0, 5, 9);
const entry = (number: number, startedAt: number, vibe: [number, number]): MeetingLogEntry => ({
  number,
  startedAt,
  endedAt: startedAt + 3_600_000,
  vibe: { mentor: vibe[0], mentee: vibe[1] },
  notes: { mentor: '', mentee: '' },
  summary: { promptsAnswered: 0, reflectionsLanded: 0, reflectionsTotal: 0, gamesPlayed: 0, vetoUsed: false, parkedPromptIds: [] }
});
const Q1 = FIRST_SESSION_QUESTIONS[0]!.id;
const Q2 = FIRST_SESSION_QUESTIONS[1]!.id;

function input(overrides: Partial<TimeCapsuleInput> = {}): TimeCapsuleInput {
  return {
    names: { mentor: 'Ana', mentee: 'Ben' },
    firstAnswers: { mentor: { [Q1]: 'A robot that danced.' }, mentee: { [Q1]: 'Games.' } },
    nowAnswers: { mentor: { [Q1]: 'A robot  that danced. ' }, mentee: { [Q1]: 'Games, then people.' } },
    firstGoals: ['Ship a side project'],
    nowGoals: ['Ship a side project', 'Speak at a meetup'],
    log: [entry(1, T0, [3, 4]), entry(2, T0 + WEEK_MS, [5, 4])],
    notes: { mentor: { answers: 'More about people now.' }, mentee: {} },
    ...overrides
  };
}

describe('time capsule', () => {
  it('[CAPS1] the snapshot moment is only meeting 1 closed, before meeting 2 starts', () => {
    const log = [entry(1, T0, [3, 4])];
    expect(isCapsuleSnapshotMoment({ number: 1, phase: 'closed', startedAt: T0, log })).toBe(true);
    expect(isCapsuleSnapshotMoment({ number: 1, phase: 'vibe-check', startedAt: T0, log: [] })).toBe(false);
    expect(isCapsuleSnapshotMoment({ number: 2, phase: 'open', startedAt: T0 + 1, log })).toBe(false);
  });

  it('[CAPS2] is due in week 12 and once the programme is finished, never before meeting 1 closed', () => {
    const log = [entry(1, T0, [3, 4])];
    const meeting = { number: 2, phase: 'open' as const, startedAt: T0, log };
    expect(isCapsuleDue(meeting, T0 + 10 * WEEK_MS)).toBe(false);
    expect(isCapsuleDue(meeting, T0 + 11 * WEEK_MS + 1)).toBe(true);
    expect(isCapsuleDue(meeting, T0 + 13 * WEEK_MS)).toBe(true);
    expect(isCapsuleDue({ ...meeting, log: [] }, T0 + 13 * WEEK_MS)).toBe(false);
  });

  it('[CAPS3] puts each answer then beside now, marks real changes only, and keeps a missing snapshot apart from a blank answer', () => {
    const capsule = shapeTimeCapsule(input({ firstAnswers: { mentor: { [Q1]: 'A robot that danced.' }, mentee: null } }));
    const row = capsule.answers.find((r) => r.promptId === Q1)!;
    expect(row.then).toEqual({ mentor: 'A robot that danced.', mentee: null });
    expect(row.changed).toEqual({ mentor: false, mentee: false });
    expect(capsule.answers.find((r) => r.promptId === Q2)!.then.mentor).toBe('');
    expect(shapeTimeCapsule(input()).answers[0]!.changed.mentee).toBe(true);
    expect(capsule.answers).toHaveLength(FIRST_SESSION_QUESTIONS.length);
  });

  it('[CAPS3] shows the goals as first written and the first vibe check beside the latest', () => {
    const capsule = shapeTimeCapsule(input());
    expect(capsule.goals).toEqual({ then: ['Ship a side project'], now: ['Ship a side project', 'Speak at a meetup'] });
    expect(capsule.vibe.first?.vibe).toEqual({ mentor: 3, mentee: 4 });
    expect(capsule.vibe.latest?.meeting).toBe(2);
    expect(shapeTimeCapsule(input({ log: [entry(1, T0, [3, 4])] })).vibe.latest).toBeNull();
  });

  it("[CAPS5][OPS8] exports one Markdown page with the pair's words escaped", () => {
    const md = timeCapsuleMarkdown(
      shapeTimeCapsule(input({ names: { mentor: '*Ana*', mentee: null }, nowAnswers: { mentor: { [Q1]: '# not a heading <b>x</b>' }, mentee: {} } })),
      T0
    );
    expect(md).toContain('# Time capsule — \\*Ana\\* (mentor) & Mentee (mentee)');
    expect(md).toContain('> \\# not a heading \\<b\\>x\\</b\\>');
    expect(md).toContain('> A robot that danced.');
    expect(md).toContain('More about people now.');
    expect(md).toContain('- First (meeting 1, 2026-01-05): \\*Ana\\* 3/5, Mentee 4/5');
    expect(md).not.toMatch(/\n{3,}/);
  });
});
