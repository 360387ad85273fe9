import type { GameRoomView, MeetingView, PresenceStatus, Seat, SessionNotice, VetoView } from '@pairboard/shared';
import type { ConnectFourView, ThisOrThatView, TwoTruthsView } from '@pairboard/shared';

/**
 * What a screen reader should hear when the live board changes (A11Y2): a pure function of the
 * board's facts before and after, so every sentence is tested without a browser.
 */

/** A goal's done mark, and whether this page set it (else the partner did). */
export type GoalFact = { id: string; title: string; done: boolean; here: boolean };

/** A partner's reflection of one of my answers, once it has settled. */
export type HeardFact = { text: string; prompt: string };

export type BoardFacts = {
  you: Seat;
  partnerName: string | null;
  partnerPresence: PresenceStatus;
  connection: 'connecting' | 'live' | 'offline';
  ended: 'deleted' | 'refused' | null;
  veto: VetoView | null;
  meeting: MeetingView | null;
  signatures: { you: boolean; partner: boolean } | null;
  notice: { id: number; notice: SessionNotice } | null;
  games: GameRoomView | null;
  /** By prompt id. */
  heard: Record<string, HeardFact>;
  goals?: GoalFact[];
};

const VETO_OUTCOME = {
  'goal-free': 'The vote is in: this meeting is goal-free.',
  goals: 'The vote is in: goals are back.'
} as const;

export function partnerNews(prev: BoardFacts, next: BoardFacts): string[] {
  const name = next.partnerName ?? 'Your partner';
  if (next.ended === 'deleted' && prev.ended !== 'deleted') return ['This board was deleted. Everything on it has been erased.'];
  if (next.ended) return [];
  const news: string[] = [];

  if (prev.connection === 'live' && next.connection === 'offline') news.push('You are offline. Keep typing: it syncs when you are back.');
  if (prev.connection === 'offline' && next.connection === 'live') news.push('Back online. Everything is saved.');

  // Presence only counts while both views are live: a page that is still connecting is not news.
  const settled = prev.connection === 'live' && next.connection === 'live';
  if (prev.partnerName === null && next.partnerName !== null) news.push(`${name} joined the board.`);
  else if (settled && next.partnerName !== null) {
    if (prev.partnerPresence === 'gone' && next.partnerPresence !== 'gone') news.push(`${name} is back.`);
    if (prev.partnerPresence !== 'gone' && next.partnerPresence === 'gone') news.push(`${name} left the board.`);
  }

  news.push(...vetoNews(prev.veto, next.veto, name, next.you));
  news.push(...meetingNews(prev.meeting, next.meeting, name, next.you));

  if (prev.signatures && next.signatures && !prev.signatures.partner && next.signatures.partner) news.push(`${name} signed the agreement.`);
  if (next.notice && next.notice.id !== prev.notice?.id && next.notice.notice.kind === 'signaturesCleared') {
    const who = next.notice.notice.by === next.you ? 'Your' : `${name}'s`;
    news.push(`${who} change to the agreement cleared both signatures. Read it again, then sign.`);
  }

  news.push(...goalNews(prev.goals ?? [], next.goals ?? [], name));

  for (const [id, heard] of Object.entries(next.heard)) {
    if (heard.text.trim() && !prev.heard[id]?.text.trim()) news.push(`${name} wrote what they heard in your answer to “${heard.prompt}”.`);
  }

  news.push(...gameNews(prev.games, next.games, name));
  return news;
}

/** [GUIDE17] The partner marked a goal done, or reopened it. */
function goalNews(prev: GoalFact[], next: GoalFact[], name: string): string[] {
  const before = new Map(prev.map((goal) => [goal.id, goal]));
  const news: string[] = [];
  for (const goal of next) {
    const was = before.get(goal.id);
    if (!was || was.done === goal.done || goal.here) continue;
    news.push(goal.done ? `${name} marked the goal “${goal.title}” done.` : `${name} reopened the goal “${goal.title}”.`);
  }
  return news;
}

function vetoNews(prev: VetoView | null, next: VetoView | null, name: string, you: Seat): string[] {
  if (!prev || !next) return [];
  const news: string[] = [];
  if (next.open && next.open.id !== prev.open?.id && next.open.calledBy !== you) news.push(`${name} asks: ${next.open.questionText}`);
  if (next.open && prev.open?.id === next.open.id && !prev.open.partnerHasVoted && next.open.partnerHasVoted) news.push(`${name} has voted.`);
  if (next.history.length > prev.history.length) {
    const vote = next.history.at(-1)!;
    news.push(VETO_OUTCOME[vote.outcome]);
  } else if (prev.open && !next.open && prev.open.calledBy !== you) news.push(`${name} cancelled the vote.`);
  return news;
}

function meetingNews(prev: MeetingView | null, next: MeetingView | null, name: string, you: Seat): string[] {
  if (!prev || !next) return [];
  if (next.number !== prev.number) return [`Meeting ${next.number} has started.`];
  const news: string[] = [];
  if (prev.phase !== next.phase) {
    if (next.phase === 'proposed' && next.proposal?.by !== you) news.push(`${name} suggests calling it a day.`);
    if (prev.phase === 'proposed' && next.phase === 'open') {
      if (next.notYet?.by !== you && next.notYet) news.push(`${name} would like to keep going for now.`);
      else if (!next.notYet && prev.proposal?.by !== you) news.push(`${name} withdrew the suggestion to call it a day.`);
    }
    if (next.phase === 'vibe-check') news.push('Time for a quick, private vibe check.');
    if (next.phase === 'closed') news.push(`Meeting ${next.number} is done. Both vibe checks are in the summary.`);
  } else if (next.phase === 'vibe-check' && !prev.vibe.partnerHasGiven && next.vibe.partnerHasGiven) {
    news.push(`${name} has given their vibe check.`);
  }
  return news;
}

function gameNews(prev: GameRoomView | null, next: GameRoomView | null, name: string): string[] {
  if (!prev || !next) return [];
  const news: string[] = [];
  if (next.proposal && !next.proposal.yours && (!prev.proposal || prev.proposal.at !== next.proposal.at)) {
    news.push(`${name} proposes ${next.proposal.title}.`);
  }
  // Declined by the partner or withdrawn by me look the same from here: say it neutrally.
  if (prev.proposal?.yours && !next.proposal && next.phase === 'idle') news.push(`${prev.proposal.title} is no longer proposed.`);

  const before = prev.game;
  const after = next.game;
  const started = after && next.phase === 'playing' && (!before || before.startedAt !== after.startedAt);
  if (started) news.push(`${after.title} has started.`);
  if (before && prev.phase === 'playing' && next.phase === 'idle' && next.results.length > prev.results.length) {
    const line = next.results.at(-1)!.line;
    if (line.endsWith('abandoned')) news.push(`${before.title} was abandoned.`);
  }
  if (!after) return news;
  const same = before && before.gameId === after.gameId && before.startedAt === after.startedAt ? before : null;
  if (after.gameId === 'connect-four') news.push(...connectFourNews(same?.view as ConnectFourView | undefined, after.view as ConnectFourView, name));
  if (after.gameId === 'two-truths') news.push(...twoTruthsNews(same?.view as TwoTruthsView | undefined, after.view as TwoTruthsView, name));
  if (after.gameId === 'this-or-that') news.push(...thisOrThatNews(same?.view as ThisOrThatView | undefined, after.view as ThisOrThatView, name));
  return news;
}

function connectFourNews(prev: ConnectFourView | undefined, next: ConnectFourView, name: string): string[] {
  const turn = (view: ConnectFourView) => (view.yourTurn ? 'Your turn.' : `${name}'s turn.`);
  if (!prev) return [turn(next)];
  if (next.round !== prev.round) return [`Round ${next.round}. ${next.starter === next.you ? 'You start.' : `${name} starts.`}`];
  const move = next.lastMove;
  if (!move || (prev.lastMove && prev.lastMove.row === move.row && prev.lastMove.col === move.col)) return [];
  const news = move.by === next.you ? [] : [`${name} dropped in column ${move.col + 1}.`];
  if (next.status === 'won') news.push(next.winner === next.you ? 'You win! Four in a row.' : `${name} wins this round.`);
  else if (next.status === 'draw') news.push('A draw: the board is full.');
  else if (move.by !== next.you) news.push('Your turn.');
  return news;
}

function twoTruthsNews(prev: TwoTruthsView | undefined, next: TwoTruthsView, name: string): string[] {
  const phaseChanged = !prev || prev.phase !== next.phase || prev.round !== next.round;
  if (!phaseChanged) return [];
  if (next.phase === 'writing')
    return [next.role === 'writer' ? `Round ${next.round}: your turn to write three statements.` : `Round ${next.round}: ${name} is writing three statements.`];
  if (next.phase === 'guessing') return next.role === 'guesser' ? [`${name}'s three statements are ready. Which one is the lie?`] : [];
  const reveal = next.reveal;
  if (!reveal) return [];
  const guesserIsYou = reveal.writer !== next.you;
  const line = reveal.spotted
    ? `${guesserIsYou ? 'You' : name} spotted the lie!`
    : `${guesserIsYou ? 'You were' : `${name} was`} fooled. A point to ${guesserIsYou ? name : 'you'}.`;
  return next.phase === 'done' ? [line, 'Game over.'] : [line];
}

function thisOrThatNews(prev: ThisOrThatView | undefined, next: ThisOrThatView, name: string): string[] {
  const card = next.card;
  const side = (choice: 'a' | 'b' | null) => (card && choice ? (choice === 'a' ? card.a : card.b) : '');
  if (!prev || prev.round !== next.round) return card && next.phase === 'picking' ? [`Card ${next.round} of ${next.rounds}: ${card.a} or ${card.b}?`] : [];
  if (prev.phase === 'picking' && next.phase !== 'picking') {
    return [`${next.match ? 'A match!' : 'Different picks.'} You: “${side(next.yourPick)}”. ${name}: “${side(next.partnerPick)}”.`];
  }
  if (!prev.partnerPicked && next.partnerPicked && next.yourPick === null) return [`${name} has picked. Your turn: this or that?`];
  return [];
}
