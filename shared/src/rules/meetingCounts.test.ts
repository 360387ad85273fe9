import { describe, expect, it } from 'vitest';
import { CHARTER_PROMPTS } from '../content/charterPrompts.ts';
import type { ReflectionVerdict } from '../docShape.ts';
import { FIRST_SESSION_QUESTIONS } from '../questions.ts';
import type { Seat } from '../seats.ts';
import { answeredByBoth, countMeeting, type WrittenAnswers } from './meetingCounts.ts';

const T0 = 1_700_000_000_000;

/** A board's writing as plain maps: `${seat}:${promptId}` → text. */
function written(answers: Record<string, string>, heard: Record<string, string> = {}, verdicts: Record<string, ReflectionVerdict> = {}): WrittenAnswers {
  return {
    answer: (seat: Seat, id: string) => answers[`${seat}:${id}`] ?? '',
    heard: (seat: Seat, id: string) => heard[`${seat}:${id}`] ?? '',
    verdict: (seat: Seat, id: string) => verdicts[`${seat}:${id}`]
  };
}

const [q1, q2] = FIRST_SESSION_QUESTIONS.map((q) => q.id) as [string, string];
const charter = CHARTER_PROMPTS[0]!.id;

describe('meeting counts', () => {
  it('[SUM1] a prompt counts as answered only when both wrote more than spaces', () => {
    expect(answeredByBoth(written({ [`mentor:${q1}`]: 'yes', [`mentee:${q1}`]: '  ' }), q1)).toBe(false);
    expect(answeredByBoth(written({ [`mentor:${q1}`]: 'yes', [`mentee:${q1}`]: 'too' }), q1)).toBe(true);
  });

  it('[SUM2] a reflection landed only when the speaker marked exactly that text as landed', () => {
    const counts = countMeeting({
      written: written(
        {},
        { [`mentee:${q1}`]: 'you like maps', [`mentor:${q2}`]: 'you were tired', [`mentee:${q2}`]: 'changed since' },
        {
          [`mentor:${q1}`]: { verdict: 'landed', heard: 'you like maps', at: T0 },
          [`mentee:${q2}`]: { verdict: 'not-quite', heard: 'you were tired', at: T0 },
          [`mentor:${q2}`]: { verdict: 'landed', heard: 'an older text', at: T0 }
        }
      ),
      ownPrompts: [],
      gameResults: [
        { gameId: 'connect-four', line: 'before', at: T0 - 1 },
        { gameId: 'connect-four', line: 'during', at: T0 + 1 }
      ],
      meetingStartedAt: T0
    });
    expect(counts).toMatchObject({ reflectionsTotal: 3, reflectionsLanded: 1, gamesPlayed: 1 });
  });

  it('[SUM3] unanswered first-session and own prompts are parked; charter prompts never are', () => {
    const both = (id: string) => ({ [`mentor:${id}`]: 'a', [`mentee:${id}`]: 'b' });
    const counts = countMeeting({
      written: written({ ...both(q1), ...both(charter) }),
      ownPrompts: [{ id: 'own-1', text: 'Why?', addedBy: 'mentor', addedAt: T0 }],
      gameResults: [],
      meetingStartedAt: T0
    });
    expect(counts.promptsAnswered).toBe(2);
    expect(counts.parkedPromptIds).not.toContain(q1);
    expect(counts.parkedPromptIds).not.toContain(charter);
    expect(counts.parkedPromptIds).toContain(q2);
    expect(counts.parkedPromptIds).toContain('own-1');
  });
});
