import { untrack } from 'svelte';
import { FIRST_SESSION_QUESTIONS } from '@pairboard/shared';
import type { LiveBoard } from '$lib/realtime/LiveBoard.svelte';
import { announcer, type Announcer } from './announcer.svelte';
import type { BoardFacts, HeardFact, partnerNews } from './partnerNews';

/** A reflection is news once the partner has paused typing it this long. */
const HEARD_SETTLE_MS = 1_500;

/**
 * Announces the live board's partner events through the page's one live region (A11Y2). Call it
 * once, during a component's setup: it reads the board's feature handles and speaks the
 * difference between what the page showed before and what it shows now.
 */
export function announceBoardEvents(board: LiveBoard, into: Announcer = announcer): void {
  let settledHeard = $state<Record<string, HeardFact>>({});
  let heardTimer: ReturnType<typeof setTimeout> | undefined;
  /** Reflections already on the board when it opens are the starting point, not news. */
  let heardBaselined = false;
  let previous: BoardFacts | null = null;
  /**
   * [WEIGHT1] The sentence tables load once the board is live, not with the page. Until they are
   * here, `previous` stays where it was, so what changed meanwhile is said when they arrive.
   */
  let sentences = $state<typeof partnerNews | null>(null);
  let charter = $state<typeof import('@pairboard/shared/content/charterPrompts') | null>(null);
  $effect(() => {
    if (board.connection !== 'live' || sentences) return;
    void Promise.all([import('./partnerNews'), import('@pairboard/shared/content/charterPrompts')]).then(([news, prompts]) => {
      charter = prompts;
      sentences = news.partnerNews;
    });
  });

  function settle(raw: Record<string, HeardFact>) {
    if (!heardBaselined) {
      if (previous) previous = { ...previous, heard: raw };
      heardBaselined = board.connection === 'live';
    }
    settledHeard = raw;
  }

  // The partner's reflections of my answers, settled: one sentence when one arrives, not one per keystroke.
  // It starts with the sentences: the first reflections it settles on after that are the baseline.
  $effect(() => {
    if (!charter) return;
    const { CHARTER_PROMPTS, charterPromptFor } = charter;
    const prompts = [
      ...FIRST_SESSION_QUESTIONS.map((q) => ({ id: q.id, text: q.text })),
      ...CHARTER_PROMPTS.map((p) => charterPromptFor(p, board.you)),
      ...board.ownPrompts.list.map((p) => ({ id: p.id, text: p.text }))
    ];
    const raw: Record<string, HeardFact> = {};
    for (const prompt of prompts) {
      const text = board.listening.heard(board.partner, prompt.id).value;
      if (text.trim()) raw[prompt.id] = { text, prompt: prompt.text };
    }
    clearTimeout(heardTimer);
    heardTimer = setTimeout(() => settle(raw), HEARD_SETTLE_MS);
    return () => clearTimeout(heardTimer);
  });

  $effect(() => {
    const facts: BoardFacts = {
      you: board.you,
      partnerName: board.seats[board.partner]?.name ?? null,
      partnerPresence: board.presence[board.partner],
      connection: board.connection,
      ended: board.ended,
      veto: board.meetings.veto,
      meeting: board.meetings.current,
      signatures: board.agreement.current
        ? { you: board.agreement.current.signatures[board.you] !== null, partner: board.agreement.current.signatures[board.partner] !== null }
        : null,
      notice: board.notice,
      games: board.games.current,
      heard: settledHeard,
      goals: board.goals.list.map((goal, i) => ({
        id: goal.id,
        title: goal.text('title').value.trim() || `Goal ${i + 1}`,
        done: goal.doneAt !== null,
        here: goal.doneHere
      }))
    };
    const say = sentences;
    untrack(() => {
      // Until the page is live for the first time, everything it learns is the starting point, not news.
      if (previous && previous.connection !== 'connecting') {
        if (!say) return;
        into.announce(...say(previous, facts));
      }
      previous = facts;
    });
  });
}
