import type { NextMeeting } from '@pairboard/shared';

/**
 * [GUIDE9] Downloads the next meeting as an .ics file. The generator loads on demand: it is not
 * first-load code. The UID is stable per board and meeting, so importing twice updates the event.
 */
export async function downloadMeetingIcs(input: { boardId: string; meetingNumber: number; next: NextMeeting; names: string }): Promise<void> {
  const { meetingIcs } = await import('@pairboard/shared/guidance/ics');
  const ics = meetingIcs({
    uid: `${input.boardId}-meeting-${input.meetingNumber}@pairboard`,
    startsAt: input.next.startsAt,
    durationMinutes: input.next.durationMinutes,
    now: Date.now(),
    summary: `Mentoring meeting ${input.meetingNumber}: ${input.names}`,
    description: 'Open your pairboard for the agenda and your action items.',
    url: location.href.split('#')[0]
  });
  const url = URL.createObjectURL(new Blob([ics], { type: 'text/calendar;charset=utf-8' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = `pairboard-meeting-${input.meetingNumber}.ics`;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 1_000);
}

const whenFormat = new Intl.DateTimeFormat(undefined, { weekday: 'short', day: 'numeric', month: 'short', hour: 'numeric', minute: '2-digit' });
export const formatWhen = (at: number) => whenFormat.format(at);
