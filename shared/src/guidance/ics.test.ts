import { describe, expect, it } from 'vitest';
import { escapeIcsText, foldIcsLine, icsDateTime, meetingIcs } from './ics.ts';

const event = {
  uid: 'b1-meeting-2@pairboard',
  startsAt: Date.UTC(2026, 11, 9, 15, 0),
  durationMinutes: 45,
  now: Date.UTC(2026, 11, 2, 10, 30, 15),
  summary: 'Mentoring: Ana & Ben',
  description: 'Action items:\n- Ben: write the talk outline'
};

/** Unfold (RFC 5545 §3.1) and split into content lines. */
const contentLines = (ics: string) => ics.replace(/\r\n /g, '').split('\r\n');

describe('ics', () => {
  it('[GUIDE9] UTC date-times in the basic format', () => {
    expect(icsDateTime(Date.UTC(1998, 0, 19, 7, 0, 0))).toBe('19980119T070000Z');
    expect(icsDateTime(Date.UTC(2026, 11, 9, 15, 0, 0, 999))).toBe('20261209T150000Z');
  });

  it('[GUIDE9] one VEVENT with UID, DTSTAMP, DTSTART, DTEND and SUMMARY inside a VCALENDAR 2.0', () => {
    const lines = contentLines(meetingIcs(event));
    expect(lines.slice(0, 2)).toEqual(['BEGIN:VCALENDAR', 'VERSION:2.0']);
    expect(lines).toContain('PRODID:-//pairboard//next meeting//EN');
    expect(lines).toContain('UID:b1-meeting-2@pairboard');
    expect(lines).toContain('DTSTAMP:20261202T103015Z');
    expect(lines).toContain('DTSTART:20261209T150000Z');
    expect(lines).toContain('DTEND:20261209T154500Z');
    expect(lines).toContain('SUMMARY:Mentoring: Ana & Ben');
    expect(lines.filter((l) => l === 'BEGIN:VEVENT')).toHaveLength(1);
    expect(lines.at(-2)).toBe('END:VCALENDAR');
    expect(lines.at(-1)).toBe('');
  });

  it('[GUIDE9] every line ends in CRLF, with no bare LF or CR anywhere', () => {
    const ics = meetingIcs({ ...event, description: 'one\ntwo\r\nthree\rfour' });
    expect(ics.endsWith('\r\n')).toBe(true);
    expect(ics.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
  });

  it('[GUIDE9] text escapes backslash, semicolon, comma and newlines, and drops control characters', () => {
    expect(escapeIcsText('a\\b;c,d\ne')).toBe('a\\\\b\\;c\\,d\\ne');
    expect(escapeIcsText('x\r\ny\rz')).toBe('x\\ny\\nz');
    expect(escapeIcsText('bell\u0007tab\there')).toBe('belltab\there');
    const lines = contentLines(meetingIcs({ ...event, summary: 'Ana; Ben, and\nnotes' }));
    expect(lines).toContain('SUMMARY:Ana\\; Ben\\, and\\nnotes');
    expect(lines).toContain('DESCRIPTION:Action items:\\n- Ben: write the talk outline');
  });

  it('[GUIDE9] lines longer than 75 octets fold with CRLF and a space, never inside a character', () => {
    const long = `SUMMARY:${'é'.repeat(100)}`;
    const folded = foldIcsLine(long);
    for (const line of folded.split('\r\n')) expect(new TextEncoder().encode(line).length).toBeLessThanOrEqual(75);
    expect(folded.replace(/\r\n /g, '')).toBe(long);
    expect(foldIcsLine('SHORT:x')).toBe('SHORT:x');
    const ics = meetingIcs({ ...event, description: 'a'.repeat(500) });
    for (const line of ics.split('\r\n')) expect(line.length).toBeLessThanOrEqual(75);
    expect(contentLines(ics)).toContain(`DESCRIPTION:${'a'.repeat(500)}`);
  });

  it('[GUIDE9] the same board and meeting give the same UID (a calendar updates the event), and no optional lines when absent', () => {
    const { description: _d, ...bare } = event;
    const a = meetingIcs(bare);
    const b = meetingIcs({ ...bare, now: event.now + 1000, startsAt: event.startsAt + 3_600_000 });
    expect(contentLines(a).find((l) => l.startsWith('UID:'))).toBe(contentLines(b).find((l) => l.startsWith('UID:')));
    expect(a).not.toContain('DESCRIPTION');
    expect(a).not.toContain('URL');
    expect(contentLines(meetingIcs({ ...bare, url: 'https://pb.example/b/x\r\nX-EVIL:1' }))).toContain('URL:https://pb.example/b/xX-EVIL:1');
  });
});
