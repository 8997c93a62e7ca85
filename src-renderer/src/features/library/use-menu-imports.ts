import { useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { useUiStore } from '../../app/ui-store';
import { importPath } from './imports-store';

/**
 * File › Import Media… and Import Folder… in the desktop app: shows the Library and adds the
 * chosen files where they are. Nothing happens in a plain browser.
 */
export function useMenuImports(): void {
  const client = useQueryClient();
  useEffect(
    () =>
      window.studio?.onImportPaths((paths) => {
        useUiStore.getState().navigate({ view: 'library' });
        for (const path of paths) importPath(client, path);
      }),
    [client],
  );
}
