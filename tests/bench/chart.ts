/**
 * The bench's chart, written as plain SVG (no chart library): edit → partner p50 and p99 against
 * pairs for each server, the median as a line and the min–max over repetitions as a band.
 * Log scales on both axes: pairs span 1…1,000 and latencies 0.2…100 ms.
 */
import type { Spread } from './stats.ts';

export type ChartSeries = { label: string; color: string; dashed?: boolean; points: Array<{ x: number; y: Spread }> };

const W = 720;
const H = 420;
const M = { left: 64, right: 180, top: 36, bottom: 52 };

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const num = (n: number) => (Number.isFinite(n) ? Number(n.toFixed(2)).toString() : '0');

/** Powers of ten (and 2×, 5× when the range is short) covering [lo, hi]. */
function logTicks(lo: number, hi: number): number[] {
  const ticks: number[] = [];
  const decades = Math.log10(hi / lo);
  const steps = decades <= 2 ? [1, 2, 5] : [1];
  for (let e = Math.floor(Math.log10(lo)); e <= Math.ceil(Math.log10(hi)); e++) {
    for (const s of steps) {
      const t = s * 10 ** e;
      if (t >= lo * 0.999 && t <= hi * 1.001) ticks.push(t);
    }
  }
  return ticks;
}

const tickLabel = (t: number) => (t >= 1000 ? t.toLocaleString('en') : t >= 1 ? String(t) : String(Number(t.toPrecision(1))));

export function renderChart(title: string, series: ChartSeries[], reference?: { y: number; label: string }): string {
  const all = series.flatMap((s) => s.points).filter((p) => p.x > 0 && p.y.min > 0 && Number.isFinite(p.y.max));
  const xs = all.map((p) => p.x);
  const ys = all.flatMap((p) => [p.y.min, p.y.max]);
  const xLo = xs.length ? Math.min(...xs) : 1;
  const xHi = xs.length ? Math.max(...xs, xLo * 10) : 10;
  const yLo = ys.length ? 10 ** Math.floor(Math.log10(Math.min(...ys))) : 0.1;
  const yHi = ys.length ? 10 ** Math.ceil(Math.log10(Math.max(...ys, yLo * 10, reference?.y ?? 0))) : 100;
  const pw = W - M.left - M.right;
  const ph = H - M.top - M.bottom;
  const sx = (x: number) => M.left + (Math.log10(x / xLo) / Math.log10(xHi / xLo)) * pw;
  const sy = (y: number) => M.top + ph - (Math.log10(Math.max(y, yLo) / yLo) / Math.log10(yHi / yLo)) * ph;

  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`);
  out.push(`<rect width="${W}" height="${H}" fill="#ffffff"/>`);
  out.push(`<text x="${M.left}" y="20" font-size="14" font-weight="bold">${esc(title)}</text>`);
  for (const t of logTicks(yLo, yHi)) {
    out.push(`<line x1="${M.left}" x2="${M.left + pw}" y1="${num(sy(t))}" y2="${num(sy(t))}" stroke="#e5e5e5"/>`);
    out.push(`<text x="${M.left - 6}" y="${num(sy(t) + 4)}" text-anchor="end">${tickLabel(t)}</text>`);
  }
  for (const t of [...new Set([...logTicks(xLo, xHi), ...xs])].sort((a, b) => a - b)) {
    out.push(`<line x1="${num(sx(t))}" x2="${num(sx(t))}" y1="${M.top}" y2="${M.top + ph}" stroke="#f0f0f0"/>`);
    out.push(`<text x="${num(sx(t))}" y="${M.top + ph + 16}" text-anchor="middle">${tickLabel(t)}</text>`);
  }
  out.push(`<rect x="${M.left}" y="${M.top}" width="${pw}" height="${ph}" fill="none" stroke="#999"/>`);
  out.push(`<text x="${M.left + pw / 2}" y="${H - 12}" text-anchor="middle">pairs (log scale)</text>`);
  out.push(`<text transform="translate(16 ${M.top + ph / 2}) rotate(-90)" text-anchor="middle">edit → partner (ms, log scale)</text>`);

  if (reference) {
    out.push(`<line x1="${M.left}" x2="${M.left + pw}" y1="${num(sy(reference.y))}" y2="${num(sy(reference.y))}" stroke="#666" stroke-dasharray="2 3"/>`);
    out.push(`<text x="${M.left + 4}" y="${num(sy(reference.y) - 4)}" fill="#666">${esc(reference.label)}</text>`);
  }
  series.forEach((s, i) => {
    const pts = s.points.filter((p) => p.x > 0 && Number.isFinite(p.y.median) && p.y.median > 0).sort((a, b) => a.x - b.x);
    if (pts.length === 0) return;
    const upper = pts.map((p) => `${num(sx(p.x))},${num(sy(p.y.max))}`);
    const lower = pts.map((p) => `${num(sx(p.x))},${num(sy(p.y.min))}`).reverse();
    // A single point has no area: draw its spread as a bar instead of a band.
    if (pts.length > 1) out.push(`<polygon points="${[...upper, ...lower].join(' ')}" fill="${s.color}" fill-opacity="0.15" stroke="none"/>`);
    else
      out.push(
        `<line x1="${num(sx(pts[0]!.x))}" x2="${num(sx(pts[0]!.x))}" y1="${num(sy(pts[0]!.y.min))}" y2="${num(sy(pts[0]!.y.max))}" stroke="${s.color}" stroke-opacity="0.4" stroke-width="6"/>`
      );
    out.push(
      `<polyline points="${pts.map((p) => `${num(sx(p.x))},${num(sy(p.y.median))}`).join(' ')}" fill="none" stroke="${s.color}" stroke-width="2"${s.dashed ? ' stroke-dasharray="6 4"' : ''}/>`
    );
    for (const p of pts) out.push(`<circle cx="${num(sx(p.x))}" cy="${num(sy(p.y.median))}" r="3" fill="${s.color}"/>`);
    const ly = M.top + 10 + i * 20;
    const lx = M.left + pw + 14;
    out.push(`<line x1="${lx}" x2="${lx + 24}" y1="${ly}" y2="${ly}" stroke="${s.color}" stroke-width="2"${s.dashed ? ' stroke-dasharray="6 4"' : ''}/>`);
    out.push(`<text x="${lx + 30}" y="${ly + 4}">${esc(s.label)}</text>`);
  });
  const noteY = M.top + 10 + series.length * 20 + 10;
  out.push(`<text x="${M.left + pw + 14}" y="${noteY}" fill="#666">line: median</text>`);
  out.push(`<text x="${M.left + pw + 14}" y="${noteY + 16}" fill="#666">band: min–max of runs</text>`);
  out.push('</svg>');
  return out.join('\n') + '\n';
}
