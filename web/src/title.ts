/** The browser tab's title for the page on screen: "LI-00001 usage · licstat". */
import { useEffect } from 'react';

export const APP_NAME = 'licstat';

export function useDocumentTitle(title: string | null | undefined): void {
  useEffect(() => {
    document.title = title ? `${title} · ${APP_NAME}` : APP_NAME;
  }, [title]);
}

/** The hook as an element, for pages that choose their title in a branch. */
export function DocumentTitle({ title }: { title: string | null | undefined }): null {
  useDocumentTitle(title);
  return null;
}
