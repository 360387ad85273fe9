import { describe, expect, it } from 'vitest';
import { meetingPath, type MeetingPathInput } from './meetingPath.ts';

const base: MeetingPathInput = {
  partnerJoined: true,
  meeting: { number: 1, phase: 'open' },
  questionsAnsweredByBoth: 0,
  questionsTotal: 6,
  gamesThisMeeting: 0,
  agreement: { agreed: false },
  goalFree: false,
  goalsCount: 0,
  agendaWritten: { you: false, partner: false },
  carriedActionItemsOpen: 0,
  carriedActionItemsTotal: 0,
  actionItemsThisMeeting: 0,
  nextMeetingSet: false,
  suggestion: { suggest: false }
};
const itch = { suggest: true, because: 'six-week-itch', reason: 'It is week 6.' } as const;
const ids = (input: Partial<MeetingPathInput>) => meetingPath({ ...base, ...input }).steps.map((s) => s.id);
const current = (input: Partial<MeetingPathInput>) => meetingPath({ ...base, ...input }).current;

describe('meetingPath', () => {
  it('[GUIDE1] before the partner joins: share the link, then what to expect', () => {
    const path = meetingPath({ ...base, partnerJoined: false });
    expect(path.stage).toBe('waiting');
    expect(ids({ partnerJoined: false })).toEqual(['share-link', 'what-to-expect']);
    expect(path.current).toBe('share-link');
  });

  it('[GUIDE1] waiting wins over any meeting state, even a later meeting', () => {
    expect(meetingPath({ ...base, partnerJoined: false, meeting: { number: 3, phase: 'closed' } }).stage).toBe('waiting');
  });

  it('[GUIDE1] meeting 1: the six questions, a game (optional), the agreement, call it a day', () => {
    expect(ids({})).toEqual(['questions', 'game', 'agreement', 'call-it-a-day']);
    expect(meetingPath(base).stage).toBe('first-meeting');
    expect(current({})).toBe('questions');
    expect(meetingPath(base).steps.find((s) => s.id === 'game')?.optional).toBe(true);
  });

  it('[GUIDE1] meeting 1 moves on as the board fills: questions, then the agreement (a game is never forced), then call it a day', () => {
    expect(current({ questionsAnsweredByBoth: 5 })).toBe('questions');
    expect(current({ questionsAnsweredByBoth: 6 })).toBe('agreement');
    expect(current({ questionsAnsweredByBoth: 6, agreement: { agreed: true } })).toBe('call-it-a-day');
    expect(meetingPath({ ...base, gamesThisMeeting: 1 }).steps.find((s) => s.id === 'game')?.done).toBe(true);
    expect(meetingPath({ ...base, questionsAnsweredByBoth: 2 }).steps[0]?.detail).toBe('2 of 6 answered by both of you.');
  });

  it('[GUIDE1] a suggestion or the vibe check makes calling it a day the current step, whatever is left', () => {
    for (const phase of ['proposed', 'vibe-check'] as const) {
      expect(current({ meeting: { number: 1, phase } })).toBe('call-it-a-day');
      expect(current({ meeting: { number: 4, phase } })).toBe('call-it-a-day');
    }
    // Not yet done: the questions keep their honest state.
    expect(meetingPath({ ...base, meeting: { number: 1, phase: 'proposed' } }).steps[0]?.done).toBe(false);
  });

  it('[GUIDE1] later meetings: agenda, action items from last time (only when there were any), goals, call it a day', () => {
    const later = { meeting: { number: 2, phase: 'open' as const } };
    expect(meetingPath({ ...base, ...later }).stage).toBe('later-meeting');
    expect(ids(later)).toEqual(['agenda', 'goals', 'call-it-a-day']);
    expect(ids({ ...later, carriedActionItemsTotal: 2, carriedActionItemsOpen: 1 })).toEqual(['agenda', 'action-items', 'goals', 'call-it-a-day']);
    expect(current(later)).toBe('agenda');
    // The agenda is done when both have written in it.
    expect(current({ ...later, agendaWritten: { you: true, partner: false } })).toBe('agenda');
    expect(current({ ...later, agendaWritten: { you: true, partner: true }, carriedActionItemsTotal: 2, carriedActionItemsOpen: 1 })).toBe('action-items');
    expect(current({ ...later, agendaWritten: { you: true, partner: true }, carriedActionItemsTotal: 2, carriedActionItemsOpen: 0 })).toBe('call-it-a-day');
  });

  it('[GUIDE1] goals are optional, and resting in a goal-free meeting', () => {
    const path = meetingPath({ ...base, meeting: { number: 2, phase: 'open' }, goalFree: true });
    const goals = path.steps.find((s) => s.id === 'goals');
    expect(goals).toMatchObject({ title: 'Goals are resting', done: true, optional: true });
  });

  it('[GUIDE1] between meetings: next steps (a date is enough to move on), then start the next meeting', () => {
    const closed = { meeting: { number: 1, phase: 'closed' as const } };
    expect(meetingPath({ ...base, ...closed }).stage).toBe('between-meetings');
    expect(ids(closed)).toEqual(['call-it-a-day', 'next-steps', 'start-next']);
    expect(meetingPath({ ...base, ...closed }).steps[0]?.done).toBe(true);
    expect(current(closed)).toBe('next-steps');
    expect(current({ ...closed, nextMeetingSet: true })).toBe('start-next');
    expect(current({ ...closed, actionItemsThisMeeting: 3 })).toBe('next-steps');
    expect(meetingPath({ ...base, ...closed, nextMeetingSet: true, actionItemsThisMeeting: 1 }).steps[1]?.done).toBe(true);
  });

  it('[GUIDE4] the 6-week nudge rides on the path while the meeting can still go goal-free', () => {
    expect(meetingPath({ ...base, meeting: { number: 6, phase: 'open' }, suggestion: itch }).nudge).toEqual(itch);
    expect(meetingPath({ ...base, suggestion: { suggest: false } }).nudge).toBeNull();
    expect(meetingPath({ ...base, suggestion: itch, goalFree: true }).nudge).toBeNull();
    expect(meetingPath({ ...base, suggestion: itch, partnerJoined: false }).nudge).toBeNull();
    for (const phase of ['proposed', 'vibe-check', 'closed'] as const)
      expect(meetingPath({ ...base, suggestion: itch, meeting: { number: 6, phase } }).nudge).toBeNull();
  });
});
