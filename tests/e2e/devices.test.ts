import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { joinBoardInUi, myAnswer, newPartnerContext, partnerAnswer, SCREENSHOT_DIR, startBoardInUi, useBrowserAndServer } from '../helpers/browser.ts';

const Q1 = 'Why did you decide to enter the tech industry?';
const Q2 = 'Where do you see yourself in a few years?';
const ANDROID_CHROME = 'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36';

async function openDevices(page: Page) {
  await page.getByRole('button', { name: 'Board', exact: true }).click();
  await page.getByRole('button', { name: 'Your browsers…', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'Your seat on your other browsers' });
  await dialog.getByRole('heading', { name: 'Your browsers', exact: true }).waitFor();
  return dialog;
}

describe('my seat on my other device, in three browsers', () => {
  const env = useBrowserAndServer();

  it('[DEV1][DEV2][DEV5][DEV6][DEV7][DEV8] Ana adds her phone by code, both her browsers type live, Ben sees it; she removes the phone and it is told so', async () => {
    const laptopContext = await newPartnerContext(env.browser, env.server.url, { width: 1200 });
    const benContext = await newPartnerContext(env.browser, env.server.url, { width: 1200 });
    const phoneContext = await env.browser.newContext({
      baseURL: env.server.url,
      viewport: { width: 360, height: 780 },
      colorScheme: 'light',
      userAgent: ANDROID_CHROME
    });
    phoneContext.setDefaultTimeout(15_000);
    const laptop = await laptopContext.newPage();
    const ben = await benContext.newPage();
    const phone = await phoneContext.newPage();

    const link = await startBoardInUi(laptop, 'Ana', 'Mentor');
    await joinBoardInUi(ben, link, 'Ben');

    // [DEV2] Ana asks her laptop for a code.
    const laptopDevices = await openDevices(laptop);
    await laptopDevices.getByRole('button', { name: 'Show a code' }).click();
    const code = (await laptopDevices.getByTestId('device-code').textContent())!.trim();
    expect(code).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    await laptopDevices.getByRole('img', { name: /QR code/ }).waitFor();
    await laptopDevices.getByRole('button', { name: 'Close' }).click();

    // The phone opens the board link: the board is full, but it can be added to Ana's seat.
    await phone.goto(link);
    await phone.getByRole('link', { name: 'Add this browser to my seat' }).click();
    await phone.waitForURL(/\/add-device$/);
    await phone.getByLabel('Code').fill(code.toLowerCase());
    await phone.getByRole('button', { name: 'Add this browser' }).click();
    await phone.waitForURL(/\/b\/[A-Za-z0-9_-]{22}$/);
    await phone.getByTestId('connection').filter({ hasText: 'Live' }).waitFor();

    // [DEV1] Both of Ana's browsers write her answers, live; Ben sees both.
    await myAnswer(laptop, Q1).fill('Teaching, then tech.');
    await myAnswer(phone, Q2).fill('Leading a small team.');
    await expect.poll(() => myAnswer(phone, Q1).inputValue()).toBe('Teaching, then tech.');
    await expect.poll(() => myAnswer(laptop, Q2).inputValue()).toBe('Leading a small team.');
    await expect.poll(() => partnerAnswer(ben, Q1, 'Ana').textContent()).toContain('Teaching, then tech.');
    await expect.poll(() => partnerAnswer(ben, Q2, 'Ana').textContent()).toContain('Leading a small team.');
    await ben.getByTestId('presence-mentor').filter({ hasText: 'online' }).waitFor();

    // [DEV6] On the phone: the device list and a fresh code with its QR (the README's picture).
    const phoneDevices = await openDevices(phone);
    await phoneDevices.getByRole('button', { name: 'Show a code' }).click();
    await phoneDevices.getByRole('img', { name: /QR code/ }).waitFor();
    await expect.poll(() => phoneDevices.getByTestId('device-row').count()).toBe(2);
    await phoneDevices.getByText('Chrome on Android', { exact: true }).waitFor();
    await phoneDevices.getByText('this browser', { exact: true }).waitFor();
    // A tall phone, so the whole dialog (code, QR and both browsers) is in one picture.
    await phone.setViewportSize({ width: 360, height: 1400 });
    await phoneDevices.screenshot({ path: path.join(SCREENSHOT_DIR, 'devices-phone.png') });
    await phone.setViewportSize({ width: 360, height: 780 });
    await phoneDevices.getByRole('button', { name: 'Close' }).click();

    // [DEV7] The laptop removes the phone; [DEV8] the phone is told at once, Ben and the laptop stay live.
    const again = await openDevices(laptop);
    await again.getByRole('button', { name: 'Remove Chrome on Android' }).click();
    await phone.getByRole('heading', { name: "This browser can't open the board" }).waitFor();
    await phone.getByText('This browser was removed from your seat').waitFor();
    await expect.poll(() => again.getByTestId('device-row').count()).toBe(1);
    await again.getByRole('button', { name: 'Close' }).click();
    await myAnswer(laptop, Q1).fill('Teaching, then tech. Still me.');
    await expect.poll(() => partnerAnswer(ben, Q1, 'Ana').textContent()).toContain('Teaching, then tech. Still me.');

    // Its cookie opens nothing any more: a reload says it was removed.
    await phone.goto(link);
    await phone.getByRole('heading', { name: 'This browser was removed from its seat' }).waitFor();

    await Promise.all([laptopContext.close(), benContext.close(), phoneContext.close()]);
  });
});
