import { useEffect, useState } from 'react';
import { Kbd, Modal, Table } from '@mantine/core';
import { useTranslation } from 'react-i18next';

/** The people list's search box and its rows: the targets of Ctrl+K, the skip link and Tab from the search. */
export const SEARCH_ID = 'people-search';
export const LIST_ID = 'people-list';

/** Focus-able rows of the people list, in order (the virtual table renders only those near the view). */
export function listRows(): HTMLElement[] {
  return Array.from(document.getElementById(LIST_ID)?.querySelectorAll<HTMLElement>('tbody tr[tabindex="0"]') ?? []);
}

/** Moves focus to the first person in the list; false when the list has none to offer. */
export function focusFirstRow(): boolean {
  const first = listRows()[0];
  first?.focus();
  return !!first;
}

/** Focuses the search box once it is on screen (after a route change it mounts a moment later). */
export function focusSearch(tries = 20): void {
  const box = document.getElementById(SEARCH_ID);
  if (box) {
    box.focus();
    (box as HTMLInputElement).select?.();
  } else if (tries > 0) {
    requestAnimationFrame(() => focusSearch(tries - 1));
  }
}

const editable = (el: EventTarget | null): boolean =>
  el instanceof HTMLElement && (el.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName));

/**
 * The console's global keys: Ctrl/⌘+K goes to the people search from anywhere (a filter, another screen),
 * "?" (outside a text field) opens the overview of shortcuts. Listened on the window in the capture phase,
 * so a focused control that handles keys itself (a combobox) does not swallow them.
 */
export function useGlobalShortcuts(toPeople: () => void): { help: boolean; setHelp: (open: boolean) => void } {
  const [help, setHelp] = useState(false);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if ((e.ctrlKey || e.metaKey) && !e.altKey && e.key.toLowerCase() === 'k') {
        e.preventDefault();
        toPeople();
        focusSearch();
      } else if (e.key === '?' && !e.ctrlKey && !e.metaKey && !editable(e.target) && !document.querySelector('[aria-modal="true"]')) {
        e.preventDefault();
        setHelp(true);
      }
    };
    window.addEventListener('keydown', onKey, { capture: true });
    return () => window.removeEventListener('keydown', onKey, { capture: true });
  }, [toPeople]);
  return { help, setHelp };
}

const rows = [
  { keys: ['Ctrl', 'K'], what: 'shortcuts.search' },
  { keys: ['Tab'], what: 'shortcuts.tabToResults' },
  { keys: ['↑', '↓'], what: 'shortcuts.arrows' },
  { keys: ['Enter'], what: 'shortcuts.open' },
  { keys: ['Esc'], what: 'shortcuts.escape' },
  { keys: ['Tab'], what: 'shortcuts.skip' },
  { keys: ['?'], what: 'shortcuts.overlay' },
] as const;

/** The "?" overlay: every shortcut the console has, in the operator's language. */
export function ShortcutsOverlay({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  return (
    <Modal opened={opened} onClose={onClose} title={t('shortcuts.title')} size="lg">
      <Table data-testid="shortcuts">
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">{t('shortcuts.key')}</Table.Th>
            <Table.Th scope="col">{t('shortcuts.what')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((r) => (
            <Table.Tr key={r.what}>
              <Table.Td style={{ whiteSpace: 'nowrap' }}>
                {r.keys.map((k, i) => (
                  <span key={k}>
                    {i > 0 && ' + '}
                    <Kbd>{k}</Kbd>
                  </span>
                ))}
              </Table.Td>
              <Table.Td>{t(r.what)}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Modal>
  );
}
