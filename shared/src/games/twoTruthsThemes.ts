/** Prompt themes for Two Truths and a Lie: a nudge for the writer, never a rule. [TTL1] */
export const TWO_TRUTHS_THEME_IDS = ['tech-journey', 'life-outside-work', 'wildcard'] as const;
export type TwoTruthsThemeId = (typeof TWO_TRUTHS_THEME_IDS)[number];

export type TwoTruthsTheme = {
  id: TwoTruthsThemeId;
  title: string;
  /** Half-sentences to finish, truthfully or not. */
  starters: readonly string[];
};

export const TWO_TRUTHS_THEMES: Record<TwoTruthsThemeId, TwoTruthsTheme> = {
  'tech-journey': {
    id: 'tech-journey',
    title: 'Tech journey',
    starters: [
      'The first thing I ever built was…',
      'The bug that took me longest to find was…',
      'A language I learned and then happily forgot is…',
      'My first computer was…',
      'The job I almost took instead was…',
      'The tool I would defend in any argument is…'
    ]
  },
  'life-outside-work': {
    id: 'life-outside-work',
    title: 'Life outside work',
    starters: [
      'Outside work you can find me…',
      'A place I once lived is…',
      'A skill I picked up as a kid is…',
      'The most unexpected food I love is…',
      'A hobby I dropped and still miss is…',
      'My go-to weekend plan is…'
    ]
  },
  wildcard: {
    id: 'wildcard',
    title: 'Wildcard',
    starters: [
      'I once met…',
      'I have a surprisingly strong opinion about…',
      'A tiny record I hold is…',
      'Something I quietly collect is…',
      'The most spontaneous thing I have done is…',
      'A song I know every word of is…'
    ]
  }
};
