import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { messageYjsSyncStep1, messageYjsSyncStep2, messageYjsUpdate } from 'y-protocols/sync';

/**
 * Frames of the y-websocket protocol, read and written without a server-side Y.Doc: the server
 * keeps each room as binary updates and answers with Yjs' update-level functions instead.
 */
export const MESSAGE_SYNC = 0;
export const MESSAGE_AWARENESS = 1;
export const MESSAGE_QUERY_AWARENESS = 3;

export type IncomingFrame =
  | { kind: 'syncStep1'; stateVector: Uint8Array }
  | { kind: 'syncStep2'; update: Uint8Array }
  | { kind: 'update'; update: Uint8Array }
  | { kind: 'awareness'; update: Uint8Array }
  | { kind: 'queryAwareness' };

/** Throws on a malformed frame; the caller closes the connection. */
export function readFrame(data: Uint8Array): IncomingFrame {
  const decoder = decoding.createDecoder(data);
  const type = decoding.readVarUint(decoder);
  switch (type) {
    case MESSAGE_SYNC: {
      const syncType = decoding.readVarUint(decoder);
      const payload = decoding.readVarUint8Array(decoder);
      if (syncType === messageYjsSyncStep1) return { kind: 'syncStep1', stateVector: payload };
      if (syncType === messageYjsSyncStep2) return { kind: 'syncStep2', update: payload };
      if (syncType === messageYjsUpdate) return { kind: 'update', update: payload };
      throw new Error(`unknown sync message ${syncType}`);
    }
    case MESSAGE_AWARENESS:
      return { kind: 'awareness', update: decoding.readVarUint8Array(decoder) };
    case MESSAGE_QUERY_AWARENESS:
      return { kind: 'queryAwareness' };
    default:
      throw new Error(`unknown message type ${type}`);
  }
}

function syncFrame(syncType: number, payload: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MESSAGE_SYNC);
  encoding.writeVarUint(encoder, syncType);
  encoding.writeVarUint8Array(encoder, payload);
  return encoding.toUint8Array(encoder);
}

export const syncStep1Frame = (stateVector: Uint8Array) => syncFrame(messageYjsSyncStep1, stateVector);
export const syncStep2Frame = (update: Uint8Array) => syncFrame(messageYjsSyncStep2, update);
export const updateFrame = (update: Uint8Array) => syncFrame(messageYjsUpdate, update);

export function awarenessFrame(update: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MESSAGE_AWARENESS);
  encoding.writeVarUint8Array(encoder, update);
  return encoding.toUint8Array(encoder);
}
