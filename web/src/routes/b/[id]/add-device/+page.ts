// The code or recovery secret is read from the URL's fragment, in the browser only.
export const ssr = false;

export function load({ params }) {
  return { boardId: params.id };
}
