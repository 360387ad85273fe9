import { AxeBuilder } from '@axe-core/playwright';
import type { Page } from 'playwright-core';

/** The WCAG levels the board promises (A11Y1): 2.0, 2.1 and 2.2, A and AA. */
export const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

export type AxeFinding = { view: string; scheme: 'light' | 'dark'; rule: string; impact: string | null | undefined; nodes: string[] };

/** Runs axe on the page as it is now; returns one finding per violated rule, with the offending nodes. */
export async function axeViolations(page: Page, view: string, scheme: 'light' | 'dark'): Promise<AxeFinding[]> {
  const result = await new AxeBuilder({ page }).withTags(WCAG_TAGS).analyze();
  return result.violations.map((v) => ({
    view,
    scheme,
    rule: v.id,
    impact: v.impact,
    nodes: v.nodes.slice(0, 4).map((n) => `${n.target.join(' ')} — ${n.failureSummary?.split('\n').slice(1, 2).join('').trim() ?? ''}`)
  }));
}

/**
 * Audits a view in light and in dark (prefers-color-scheme, the way a person's system sets it) and
 * returns to light. Settles transitions first so colours are read at rest.
 */
export async function auditBothSchemes(page: Page, view: string): Promise<AxeFinding[]> {
  const findings: AxeFinding[] = [];
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme, reducedMotion: 'reduce' });
    // A colour transition already running (a scheme switched just before, without reduced motion)
    // keeps its own duration: wait until nothing animates, so axe reads the colours at rest.
    await page.waitForFunction(() => document.getAnimations().every((a) => a.playState !== 'running' && !a.pending), undefined, {
      timeout: 10_000
    });
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
    findings.push(...(await axeViolations(page, view, scheme)));
  }
  await page.emulateMedia({ colorScheme: 'light' });
  return findings;
}

/**
 * Records every text the page's one live region says (A11Y2), from the DOM, from the first paint:
 * `window.__announced` gathers them in order.
 */
export async function recordAnnouncements(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const said: string[] = [];
    (window as unknown as { __announced: string[] }).__announced = said;
    const watch = () => {
      const live = document.querySelector('[data-announcer]');
      if (!live) return false;
      new MutationObserver(() => {
        const text = live.textContent?.trim();
        if (text) said.push(text);
      }).observe(live, { childList: true, characterData: true, subtree: true });
      return true;
    };
    if (!watch()) {
      const wait = new MutationObserver(() => watch() && wait.disconnect());
      document.addEventListener('DOMContentLoaded', () => watch() || wait.observe(document.body, { childList: true, subtree: true }));
    }
  });
}

/** Everything said so far in the live region. */
export function announced(page: Page): Promise<string[]> {
  return page.evaluate(() => (window as unknown as { __announced?: string[] }).__announced ?? []);
}

/** The polite live regions a screen reader would hear on the page now (aria-live, role=status). */
export function politeRegions(page: Page): Promise<number> {
  return page.evaluate(
    () => [...document.querySelectorAll('[aria-live="polite"], [role="status"]')].filter((el) => el.getAttribute('aria-live') !== 'off').length
  );
}
