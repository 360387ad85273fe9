/** Limits shared by the page (to tell the user) and the server (to enforce). SPEC.md: LIM*. */
export const LIMITS = {
  /** LIM1 */ displayNameMax: 40,
  /** LIM2 */ answerMax: 2000,
  /** LIM3: one websocket frame, either endpoint */ frameBytesMax: 1024 * 1024,
  /** LIM4: stored bytes of one board document before further writes are refused */ docBytesMax: 4 * 1024 * 1024,
  /** short free-text items: a reflection, a custom prompt, a game statement */ shortTextMax: 280
} as const;
