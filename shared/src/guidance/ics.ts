/**
 * An iCalendar file (RFC 5545) for the next meeting (GUIDE9): one VEVENT, lines ending in CRLF,
 * text escaped (backslash, semicolon, comma, newline), long lines folded at 75 octets, a UID that
 * stays the same for the same board and meeting (so a calendar updates the event instead of adding
 * a second one), DTSTAMP and the times in UTC.
 */
export type CalendarEvent = {
  /** Stable per board and meeting: `<board>-meeting-<n>@pairboard`. */
  uid: string;
  startsAt: number;
  durationMinutes: number;
  /** When the file is made (DTSTAMP). */
  now: number;
  summary: string;
  description?: string;
  url?: string;
};

const CRLF = '\r\n';

/** [GUIDE9] RFC 5545 §3.3.5: a UTC date-time, `19980119T070000Z`. */
export function icsDateTime(ms: number): string {
  return new Date(ms)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

/** [GUIDE9] RFC 5545 §3.3.11: backslash, semicolon and comma escaped; newlines as `\n`; no control characters. */
export function escapeIcsText(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .replace(/[\\;,]/g, (c) => `\\${c}`)
    .replace(/\n/g, '\\n')
    .replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '');
}

/** [GUIDE9] RFC 5545 §3.1: lines longer than 75 octets are folded with CRLF + one space, never inside a character. */
export function foldIcsLine(line: string): string {
  const encoder = new TextEncoder();
  const parts: string[] = [];
  let current = '';
  let octets = 0;
  for (const char of line) {
    const size = encoder.encode(char).length;
    // The first line holds 75 octets; continuation lines 74 after their leading space.
    const limit = parts.length === 0 ? 75 : 74;
    if (octets + size > limit) {
      parts.push(current);
      current = '';
      octets = 0;
    }
    current += char;
    octets += size;
  }
  parts.push(current);
  return parts.join(`${CRLF} `);
}

/** [GUIDE9] The whole calendar file for one meeting. */
export function meetingIcs(event: CalendarEvent): string {
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//pairboard//next meeting//EN',
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
    'BEGIN:VEVENT',
    `UID:${escapeIcsText(event.uid)}`,
    `DTSTAMP:${icsDateTime(event.now)}`,
    `DTSTART:${icsDateTime(event.startsAt)}`,
    `DTEND:${icsDateTime(event.startsAt + event.durationMinutes * 60_000)}`,
    `SUMMARY:${escapeIcsText(event.summary)}`,
    ...(event.description ? [`DESCRIPTION:${escapeIcsText(event.description)}`] : []),
    ...(event.url ? [`URL:${event.url.replace(/[\r\n]/g, '')}`] : []),
    'END:VEVENT',
    'END:VCALENDAR'
  ];
  return lines.map(foldIcsLine).join(CRLF) + CRLF;
}
