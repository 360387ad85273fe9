import { describe, expect, it } from 'vitest';
import { FIRST_SESSION_QUESTIONS } from '../questions.ts';
import { AGREEMENT_FIELD_IDS, AGREEMENT_FIELDS, isAgreementFieldId } from './agreementFields.ts';
import { CHARTER_PROMPTS, charterPromptFor, charterPromptsFor } from './charterPrompts.ts';
import { GROW_SECTIONS, SMART_CHECKLIST } from './growFields.ts';

function nonEmpty(...texts: string[]): void {
  for (const t of texts) expect(t.trim().length).toBeGreaterThan(0);
}

describe('content', () => {
  it('charter prompts have unique, stable, url-safe ids apart from the first-session questions', () => {
    const ids = CHARTER_PROMPTS.map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^charter-[a-z0-9-]+$/);
    for (const q of FIRST_SESSION_QUESTIONS) expect(ids).not.toContain(q.id);
    // Renaming an id orphans every answer already written under it.
    expect(ids).toEqual([
      'charter-background',
      'charter-values',
      'charter-pet-peeve-1',
      'charter-pet-peeve-2',
      'charter-pet-peeve-3',
      'charter-pet-peeve-4',
      'charter-three-things',
      'charter-movie',
      'charter-book',
      'charter-quote',
      'charter-outside-work',
      'charter-focus',
      'charter-expectations'
    ]);
  });

  it('each seat reads every charter prompt, the expectations one worded for its role', () => {
    for (const seat of ['mentor', 'mentee'] as const) {
      const prompts = charterPromptsFor(seat);
      expect(prompts).toHaveLength(CHARTER_PROMPTS.length);
      for (const p of prompts) nonEmpty(p.text, p.hint);
    }
    const expectations = CHARTER_PROMPTS.find((p) => p.id === 'charter-expectations')!;
    expect(charterPromptFor(expectations, 'mentor').text).toBe('What I expect of my mentee');
    expect(charterPromptFor(expectations, 'mentee').text).toBe('What I expect of my mentor');
    expect(charterPromptFor(CHARTER_PROMPTS[0]!, 'mentor')).toEqual(charterPromptFor(CHARTER_PROMPTS[0]!, 'mentee'));
  });

  it('the agreement lists each field once, with words for every one', () => {
    expect(AGREEMENT_FIELDS.map((f) => f.id)).toEqual([...AGREEMENT_FIELD_IDS]);
    for (const f of AGREEMENT_FIELDS) nonEmpty(f.label, f.question, f.hint);
    expect(isAgreementFieldId('meetings')).toBe(true);
    expect(isAgreementFieldId('toString')).toBe(false);
    expect(isAgreementFieldId(3)).toBe(false);
  });

  it('GROW has its four steps in order, five questions each, and SMART its five checks', () => {
    expect(GROW_SECTIONS.map((s) => s.id)).toEqual(['goal', 'reality', 'options', 'way-forward']);
    for (const s of GROW_SECTIONS) {
      expect(s.questions).toHaveLength(5);
      nonEmpty(s.title, s.summary, ...s.questions);
    }
    expect(SMART_CHECKLIST.map((c) => c.id)).toEqual(['specific', 'measurable', 'achievable', 'relevant', 'time-bound']);
    for (const c of SMART_CHECKLIST) nonEmpty(c.label, c.explanation);
  });
});

describe('no repetition', () => {
  it('[GUIDE14] the charter no longer asks pet peeves (a first-session question) nor focus and expectations (the agreement’s fields)', async () => {
    const { ACTIVE_CHARTER_PROMPTS, CHARTER_PROMPTS } = await import('./charterPrompts.ts');
    const { FIRST_SESSION_QUESTIONS } = await import('../questions.ts');
    const active = ACTIVE_CHARTER_PROMPTS.map((p) => p.id);
    expect(active.some((id) => id.includes('pet-peeve') || id === 'charter-focus' || id === 'charter-expectations')).toBe(false);
    // The guide's six first-session questions stay intact, pet peeves included.
    expect(FIRST_SESSION_QUESTIONS.map((q) => q.id)).toEqual(['why-tech', 'journey', 'few-years', 'why-mentoring', 'pet-peeves', 'outside-work']);
    // Retired prompts stay known, so answers written before are still read and exported.
    expect(CHARTER_PROMPTS.filter((p) => p.retired).map((p) => p.id)).toEqual([
      'charter-pet-peeve-1',
      'charter-pet-peeve-2',
      'charter-pet-peeve-3',
      'charter-pet-peeve-4',
      'charter-focus',
      'charter-expectations'
    ]);
  });
});
