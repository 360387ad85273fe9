/**
 * This or That cards, written for pairboard: light, inclusive, nothing anyone has to defend.
 * Ids are stable (a started game stores its cards' text, so editing a card never changes one in play).
 */
export const THIS_OR_THAT_CATEGORIES = ['tech', 'work', 'life'] as const;
export type ThisOrThatCategory = (typeof THIS_OR_THAT_CATEGORIES)[number];

export const THIS_OR_THAT_CATEGORY_LABEL: Record<ThisOrThatCategory | 'custom', string> = {
  tech: 'Tech',
  work: 'Work habits',
  life: 'Life',
  custom: 'Your own'
};

export type ThisOrThatCard = {
  id: string;
  /** 'custom' marks one of the pair's own cards. */
  category: ThisOrThatCategory | 'custom';
  a: string;
  b: string;
};

export const THIS_OR_THAT_DECK: readonly ThisOrThatCard[] = [
  { id: 'tech-01', category: 'tech', a: 'Tabs', b: 'Spaces' },
  { id: 'tech-02', category: 'tech', a: 'Light mode', b: 'Dark mode' },
  { id: 'tech-03', category: 'tech', a: 'Keyboard shortcuts for everything', b: 'Menus and a trusty mouse' },
  { id: 'tech-04', category: 'tech', a: 'Read the docs first', b: 'Poke at it until it works' },
  { id: 'tech-05', category: 'tech', a: 'Write the test first', b: 'Write the test after' },
  { id: 'tech-06', category: 'tech', a: 'One giant monitor', b: 'Just the laptop screen' },
  { id: 'tech-07', category: 'tech', a: 'Talk it through with a rubber duck', b: 'Print statements everywhere' },
  { id: 'tech-08', category: 'tech', a: 'Live in the terminal', b: 'Live in the GUI' },
  { id: 'tech-09', category: 'tech', a: 'Merge', b: 'Rebase' },
  { id: 'tech-10', category: 'tech', a: 'Lots of small commits', b: 'One tidy commit at the end' },
  { id: 'tech-11', category: 'tech', a: 'Learn from a book', b: 'Learn from a video' },
  { id: 'tech-12', category: 'tech', a: 'Frontend', b: 'Backend' },
  { id: 'tech-13', category: 'tech', a: 'Build it yourself', b: 'Find a library for it' },
  { id: 'tech-14', category: 'tech', a: 'Pair programming', b: 'Heads-down solo coding' },
  { id: 'tech-15', category: 'tech', a: 'Clicky mechanical keyboard', b: 'Whisper-quiet keyboard' },
  { id: 'tech-16', category: 'tech', a: 'Sketch it on a whiteboard', b: 'Sketch it in code' },
  { id: 'tech-17', category: 'tech', a: 'Newest version on day one', b: 'Wait for the first patch' },
  { id: 'tech-18', category: 'tech', a: 'Clever one-liner', b: 'Boring, readable code' },
  { id: 'tech-19', category: 'tech', a: 'Deleting code', b: 'Writing new code' },
  { id: 'tech-20', category: 'tech', a: 'Emoji in commit messages', b: 'Plain-text commit messages' },
  { id: 'tech-21', category: 'tech', a: 'Fix the bug tonight', b: 'Sleep on it' },
  { id: 'tech-22', category: 'tech', a: 'Start a side project', b: "Contribute to someone else's project" },
  { id: 'work-01', category: 'work', a: 'Early bird', b: 'Night owl' },
  { id: 'work-02', category: 'work', a: 'Inbox zero', b: 'Inbox infinity' },
  { id: 'work-03', category: 'work', a: 'To-do list on paper', b: 'To-do list in an app' },
  { id: 'work-04', category: 'work', a: 'Camera on', b: 'Camera off' },
  { id: 'work-05', category: 'work', a: 'Standing desk', b: 'Comfy chair' },
  { id: 'work-06', category: 'work', a: 'Music while working', b: 'Total silence' },
  { id: 'work-07', category: 'work', a: 'Work from home', b: 'Work from an office' },
  { id: 'work-08', category: 'work', a: 'Plan the whole week', b: 'Plan each morning' },
  { id: 'work-09', category: 'work', a: 'Send a message', b: 'Jump on a quick call' },
  { id: 'work-10', category: 'work', a: 'Deep focus in the morning', b: 'Deep focus in the afternoon' },
  { id: 'work-11', category: 'work', a: 'One big project', b: 'Lots of small tasks' },
  { id: 'work-12', category: 'work', a: 'Ask for help right away', b: 'Wrestle with it for twenty minutes first' },
  { id: 'work-13', category: 'work', a: 'Feedback in writing', b: 'Feedback face to face' },
  { id: 'work-14', category: 'work', a: 'Sticky notes', b: 'Notes app' },
  { id: 'work-15', category: 'work', a: 'Deadline adrenaline', b: 'Done a week early' },
  { id: 'work-16', category: 'work', a: 'Lunch at the desk', b: 'Lunch away from any screen' },
  { id: 'work-17', category: 'work', a: 'Coffee', b: 'Tea' },
  { id: 'work-18', category: 'work', a: 'One tab at a time', b: 'Forty tabs open' },
  { id: 'work-19', category: 'work', a: 'Learn by doing', b: 'Learn by watching someone do it' },
  { id: 'work-20', category: 'work', a: 'Answer messages as they arrive', b: 'Answer them in batches' },
  { id: 'work-21', category: 'work', a: 'Present to a room', b: 'Write the document instead' },
  { id: 'work-22', category: 'work', a: 'Walking meeting', b: 'Meeting with slides' },
  { id: 'life-01', category: 'life', a: 'Mountains', b: 'Beach' },
  { id: 'life-02', category: 'life', a: 'Cats', b: 'Dogs' },
  { id: 'life-03', category: 'life', a: 'Sunrise', b: 'Sunset' },
  { id: 'life-04', category: 'life', a: 'Read the book', b: 'Watch the film' },
  { id: 'life-05', category: 'life', a: 'Sweet breakfast', b: 'Savoury breakfast' },
  { id: 'life-06', category: 'life', a: 'City break', b: 'Cabin in the woods' },
  { id: 'life-07', category: 'life', a: 'Board games', b: 'Video games' },
  { id: 'life-08', category: 'life', a: 'Cook at home', b: 'Eat out' },
  { id: 'life-09', category: 'life', a: 'Summer', b: 'Winter' },
  { id: 'life-10', category: 'life', a: 'Podcast', b: 'Playlist' },
  { id: 'life-11', category: 'life', a: 'Road trip', b: 'Train journey' },
  { id: 'life-12', category: 'life', a: 'Plan every holiday detail', b: 'Make it up as you go' },
  { id: 'life-13', category: 'life', a: 'Sing the karaoke', b: 'Cheer from the audience' },
  { id: 'life-14', category: 'life', a: 'Pizza', b: 'Tacos' },
  { id: 'life-15', category: 'life', a: 'Cosy rainy day in', b: 'Sunny day out' },
  { id: 'life-16', category: 'life', a: 'Window seat', b: 'Aisle seat' },
  { id: 'life-17', category: 'life', a: 'Visit the past', b: 'Visit the future' },
  { id: 'life-18', category: 'life', a: 'Be able to fly', b: 'Be able to turn invisible' },
  { id: 'life-19', category: 'life', a: 'Museum', b: 'Theme park' },
  { id: 'life-20', category: 'life', a: 'Handwritten letter', b: 'Voice note' },
  { id: 'life-21', category: 'life', a: 'Grow your own vegetables', b: "Browse the farmers' market" },
  { id: 'life-22', category: 'life', a: 'Kitchen dance party', b: 'Quiet night with a jigsaw' }
];
