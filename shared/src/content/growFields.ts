/**
 * The goals area: the GROW model and the SMART check (goal-setting.md), worded for the board. Ids are
 * stable: they name the shared Yjs texts that hold the pair's answers, so never rename one.
 */
export type GrowSectionId = 'goal' | 'reality' | 'options' | 'way-forward';

export type GrowSection = {
  id: GrowSectionId;
  title: string;
  /** One line on what this step is for. */
  summary: string;
  /** Questions to work through together, in the guide's order. */
  questions: readonly string[];
};

export const GROW_SECTIONS: readonly GrowSection[] = [
  {
    id: 'goal',
    title: 'Goal',
    summary: 'What you want to achieve, and what success looks like.',
    questions: [
      'What is the goal?',
      'Why does it matter to you?',
      'What will be better once you get there?',
      'How will you know you have made it?',
      'What happens if you don’t?'
    ]
  },
  {
    id: 'reality',
    title: 'Reality',
    summary: 'Where you start from: what helps and what holds you back.',
    questions: [
      'What have you already done towards it?',
      'What do you need to get there?',
      'What is the biggest obstacle right now?',
      'What is your inner critic telling you?',
      'What are you afraid of?'
    ]
  },
  {
    id: 'options',
    title: 'Options',
    summary: 'The practical routes within your reach.',
    questions: [
      'What could you do to move towards it?',
      'What does each option give, and what does it cost?',
      'If money were no object, what would you do?',
      'Which step do you feel ready to take?',
      'Which of your strengths can carry you forward?'
    ]
  },
  {
    id: 'way-forward',
    title: 'Way forward',
    summary: 'The steps you commit to, and what might get in the way.',
    questions: [
      'What is the very first step?',
      'What could stop you from taking it?',
      'How would you like to be held accountable?',
      'What else should you think about before you start?',
      'How will you celebrate when you get there?'
    ]
  }
];

export type SmartCriterionId = 'specific' | 'measurable' | 'achievable' | 'relevant' | 'time-bound';

export type SmartCriterion = { id: SmartCriterionId; label: string; explanation: string };

/** A goal worth setting passes all five. */
export const SMART_CHECKLIST: readonly SmartCriterion[] = [
  { id: 'specific', label: 'Specific', explanation: 'It says exactly what you will do, not just a direction.' },
  { id: 'measurable', label: 'Measurable', explanation: 'You can tell how far along you are and when it is done.' },
  { id: 'achievable', label: 'Achievable', explanation: 'It is within reach with the time and help you have.' },
  { id: 'relevant', label: 'Relevant', explanation: 'It matters for where you want your career to go.' },
  { id: 'time-bound', label: 'Time-bound', explanation: 'It has a date, so it does not drift.' }
];
