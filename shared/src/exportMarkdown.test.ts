import { describe, expect, it } from 'vitest';
import { escapeMarkdownLine, exportMarkdown, type BoardExport } from './exportMarkdown.ts';
import { FIRST_SESSION_QUESTIONS } from './questions.ts';
import { applyRevealAction, type RevealAction } from './rules/revealTogether.ts';
import { initialSessionState, sessionView, type SessionState } from './rules/sessionState.ts';
import type { Seat } from './seats.ts';

function sample(): BoardExport {
  const state = initialSessionState(Date.UTC(2026, 10, 1));
  state.agreement.fields.meetings = 'Tuesdays, 4 pm';
  state.agreement.signatures.mentor = { at: Date.UTC(2026, 10, 2) };
  return {
    exportedAt: Date.UTC(2026, 10, 26),
    you: 'mentor',
    seats: { mentor: { name: 'Ana' }, mentee: { name: 'Ben' } },
    sections: [
      {
        title: 'First-session questions',
        prompts: [
          {
            id: 'q-why-tech',
            text: { mentor: 'Why tech?', mentee: 'Why tech?' },
            answers: { mentor: '# not a heading', mentee: 'Games' },
            heard: { mentor: '', mentee: 'A teacher' }
          },
          { id: 'q-unanswered', text: { mentor: 'Unanswered', mentee: 'Unanswered' }, answers: { mentor: '', mentee: ' ' }, heard: { mentor: '', mentee: '' } }
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
    expect(md).toContain('> \\# not a heading');
    expect(md).toContain('*Ben heard:* A teacher');
    expect(md).not.toContain('Unanswered');
    expect(md).toContain('### Ship a talk');
    expect(md).toContain('- [x] Specific');
    expect(md).toContain('**When and how we meet:**');
    expect(md).toContain('Signed by Ana on 2026-11-02.');
    expect(md).toContain('This or That: 7 of 10 alike');
  });

  /** What a CommonMark renderer shows for our escapes: `\x` is the character x, `&nbsp;` a space. */
  const rendered = (md: string) => md.replace(/&nbsp;/g, ' ').replace(/\\([!-/:-@[-`{-~])/g, '$1');
  const tricky = [
    '*bold* and _em_ and `code`',
    '# heading',
    '1. first',
    '2) second',
    '- item',
    '+ item',
    '> quoted',
    '=====',
    '[a link](http://evil.example)',
    '![img](x.png)',
    '<script>alert(1)</script>',
    'a | table | row',
    '~~strike~~ &amp; &lt;',
    'back\\slash \\*',
    '    indented code',
    '\ttabbed'
  ];

  it('[OPS8] each escaped line renders as exactly the text typed', () => {
    for (const text of tricky) expect(rendered(escapeMarkdownLine(text)), text).toBe(text.replace(/\t/g, '    '));
  });

  it('[OPS8] no Markdown structure survives in names, titles, answers, reflections and goals', () => {
    const data = sample();
    data.seats.mentor = { name: '*Ana*' };
    data.seats.mentee = { name: '[Ben](http://x)' };
    data.sections[0]!.prompts[0]!.text = { mentor: '## Own prompt <b>', mentee: '## Own prompt <b>' };
    data.sections[0]!.prompts[0]!.answers.mentor = '1. one\n- two\n> three\n`four`';
    data.sections[0]!.prompts[0]!.heard.mentee = '_what I heard_ | with a pipe';
    data.goals[0]!.title = '# Ship | a talk';
    const md = exportMarkdown(data);
    expect(md).toContain('# pairboard — \\*Ana\\* (mentor) & \\[Ben\\]\\(http://x\\) (mentee)');
    expect(md).toContain('### \\#\\# Own prompt \\<b\\>');
    expect(md).toContain('> 1\\. one\n> \\- two\n> \\> three\n> \\`four\\`');
    expect(md).toContain('*\\[Ben\\]\\(http://x\\) heard:* \\_what I heard\\_ \\| with a pipe');
    expect(md).toContain('### \\# Ship \\| a talk');
    expect(md).not.toMatch(/<b>|\]\(http/);
  });
});

describe('export of guidance', () => {
  it('[GUIDE5][GUIDE7] a logged meeting carries its agenda and action items into the Markdown, escaped', async () => {
    const { exportMarkdown } = await import('./exportMarkdown.ts');
    const { initialSessionState, sessionView } = await import('./rules/sessionState.ts');
    const state = initialSessionState(1);
    const entry = {
      number: 1,
      startedAt: 1,
      endedAt: 2,
      vibe: { mentor: 4, mentee: 5 },
      notes: { mentor: '', mentee: '' },
      summary: { promptsAnswered: 1, reflectionsLanded: 0, reflectionsTotal: 0, gamesPlayed: 0, vetoUsed: false, parkedPromptIds: [] }
    };
    const session = sessionView({ ...state, meeting: { ...state.meeting, phase: 'closed', log: [entry] } }, 'mentor');
    const md = exportMarkdown({
      exportedAt: 0,
      you: 'mentor',
      seats: { mentor: { name: 'Ana' }, mentee: { name: 'Ben' } },
      sections: [],
      goals: [],
      session,
      gameResults: [],
      guidance: {
        agenda: (meeting, seat, item) => (meeting === 1 && seat === 'mentee' && item === 'check-in' ? 'Tired but *happy*' : ''),
        actionItems: [
          { id: 'a', text: 'Write the outline', owner: 'mentee', meeting: 1, createdBy: 'mentor', done: null },
          { id: 'b', text: 'Send the [link]', owner: 'both', meeting: 1, createdBy: 'mentor', done: { at: 3, meeting: 2 } }
        ],
        nextMeeting: { startsAt: Date.UTC(2026, 11, 9, 15), durationMinutes: 45, setAt: 2 }
      }
    });
    expect(md).toContain('  - Personal check-in, Ben: Tired but \\*happy\\*');
    expect(md).toContain('  - [ ] Action (Ben): Write the outline');
    expect(md).toContain('  - [x] Action (both): Send the \\[link\\]');
    expect(md).toContain('Next meeting: 2026-12-09 15:00 UTC, 45 minutes.');
  });
});

describe('export of answers revealed together', () => {
  const [q1, q2] = [FIRST_SESSION_QUESTIONS[0]!, FIRST_SESSION_QUESTIONS[1]!];
  const ANA_SECRET = 'Left *teaching* for tech\nLove long walks';
  const BEN_SECRET = 'I wanted to build [games](http://x)\nlove long walks too';

  /** A board where both wrote hidden answers to q1 (and q2); `revealQ1` decides whether they revealed q1. */
  function board(revealQ1: boolean): SessionState {
    let state = initialSessionState(Date.UTC(2026, 10, 1));
    const steps: Array<[Seat, RevealAction]> = [
      ['mentor', { type: 'switch', promptId: q1.id }],
      ['mentor', { type: 'draft', promptId: q1.id, text: ANA_SECRET }],
      ['mentee', { type: 'draft', promptId: q1.id, text: BEN_SECRET }],
      ['mentor', { type: 'ready', promptId: q1.id }],
      ['mentor', { type: 'switch', promptId: q2.id }],
      ['mentor', { type: 'draft', promptId: q2.id, text: 'Ana q2 draft' }],
      ['mentee', { type: 'draft', promptId: q2.id, text: 'Ben q2 draft' }]
    ];
    if (revealQ1) {
      steps.push(['mentee', { type: 'ready', promptId: q1.id }]);
      steps.push(['mentee', { type: 'meToo', promptId: q1.id, line: 'Love long walks', on: true }]);
    }
    for (const [seat, action] of steps) {
      const r = applyRevealAction(state.reveal, action, seat, Date.UTC(2026, 10, 2), state.customPrompts);
      if (!r.ok) throw new Error(`${action.type}: ${r.message}`);
      state = { ...state, reveal: r.state };
    }
    return state;
  }
  const exportFor = (state: SessionState, you: Seat) =>
    exportMarkdown({
      exportedAt: 0,
      you,
      seats: { mentor: { name: 'Ana' }, mentee: { name: 'Ben' } },
      sections: [
        {
          title: 'First-session questions',
          prompts: [q1, q2].map((q) => ({
            id: q.id,
            text: { mentor: q.text, mentee: q.text },
            // Stale live words under a prompt answered together: its card does not show them.
            answers: { mentor: q === q2 ? 'stale live words' : '', mentee: '' },
            heard: { mentor: '', mentee: q === q2 ? 'stale reflection' : '' }
          }))
        }
      ],
      goals: [],
      session: sessionView(state, you),
      gameResults: []
    });

  it('[EXP2][REV6][OPS8] a revealed prompt exports both answers in seat order, escaped, with its "me too" marks, from either seat', () => {
    const state = board(true);
    const fromAna = exportFor(state, 'mentor');
    const fromBen = exportFor(state, 'mentee');
    expect(fromBen).toBe(fromAna);
    expect(fromAna).toContain(
      [
        `### ${q1.text}`,
        '',
        '*Revealed together.*',
        '',
        '**Ana** (mentor):',
        '',
        '> Left \\*teaching\\* for tech\n> Love long walks',
        '',
        '✓ *Ben: me too* — Love long walks',
        '',
        '**Ben** (mentee):',
        '',
        '> I wanted to build \\[games\\]\\(http://x\\)\n> love long walks too'
      ].join('\n')
    );
  });

  it("[EXP2][REV5] a prompt not revealed yet is not in either partner's export: no word of either draft, not even one's own", () => {
    for (const revealQ1 of [false, true]) {
      const state = board(revealQ1);
      for (const you of ['mentor', 'mentee'] as const) {
        const md = exportFor(state, you);
        expect(md, `${you}, q1 revealed: ${revealQ1}`).not.toContain(q2.text);
        for (const words of ['q2 draft', 'stale live words', 'stale reflection']) expect(md, `${you}: ${words}`).not.toContain(words);
        if (!revealQ1) for (const words of ['teaching', 'games', 'long walks']) expect(md, `${you}: ${words}`).not.toContain(words);
      }
    }
  });
});
