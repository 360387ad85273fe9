import type { Prompt } from '../questions.ts';
import type { Seat } from '../seats.ts';

/**
 * The relationship charter's prompts (the guide's "Thrive Mentoring Relationship Charter", linked from
 * getting-to-know-your-mentoring-partner.md), worded for the board. Each partner answers every prompt
 * in their own column. Ids are stable: they name the Yjs texts that hold the answers, so never rename
 * one. They start with `charter-` so they never collide with the first-session questions.
 */
export type CharterGroup = 'about-me' | 'pet-peeves' | 'favourites' | 'our-relationship';

export type CharterPrompt = {
  id: string;
  group: CharterGroup;
  /** One wording for both seats, or one per seat where the question is about the other role. */
  text: string | Record<Seat, string>;
  hint: string | Record<Seat, string>;
  /**
   * [GUIDE14] Asked elsewhere now, so no longer asked here: pet peeves are a first-session question,
   * and focus and expectations are the agreement's fields. Kept in this list so answers written
   * before stay readable (the charter shows a retired prompt only when someone answered it) and exported.
   */
  retired?: true;
};

export const CHARTER_GROUP_TITLE: Record<CharterGroup, string> = {
  'about-me': 'About me',
  'pet-peeves': 'Pet peeves',
  favourites: 'Favourites',
  'our-relationship': 'Our relationship'
};

/** The charter leaves room for up to four pet peeves: one prompt each, all optional. */
const PET_PEEVE_HINTS = [
  'The one that makes you sigh out loud.',
  'Something small that bugs you more than it should.',
  'A work habit you wish would disappear.',
  'Anything else? This one is optional too.'
];

export const CHARTER_PROMPTS: readonly CharterPrompt[] = [
  {
    id: 'charter-background',
    group: 'about-me',
    text: 'My background',
    hint: 'Where you grew up, what you studied, the jobs that shaped you.'
  },
  {
    id: 'charter-values',
    group: 'about-me',
    text: 'What I value',
    hint: 'Honesty, calm, curiosity, kindness… the things you won’t trade away.'
  },
  ...PET_PEEVE_HINTS.map((hint, i): CharterPrompt => ({
    id: `charter-pet-peeve-${i + 1}`,
    group: 'pet-peeves',
    text: `Pet peeve ${i + 1}`,
    hint,
    retired: true
  })),
  {
    id: 'charter-three-things',
    group: 'about-me',
    text: 'Three things you don’t know about me',
    hint: 'Surprising, silly or serious: your choice.'
  },
  {
    id: 'charter-movie',
    group: 'favourites',
    text: 'My favourite movie',
    hint: 'The one you could watch again tonight.'
  },
  {
    id: 'charter-book',
    group: 'favourites',
    text: 'My favourite book',
    hint: 'Fiction, a comic, a cookbook: all count.'
  },
  {
    id: 'charter-quote',
    group: 'favourites',
    text: 'My favourite quote',
    hint: 'Words you come back to, and who said them.'
  },
  {
    id: 'charter-outside-work',
    group: 'about-me',
    text: 'Outside work you can find me…',
    hint: '…on a bike, in the garden, at a board game night.'
  },
  {
    id: 'charter-focus',
    group: 'our-relationship',
    text: 'What I want to focus on in this relationship',
    hint: 'A skill, a decision, a habit, or simply finding your feet.',
    retired: true
  },
  {
    id: 'charter-expectations',
    group: 'our-relationship',
    text: { mentor: 'What I expect of my mentee', mentee: 'What I expect of my mentor' },
    hint: {
      mentor: 'To talk openly, try new things, and tell me what helps.',
      mentee: 'To share experience and give me honest feedback regularly.'
    },
    retired: true
  }
];

/** [GUIDE14] The prompts the charter still asks. */
export const ACTIVE_CHARTER_PROMPTS: readonly CharterPrompt[] = CHARTER_PROMPTS.filter((p) => !p.retired);

/** The prompt as one seat reads it in its own column. */
export function charterPromptFor(prompt: CharterPrompt, seat: Seat): Prompt {
  return {
    id: prompt.id,
    text: typeof prompt.text === 'string' ? prompt.text : prompt.text[seat],
    hint: typeof prompt.hint === 'string' ? prompt.hint : prompt.hint[seat]
  };
}

export function charterPromptsFor(seat: Seat): Prompt[] {
  return CHARTER_PROMPTS.map((p) => charterPromptFor(p, seat));
}
