import { describe, expect, it } from 'vitest';
import { exportMarkdown, type BoardExport } from './exportMarkdown.ts';
import { initialSessionState, sessionView } from './rules/sessionState.ts';

function sample(): BoardExport {
  const state = initialSessionState(Date.UTC(2026, 10, 1));
  state.agreement.fields.meetings = 'Tuesdays, 4 pm';
  state.agreement.signatures.mentor = { at: Date.UTC(2026, 10, 2) };
  return {
    exportedAt: Date.UTC(2026, 10, 26),
    seats: { mentor: { name: 'Ana' }, mentee: { name: 'Ben' } },
    sections: [
      {
        title: 'First-session questions',
        prompts: [
          { text: { mentor: 'Why tech?', mentee: 'Why tech?' }, answers: { mentor: '# not a heading', mentee: 'Games' }, heard: { mentor: '', mentee: 'A teacher' } },
          { text: { mentor: 'Unanswered', mentee: 'Unanswered' }, answers: { mentor: '', mentee: ' ' }, heard: { mentor: '', mentee: '' } }
        ]
      }
    ],
    goals: [{ title: 'Ship a talk', grow: { goal: 'Give a meetup talk' }, smart: { specific: true } }],
    session: sessionView(state, 'mentor'),
    gameResults: [{ gameId: 'this-or-that', line: 'This or That: 7 of 10 alike', at: Date.UTC(2026, 10, 3) }]
  };
}

describe('export', () => {
  it('[EXP1] writes every answered prompt, reflection, goal, the agreement and the log as Markdown', () => {
    const md = exportMarkdown(sample());
    expect(md).toContain('# pairboard — Ana (mentor) & Ben (mentee)');
    expect(md).toContain('### Why tech?');
    expect(md).toContain('> # not a heading');
    expect(md).toContain('*Ben heard:* A teacher');
    expect(md).not.toContain('Unanswered');
    expect(md).toContain('### Ship a talk');
    expect(md).toContain('- [x] Specific');
    expect(md).toContain('**When and how we meet:**');
    expect(md).toContain('Signed by Ana on 2026-11-02.');
    expect(md).toContain('This or That: 7 of 10 alike');
  });
});
