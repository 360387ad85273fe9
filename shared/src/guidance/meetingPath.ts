import type { MeetingPhase } from '../rules/callItADay.ts';
import type { VibeSuggestion } from '../rules/programme.ts';

/**
 * "This meeting": where the pair is and what comes next, derived from the board's state alone so
 * both partners see the same path (SPEC.md: GUIDE1–GUIDE3). The guide's order for a first meeting
 * is: say hi and answer the six questions, maybe a game if it feels awkward, write the agreement,
 * call it a day. Later meetings follow the Mentoring Session Plan: agenda, last time's action items,
 * goals, call it a day.
 */
export type PathStage = 'waiting' | 'first-meeting' | 'later-meeting' | 'between-meetings';

export type PathStepId =
  'share-link' | 'what-to-expect' | 'questions' | 'game' | 'agreement' | 'agenda' | 'action-items' | 'goals' | 'call-it-a-day' | 'next-steps' | 'start-next';

export type PathStep = {
  id: PathStepId;
  title: string;
  detail: string;
  done: boolean;
  /** Skippable: never the current step just because it is not done (a game "if it's awkward"). */
  optional: boolean;
};

export type MeetingPathInput = {
  partnerJoined: boolean;
  meeting: { number: number; phase: MeetingPhase };
  /** First-session questions both partners have answered, of how many. */
  questionsAnsweredByBoth: number;
  questionsTotal: number;
  gamesThisMeeting: number;
  agreement: { agreed: boolean };
  goalFree: boolean;
  goalsCount: number;
  /** Whether each partner has written anything in this meeting's agenda. */
  agendaWritten: { you: boolean; partner: boolean };
  /** Action items from earlier meetings that are not done yet. */
  carriedActionItemsOpen: number;
  carriedActionItemsTotal: number;
  /** Action items written in this meeting, and whether a next meeting date is set. */
  actionItemsThisMeeting: number;
  nextMeetingSet: boolean;
  suggestion: VibeSuggestion;
};

export type MeetingPath = {
  stage: PathStage;
  steps: PathStep[];
  /** The step to do now; null only when there is nothing left (never in practice: the last step waits). */
  current: PathStepId | null;
  /** [GUIDE4] The 6-week itch or a vibe dip, shown on the path while the meeting can still go goal-free. */
  nudge: Extract<VibeSuggestion, { suggest: true }> | null;
};

const step = (id: PathStepId, title: string, detail: string, done: boolean, optional = false): PathStep => ({ id, title, detail, done, optional });

/** [GUIDE1] The steps of the stage the board is in, and the current one. */
export function meetingPath(input: MeetingPathInput): MeetingPath {
  const steps = stepsFor(input);
  // Wrapping up (a suggestion or the vibe check) is the step, whatever else was left.
  const wrappingUp = input.meeting.phase === 'proposed' || input.meeting.phase === 'vibe-check';
  const current = wrappingUp && input.partnerJoined ? 'call-it-a-day' : (steps.find((s) => !s.done && !s.optional)?.id ?? null);
  const canGoGoalFree = input.partnerJoined && !input.goalFree && input.meeting.phase === 'open';
  const nudge = input.suggestion.suggest && canGoGoalFree ? input.suggestion : null;
  return { stage: stageOf(input), steps, current, nudge };
}

export function stageOf(input: Pick<MeetingPathInput, 'partnerJoined' | 'meeting'>): PathStage {
  if (!input.partnerJoined) return 'waiting';
  if (input.meeting.phase === 'closed') return 'between-meetings';
  return input.meeting.number === 1 ? 'first-meeting' : 'later-meeting';
}

function stepsFor(input: MeetingPathInput): PathStep[] {
  const { meeting } = input;
  const wrappingUp = meeting.phase === 'proposed' || meeting.phase === 'vibe-check';
  const callItADay = step(
    'call-it-a-day',
    'Call it a day',
    wrappingUp ? 'You are wrapping up: answer the suggestion, then a private vibe check.' : 'When the talk turns to small talk, stop and pick it up next time.',
    meeting.phase === 'closed'
  );
  switch (stageOf(input)) {
    case 'waiting':
      return [
        step('share-link', 'Share the link', 'Send the board link to your partner; it opens their seat.', false),
        step('what-to-expect', 'What to expect', 'Together you answer six questions, maybe play a game, write an agreement and call it a day.', false, true)
      ];
    case 'first-meeting': {
      const questionsDone = input.questionsAnsweredByBoth >= input.questionsTotal;
      return [
        step('questions', 'The six questions', `${input.questionsAnsweredByBoth} of ${input.questionsTotal} answered by both of you.`, questionsDone),
        step('game', 'A game, if it feels awkward', 'Awkward moments are normal. A quick game breaks the ice.', input.gamesThisMeeting > 0, true),
        step(
          'agreement',
          'Your agreement',
          input.agreement.agreed ? 'Signed by both of you.' : 'How you meet, how you keep in touch, what you expect. Then both sign.',
          input.agreement.agreed
        ),
        callItADay
      ];
    }
    case 'later-meeting': {
      const agendaDone = input.agendaWritten.you && input.agendaWritten.partner;
      const steps = [
        step(
          'agenda',
          'Agenda',
          agendaDone ? 'You both wrote your agenda.' : 'Check in, what went well and not, hopes and challenges: both of you.',
          agendaDone
        )
      ];
      if (input.carriedActionItemsTotal > 0)
        steps.push(
          step(
            'action-items',
            'Action items from last time',
            input.carriedActionItemsOpen === 0 ? 'All done.' : `${input.carriedActionItemsOpen} still open: talk them through, mark what is done.`,
            input.carriedActionItemsOpen === 0
          )
        );
      steps.push(
        input.goalFree
          ? step('goals', 'Goals are resting', 'A goal-free meeting: enjoy each other’s company.', true, true)
          : step(
              'goals',
              'Goals',
              input.goalsCount === 0 ? 'When you are ready, shape a first goal together.' : 'Look at your goals: what moved, what is next?',
              false,
              true
            ),
        callItADay
      );
      return steps;
    }
    case 'between-meetings':
      return [
        callItADay,
        step(
          'next-steps',
          'Next steps',
          'Action items with an owner, and the date of your next meeting.',
          input.nextMeetingSet && input.actionItemsThisMeeting > 0,
          // Action items are a suggestion, not a gate: a date alone is enough to move on.
          input.nextMeetingSet
        ),
        step('start-next', 'Start the next meeting', 'When you meet again, start it here: what is still open comes with you.', false)
      ];
  }
}
