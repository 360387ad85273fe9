import { describe, expect, it } from 'vitest';
import { AGREEMENT_FIELD_IDS, type AgreementFieldId } from '../content/agreementFields.ts';
import type { Seat } from '../seats.ts';
import { agreementSuggestions, cadence, suggestionsFor, type SuggestionInput } from '../guidance/agreementSuggestions.ts';
import { applySuggestionAction, fieldOwner, initialSuggestionsState } from './agreementSuggestions.ts';
import { applySessionAction, initialSessionState, type SessionAction, type SessionCommand } from './sessionState.ts';

const DAY = 24 * 60 * 60 * 1000;
const emptyFields = () => Object.fromEntries(AGREEMENT_FIELD_IDS.map((id) => [id, ''])) as Record<AgreementFieldId, string>;

function input(over: Partial<SuggestionInput> & { answers?: Record<string, string> } = {}): SuggestionInput {
  const answers = over.answers ?? {};
  return {
    answer: (seat: Seat, id: string) => answers[`${seat}:${id}`] ?? '',
    agendaHopes: { mentor: '', mentee: '' },
    meetingStarts: [],
    nextMeeting: null,
    fields: emptyFields(),
    settled: [],
    ...over
  };
}

describe('agreement suggestions', () => {
  it('[SUGG1] nothing written, nothing suggested', () => {
    expect(agreementSuggestions(input())).toEqual([]);
  });

  it("[SUGG1] focus comes from the seat's own few-years answer, charter focus and agenda hopes", () => {
    const s = agreementSuggestions(
      input({
        answers: { 'mentee:few-years': 'Leading a small team', 'mentee:charter-focus': 'Code reviews', 'mentor:few-years': 'Writing a book' },
        agendaHopes: { mentor: '', mentee: 'Give my first talk' }
      })
    );
    expect(s.filter((x) => x.field === 'mentee-focus').map((x) => x.text)).toEqual(['Code reviews', 'Leading a small team', 'Give my first talk']);
    expect(s.filter((x) => x.field === 'mentor-focus').map((x) => x.text)).toEqual(['Writing a book']);
    expect(s.find((x) => x.text === 'Writing a book')).toMatchObject({ owner: 'mentor', source: expect.stringContaining('few years') });
  });

  it("[SUGG1] expectations come from the seat's charter expectations and why-mentoring answers", () => {
    const s = agreementSuggestions(input({ answers: { 'mentor:charter-expectations': 'Talk openly', 'mentor:why-mentoring': 'To give back' } }));
    expect(s.map((x) => [x.field, x.text])).toEqual([
      ['mentor-expects', 'Talk openly'],
      ['mentor-expects', 'To give back']
    ]);
  });

  it('[SUGG5] how often they meet comes from the gaps between meetings and the planned next one', () => {
    expect(cadence([])).toBeNull();
    expect(cadence([0])).toBeNull();
    expect(cadence([0, 2 * DAY])).toBe('Twice a week or more');
    expect(cadence([0, 7 * DAY, 14 * DAY, 40 * DAY])).toBe('Every week');
    expect(cadence([28 * DAY, 0, 14 * DAY])).toBe('Every two weeks');
    expect(cadence([0, 30 * DAY])).toBe('About once a month');
    const s = agreementSuggestions(input({ meetingStarts: [0, 7 * DAY], nextMeeting: { when: 'Tuesday, 16:00', durationMinutes: 45 } }));
    expect(s).toEqual([expect.objectContaining({ field: 'meetings', owner: 'either', text: 'Every week, on Tuesday, 16:00, for 45 minutes.' })]);
    expect(agreementSuggestions(input({ nextMeeting: { when: 'Friday, 9:00', durationMinutes: 30 } }))[0]!.text).toBe('On Friday, 9:00, for 30 minutes.');
  });

  it('[SUGG4] a suggestion already in the field, or settled, or blank, is not offered; a text once per field', () => {
    const fields = { ...emptyFields(), 'mentee-focus': 'Some notes\nCode reviews' };
    const base = input({ fields, answers: { 'mentee:charter-focus': 'Code reviews', 'mentee:few-years': '   ' } });
    expect(agreementSuggestions(base)).toEqual([]);
    const twice = agreementSuggestions(input({ answers: { 'mentee:charter-focus': 'Talks', 'mentee:few-years': 'Talks' } }));
    expect(twice).toHaveLength(1);
    const [only] = twice;
    const settled = agreementSuggestions(
      input({ answers: { 'mentee:charter-focus': 'Talks' }, settled: [{ field: 'mentee-focus', key: only!.key, by: 'mentee', at: 1, outcome: 'ignored' }] })
    );
    expect(settled).toEqual([]);
    // A changed answer is a new suggestion (its key changes with its words).
    const changed = agreementSuggestions(
      input({
        answers: { 'mentee:charter-focus': 'Talks and blogs' },
        settled: [{ field: 'mentee-focus', key: only!.key, by: 'mentee', at: 1, outcome: 'ignored' }]
      })
    );
    expect(changed).toHaveLength(1);
    expect(changed[0]!.key).not.toBe(only!.key);
  });

  it("[SUGG2] per-seat fields are that seat's; shared ones either's", () => {
    expect(fieldOwner('mentee-focus')).toBe('mentee');
    expect(fieldOwner('mentor-expects')).toBe('mentor');
    expect(fieldOwner('meetings')).toBe('either');
    expect(fieldOwner('wont-do')).toBe('either');
    const all = agreementSuggestions(input({ answers: { 'mentee:few-years': 'A', 'mentor:few-years': 'B' }, meetingStarts: [0, 7 * DAY] }));
    expect(suggestionsFor(all, 'mentee').map((s) => s.field)).toEqual(['meetings', 'mentee-focus']);
    expect(suggestionsFor(all, 'mentor').map((s) => s.field)).toEqual(['meetings', 'mentor-focus']);
  });

  it("[SUGG2] only the field's seat decides a per-seat suggestion; either decides a shared one", () => {
    const st = initialSuggestionsState();
    const f = emptyFields();
    const ignore = (seat: Seat, field: string) => applySuggestionAction(st, { type: 'ignore', field, key: `${field}:x:1` }, seat, 1, f);
    expect(ignore('mentor', 'mentee-focus')).toMatchObject({ ok: false, code: 'Forbidden' });
    expect(ignore('mentee', 'mentee-focus')).toMatchObject({ ok: true });
    expect(ignore('mentor', 'meetings')).toMatchObject({ ok: true });
    expect(ignore('mentee', 'meetings')).toMatchObject({ ok: true });
    expect(ignore('mentee', 'nope')).toMatchObject({ ok: false, code: 'BadRequest' });
    expect(applySuggestionAction(st, { type: 'ignore', field: 'meetings', key: 'BAD KEY' }, 'mentee', 1, f)).toMatchObject({ ok: false, code: 'BadRequest' });
  });

  it('[SUGG3] accepting adds the text on a line of its own; settled once', () => {
    const f = { ...emptyFields(), 'mentee-focus': 'Old line  ' };
    const r = applySuggestionAction(
      initialSuggestionsState(),
      { type: 'accept', field: 'mentee-focus', key: 'mentee-focus:few-years:1', text: ' Talks ' },
      'mentee',
      5,
      f
    );
    expect(r).toMatchObject({ ok: true, newValue: { field: 'mentee-focus', value: 'Old line\nTalks' } });
    if (!r.ok) return;
    expect(r.state.settled).toEqual([{ field: 'mentee-focus', key: 'mentee-focus:few-years:1', by: 'mentee', at: 5, outcome: 'accepted' }]);
    expect(applySuggestionAction(r.state, { type: 'ignore', field: 'mentee-focus', key: 'mentee-focus:few-years:1' }, 'mentee', 6, f)).toMatchObject({
      ok: false,
      code: 'AlreadyDone'
    });
    const empty = applySuggestionAction(
      initialSuggestionsState(),
      { type: 'accept', field: 'meetings', key: 'meetings:m:1', text: 'Weekly' },
      'mentor',
      5,
      emptyFields()
    );
    expect(empty).toMatchObject({ ok: true, newValue: { value: 'Weekly' } });
    expect(
      applySuggestionAction(initialSuggestionsState(), { type: 'accept', field: 'meetings', key: 'meetings:m:1', text: '  ' }, 'mentor', 5, emptyFields())
    ).toMatchObject({ code: 'BadRequest' });
    const full = { ...emptyFields(), meetings: 'x'.repeat(1999) };
    expect(
      applySuggestionAction(initialSuggestionsState(), { type: 'accept', field: 'meetings', key: 'meetings:m:1', text: 'more' }, 'mentor', 5, full)
    ).toMatchObject({ code: 'BadRequest' });
  });

  it('[SUGG3, AGR2] an accepted suggestion is an agreement edit: new version, signatures cleared', () => {
    let state = initialSessionState(0);
    state.agreement.fields.meetings = 'Weekly';
    const act = (seat: Seat, a: SessionCommand, opId: string) => applySessionAction(state, { ...a, opId } as SessionAction, seat, 10);
    let r = act('mentor', { type: 'agreement:sign', version: 0 }, 'a');
    if (!r.ok) throw new Error(r.message);
    state = r.state;
    expect(act('mentor', { type: 'suggestion:accept', field: 'mentee-focus', key: 'mentee-focus:few-years:1', text: 'Talks' }, 'b')).toMatchObject({
      ok: false,
      code: 'Forbidden'
    });
    r = act('mentee', { type: 'suggestion:accept', field: 'mentee-focus', key: 'mentee-focus:few-years:1', text: 'Talks' }, 'c');
    expect(r).toMatchObject({ ok: true, clearedSignatures: true });
    if (!r.ok) return;
    expect(r.state.agreement).toMatchObject({ version: 1, signatures: { mentor: null, mentee: null } });
    expect(r.state.agreement.fields['mentee-focus']).toBe('Talks');
    expect(r.state.suggestions.settled).toHaveLength(1);
  });
});
