import { forwardRef, memo, startTransition, useEffect, useImperativeHandle, useRef } from 'react';
import { Text, TextInput } from '@mantine/core';
import { focusFirstRow, SEARCH_ID } from '../../app/shortcuts.tsx';

/** Quiet time after the last keystroke before the list is asked: a burst of typing costs one query, not one per key. */
export const SEARCH_DEBOUNCE_MS = 120;

export interface SearchBoxHandle {
  focus(): void;
  /** What is in the box now (it may not have reached the list yet). */
  value(): string;
  /** Puts text in the box and hands it to the list at once (a saved view being applied). */
  set(text: string): void;
}

interface Props {
  label: string;
  initial: string;
  /** Called once when the box starts to differ from what the list shows, so the rows can be marked stale. */
  onTyping(): void;
  /** The text the list should show, after a pause in typing or on Enter. */
  onCommit(text: string): void;
}

/**
 * The search field is uncontrolled: a keystroke re-renders nothing, not even this component. The list
 * follows after a short pause, in a transition, so typing never waits for it.
 */
export const SearchBox = memo(
  forwardRef<SearchBoxHandle, Props>(function SearchBox({ label, initial, onTyping, onCommit }, ref) {
    const input = useRef<HTMLInputElement>(null);
    const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
    const committed = useRef(initial);
    const typing = useRef(false);
    // The latest callbacks without re-subscribing anything.
    const cb = useRef({ onTyping, onCommit });
    useEffect(() => {
      cb.current = { onTyping, onCommit };
    });

    const commit = (text: string) => {
      if (timer.current) clearTimeout(timer.current);
      timer.current = null;
      typing.current = false;
      committed.current = text;
      startTransition(() => cb.current.onCommit(text));
    };
    useEffect(
      () => () => {
        if (timer.current) clearTimeout(timer.current);
      },
      [],
    );

    useImperativeHandle(ref, () => ({
      focus: () => input.current?.focus(),
      value: () => input.current?.value ?? committed.current,
      set: (text) => {
        if (input.current) input.current.value = text;
        if (timer.current) clearTimeout(timer.current);
        timer.current = null;
        typing.current = false;
        committed.current = text;
        cb.current.onCommit(text);
      },
    }));

    return (
      <TextInput
        ref={input}
        style={{ flex: 1 }}
        aria-label={label}
        placeholder={label}
        defaultValue={initial}
        // Names and usernames: the spellchecker has nothing to say, and checking costs each keystroke.
        spellCheck={false}
        autoComplete="off"
        onChange={(e) => {
          const text = e.currentTarget.value;
          if (!typing.current) {
            typing.current = true;
            cb.current.onTyping();
          }
          if (timer.current) clearTimeout(timer.current);
          timer.current = setTimeout(() => commit(text), SEARCH_DEBOUNCE_MS);
        }}
        onKeyDown={(e) => {
          if (e.key === 'Enter') commit(e.currentTarget.value);
          // One Tab (or Arrow Down) from the search to the first result, past the toolbar and filters
          // (Ctrl+K and Shift+Tab reach those); with no result, Tab goes on as usual.
          else if (((e.key === 'Tab' && !e.shiftKey) || e.key === 'ArrowDown') && !e.altKey && !e.ctrlKey && !e.metaKey && !typing.current) {
            if (focusFirstRow()) e.preventDefault();
          }
        }}
        autoFocus
        id={SEARCH_ID}
        rightSection={
          <Text size="xs" c="dimmed" aria-hidden>
            Ctrl K
          </Text>
        }
        rightSectionWidth={60}
        data-testid="people-search"
      />
    );
  }),
);
