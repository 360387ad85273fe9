export * from './errors.ts';
export * from './limits.ts';
export * from './seats.ts';
export * from './questions.ts';
export * from './docShape.ts';
export * from './protocol.ts';
export * from './rules/seatRules.ts';
export * from './rules/presence.ts';
