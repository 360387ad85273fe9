/**
 * The guide's first-session questions ("What should I ask my mentoring partner?"), worded for the
 * board. Ids are stable: they name the Yjs texts that hold the answers, so never rename one.
 */
export type Prompt = {
  id: string;
  /** The question as both partners read it. */
  text: string;
  /** A gentle nudge shown as the empty field's placeholder. */
  hint: string;
};

export const FIRST_SESSION_QUESTIONS: readonly Prompt[] = [
  {
    id: 'why-tech',
    text: 'Why did you decide to enter the tech industry?',
    hint: 'The spark: a person, a game, a problem you wanted solved…'
  },
  {
    id: 'journey',
    text: 'How did you get to your current role?',
    hint: 'The winding road counts too: detours, lucky breaks, false starts.'
  },
  {
    id: 'few-years',
    text: 'Where do you see yourself in a few years?',
    hint: 'A role, a skill, a place, a feeling. Vague is fine.'
  },
  {
    id: 'why-mentoring',
    text: 'Why did you get into mentoring?',
    hint: 'What you hope to give, or to get, from these weeks.'
  },
  {
    id: 'pet-peeves',
    text: 'What are your pet peeves?',
    hint: 'Tabs vs spaces, meetings without agendas, loud chewing…'
  },
  {
    id: 'outside-work',
    text: 'Where might someone find you outside of work?',
    hint: 'A trail, a kitchen, a climbing wall, the back row of a gig…'
  }
];
