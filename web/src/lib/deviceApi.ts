import type { DeviceCodeIssued, DevicesView, RecoveryIssued, Result, Seat } from '@pairboard/shared';

/**
 * [DEV…] The device endpoints. Loaded on demand (the devices panel and the add-device page), so
 * the board's first-load JS does not carry it. Codes and secrets travel in bodies only.
 */
async function request<T extends object>(method: string, path: string, body?: unknown): Promise<Result<T>> {
  try {
    const res = await fetch(path, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      credentials: 'same-origin',
      cache: 'no-store'
    });
    const json = (await res.json().catch(() => null)) as Result<T> | null;
    if (json && typeof json === 'object' && 'ok' in json) return json;
    return { ok: false, code: 'Internal', message: `The server answered ${res.status}.` };
  } catch {
    return { ok: false, code: 'Internal', message: 'Could not reach pairboard. Check your connection and try again.' };
  }
}

const base = (boardId: string) => `/api/boards/${encodeURIComponent(boardId)}/devices`;

export const deviceApi = {
  list: (boardId: string) => request<DevicesView>('GET', base(boardId)),
  newCode: (boardId: string) => request<DeviceCodeIssued>('POST', `${base(boardId)}/code`),
  redeem: (boardId: string, body: { code: string } | { recovery: string }) =>
    request<{ seat: Seat; recovery?: string }>('POST', `${base(boardId)}/redeem`, body),
  rename: (boardId: string, deviceId: string, name: string) => request('PATCH', `${base(boardId)}/${encodeURIComponent(deviceId)}`, { name }),
  revoke: (boardId: string, deviceId: string) => request('DELETE', `${base(boardId)}/${encodeURIComponent(deviceId)}`),
  saveRecovery: (boardId: string) => request<RecoveryIssued>('POST', `${base(boardId)}/recovery`),
  removeRecovery: (boardId: string) => request('DELETE', `${base(boardId)}/recovery`)
};

/** The link a QR code or a saved recovery carries: the secret part after `#` never reaches a server log. */
export function addDeviceLink(origin: string, boardId: string, secret: { code: string } | { recovery: string }): string {
  const fragment = 'code' in secret ? `code=${secret.code.replace(/-/g, '')}` : `recover=${secret.recovery}`;
  return `${origin}/b/${encodeURIComponent(boardId)}/add-device#${fragment}`;
}
