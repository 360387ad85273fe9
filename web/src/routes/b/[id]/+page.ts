// The board is a live app: it renders in the browser, where its sockets live.
export const ssr = false;

export function load({ params }) {
  return { boardId: params.id };
}
