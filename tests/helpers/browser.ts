import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import type { TestServer } from './server.ts';

export const SCREENSHOT_DIR = path.resolve(import.meta.dirname, '../screenshots');

/** Debian's Chromium, headless, with nothing reaching out to the network on its own. */
export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-quic',
      '--no-first-run'
    ]
  });
}

/** A separate browser profile: its own cookies, so its own seat. */
export async function newPartnerContext(
  browser: Browser,
  baseURL: string,
  options: { width?: number; colorScheme?: 'light' | 'dark' } = {}
): Promise<BrowserContext> {
  const context = await browser.newContext({
    baseURL,
    viewport: { width: options.width ?? 1200, height: 900 },
    colorScheme: options.colorScheme ?? 'light',
    permissions: ['clipboard-read', 'clipboard-write']
  });
  context.setDefaultTimeout(15_000);
  return context;
}

export async function screenshot(page: Page, name: string, fullPage = true): Promise<void> {
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}.png`), fullPage });
}

/** Creates a board in the UI and returns its link. */
export async function startBoardInUi(page: Page, name: string, seat: 'Mentor' | 'Mentee'): Promise<string> {
  await page.goto('/');
  await page.getByLabel('Your name').fill(name);
  await page.getByRole('radio', { name: new RegExp(seat) }).check();
  await page.getByRole('button', { name: 'Start a board' }).click();
  await page.waitForURL(/\/b\/[A-Za-z0-9_-]{22}$/);
  await page.getByTestId('connection').filter({ hasText: 'Live' }).waitFor();
  return page.url();
}

export async function joinBoardInUi(page: Page, link: string, name: string): Promise<void> {
  await page.goto(link);
  await page.getByLabel('Your name').fill(name);
  await page.getByRole('button', { name: 'Join the board' }).click();
  await page.getByTestId('connection').filter({ hasText: 'Live' }).waitFor();
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** My own answer field for a question, found as a screen reader announces it. */
export function myAnswer(page: Page, question: string) {
  return page.getByRole('textbox', { name: new RegExp(`^${escapeRegExp(question)} — Your answer`) });
}

/** My partner's (read-only) answer to a question. */
export function partnerAnswer(page: Page, question: string, partnerName: string) {
  return page.getByRole('textbox', { name: new RegExp(`^${escapeRegExp(question)} — ${escapeRegExp(partnerName)}'s answer`) });
}

/** A browser and a production server (with the built app) shared by one test file. */
export function useBrowserAndServer() {
  const env = {} as { browser: Browser; server: TestServer };
  beforeAll(async () => {
    env.browser = await launchBrowser();
    env.server = await (await import('./server.ts')).startServer({ withWeb: true });
  });
  afterAll(async () => {
    await env.browser?.close();
    await env.server?.stop();
  });
  return env;
}

/** Opens the board's "Board ▾" menu and picks an item (Export as Markdown, Print, Delete the board…). */
export async function chooseFromBoardMenu(page: Page, item: 'Export as Markdown' | 'Print' | 'Delete the board…'): Promise<void> {
  await page.getByRole('button', { name: 'Board', exact: true }).click();
  await page.getByRole('button', { name: item, exact: true }).click();
}

/** Goes to a board section as a person would: its link in the section navigation. */
export async function openSection(page: Page, title: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Board sections' }).getByRole('link', { name: title, exact: true }).click();
}
