/**
 * The mentoring agreement's fields, after the guide's mentoring plan (the-mentoring-plan.md) and its
 * advice on communication between meetings (working-with-mentoring-partner.md). Ids are stable: they
 * key the stored values, so never rename one.
 */
export const AGREEMENT_FIELD_IDS = [
  'meetings',
  'cancellation',
  'between-meetings',
  'notes-and-actions',
  'mentee-focus',
  'mentor-focus',
  'mentee-expects',
  'mentor-expects',
  'confidentiality',
  'wont-do'
] as const;
export type AgreementFieldId = (typeof AGREEMENT_FIELD_IDS)[number];

export function isAgreementFieldId(value: unknown): value is AgreementFieldId {
  return typeof value === 'string' && (AGREEMENT_FIELD_IDS as readonly string[]).includes(value);
}

export type AgreementField = {
  id: AgreementFieldId;
  /** Short heading. */
  label: string;
  /** The question the pair answers together. */
  question: string;
  /** An example, shown as the empty field's placeholder. */
  hint: string;
};

export const AGREEMENT_FIELDS: readonly AgreementField[] = [
  {
    id: 'meetings',
    label: 'When and how we meet',
    question: 'When will you meet, for how long, and where?',
    hint: 'Tuesdays at 4 pm, 45 minutes, on a video call.'
  },
  {
    id: 'cancellation',
    label: 'If one of us has to cancel',
    question: 'What happens when a meeting cannot go ahead?',
    hint: 'Tell the other at least 24 hours before and suggest a new time.'
  },
  {
    id: 'between-meetings',
    label: 'Between meetings',
    question: 'How do you stay in touch between meetings, how quickly do you reply, and when is it quiet time?',
    hint: 'Chat for quick questions; a reply within two working days; weekends are zero-comms.'
  },
  {
    id: 'notes-and-actions',
    // [GUIDE5] Who prepares each meeting's agenda and when, as the guide's session plan asks.
    label: 'Agenda, notes and action items',
    question: 'Who prepares the agenda, and when (the day before, or together at the start)? Who notes the action items after?',
    hint: 'The mentee fills in the agenda the day before; the mentor writes the action items at the end.'
  },
  {
    id: 'mentee-focus',
    label: 'What the mentee wants to focus on',
    question: 'Mentee: what do you want to focus on in this relationship?',
    hint: 'Getting comfortable with code reviews; finding my first conference talk.'
  },
  {
    id: 'mentor-focus',
    label: 'What the mentor wants to focus on',
    question: 'Mentor: what do you want to focus on in this relationship?',
    hint: 'Explaining things more simply; learning how newcomers see our field.'
  },
  {
    id: 'mentee-expects',
    label: 'What the mentee expects of the mentor',
    question: 'Mentee: what do you expect of your mentor?',
    hint: 'Share your experience, give honest feedback regularly.'
  },
  {
    id: 'mentor-expects',
    label: 'What the mentor expects of the mentee',
    question: 'Mentor: what do you expect of your mentee?',
    hint: 'Talk openly, try new things, tell me what works and what does not.'
  },
  {
    id: 'confidentiality',
    label: 'What stays between us',
    question: 'What stays between the two of you, and what may be shared, with whom?',
    hint: 'Everything personal stays here; we ask before sharing anything else.'
  },
  {
    id: 'wont-do',
    label: "What we won't do",
    question: 'What is out of bounds for this relationship?',
    hint: 'No messages after 8 pm; no reviewing work the mentee is paid to do alone.'
  }
];
