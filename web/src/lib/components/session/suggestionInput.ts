import type { AgendaItemId, AgreementState, Seat } from '@pairboard/shared';
import type { SuggestionInput } from '@pairboard/shared/guidance/agreementSuggestions';
import type { LiveBoard } from '$lib/realtime/LiveBoard.svelte';

const HOPES: AgendaItemId = 'hopes';

/**
 * [SUGG1] What the pair already wrote, read live from the board's feature handles, for the
 * suggestion rule. A prompt answered "reveal together" counts only once revealed: a hidden draft is
 * never a suggestion (the partner's is not even on this page).
 */
export function suggestionInput(board: LiveBoard, agreement: AgreementState): SuggestionInput {
  const meeting = board.meetings.current;
  const next = board.nextSteps.next;
  const answer = (seat: Seat, promptId: string): string => {
    const reveal = board.reveal.of(promptId);
    if (!reveal) return board.answers.of(seat, promptId).value;
    if (reveal.revealedAt === null) return '';
    return (seat === board.you ? reveal.mine.text : reveal.partner.text) ?? '';
  };
  const latestHopes = (seat: Seat): string => {
    for (let n = meeting?.number ?? 1; n >= 1; n--) {
      const text = board.agenda.of(seat, n, HOPES).value;
      if (text.trim()) return text;
    }
    return '';
  };
  const starts = new Set<number>([
    ...(meeting?.log.map((m) => m.startedAt) ?? []),
    ...(meeting && meeting.log.length > 0 ? [meeting.startedAt] : []),
    ...(next ? [next.startsAt] : [])
  ]);
  return {
    answer,
    agendaHopes: { mentor: latestHopes('mentor'), mentee: latestHopes('mentee') },
    meetingStarts: [...starts],
    nextMeeting: next
      ? {
          when: new Intl.DateTimeFormat(undefined, { weekday: 'long', hour: 'numeric', minute: '2-digit' }).format(next.startsAt),
          durationMinutes: next.durationMinutes
        }
      : null,
    fields: agreement.fields,
    settled: board.agreement.settledSuggestions
  };
}
