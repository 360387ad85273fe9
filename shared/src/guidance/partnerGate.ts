/**
 * [GUIDE2] Controls that make no sense before the partner has joined: nobody can be asked to go
 * goal-free or to call it a day with nobody there. The page hides them; the server refuses them.
 */
export type SessionContext = {
  /** Whether the other seat has been taken (the partner has joined the board). */
  partnerJoined: boolean;
};

export const PARTNER_MISSING_MESSAGE = 'Your partner has not joined yet: this waits until they are here.';
