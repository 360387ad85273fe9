import { describe, expect, it } from 'vitest';
import { actionItemsForMeeting, actionItemsOfMeeting, isActionOwner, ownerLabel, readOwner, type ActionItemData } from './actionItems.ts';

const item = (id: string, meeting: number, done: ActionItemData['done'] = null, text = id): ActionItemData => ({
  id,
  text,
  owner: 'mentee',
  meeting,
  createdBy: 'mentor',
  done
});

describe('action items', () => {
  it('[GUIDE7] an open item comes back at every later meeting until it is done', () => {
    const items = [item('a', 1), item('b', 1, { at: 5, meeting: 1 }), item('c', 2)];
    expect(actionItemsForMeeting(items, 2).carried.map((i) => i.id)).toEqual(['a']);
    expect(actionItemsForMeeting(items, 2).added.map((i) => i.id)).toEqual(['c']);
    expect(actionItemsForMeeting(items, 5).carried.map((i) => i.id)).toEqual(['a', 'c']);
    expect(actionItemsForMeeting(items, 1)).toEqual({ carried: [], added: [items[0], items[1]] });
  });

  it('[GUIDE7] an item marked done in a meeting stays on view, ticked, for that meeting and is gone from the next', () => {
    const items = [item('a', 1, { at: 9, meeting: 3 })];
    expect(actionItemsForMeeting(items, 2).carried).toHaveLength(1);
    expect(actionItemsForMeeting(items, 3).carried).toHaveLength(1);
    expect(actionItemsForMeeting(items, 4).carried).toHaveLength(0);
  });

  it('[GUIDE7] a meeting log lists the items written in it, blank ones left out', () => {
    const items = [item('a', 1), item('b', 1, null, '   '), item('c', 2)];
    expect(actionItemsOfMeeting(items, 1).map((i) => i.id)).toEqual(['a']);
  });

  it('[GUIDE6] an owner is mentor, mentee or both; anything else read from a document counts as both', () => {
    expect(['mentor', 'mentee', 'both'].every(isActionOwner)).toBe(true);
    expect(isActionOwner('ana')).toBe(false);
    expect(readOwner('mentor')).toBe('mentor');
    expect(readOwner(42)).toBe('both');
    expect(readOwner(undefined)).toBe('both');
  });

  it('[GUIDE6] an owner reads as You, the partner’s name, or Both of you', () => {
    const names = { mentor: 'Ana', mentee: 'Ben' };
    expect(ownerLabel('mentor', 'mentor', names)).toBe('You');
    expect(ownerLabel('mentee', 'mentor', names)).toBe('Ben');
    expect(ownerLabel('both', 'mentee', names)).toBe('Both of you');
  });
});
