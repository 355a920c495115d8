import { Anchor, Code, List, Text, Title } from '@mantine/core';
import type { Inline } from '../../../shared/domain/policies.ts';
import { parseAddendum } from '../../../shared/domain/policies.ts';

function Inlines({ items }: { items: Inline[] }) {
  return (
    <>
      {items.map((x, i) => {
        switch (x.t) {
          case 'strong':
            return <strong key={i}>{x.text}</strong>;
          case 'em':
            return <em key={i}>{x.text}</em>;
          case 'code':
            return <Code key={i}>{x.text}</Code>;
          case 'link':
            return (
              <Anchor key={i} href={x.href} target="_blank" rel="noopener noreferrer">
                {x.text}
              </Anchor>
            );
          default:
            return <span key={i}>{x.text}</span>;
        }
      })}
    </>
  );
}

/**
 * The addendum as the employee sees it. Built element by element from the safe subset, never from HTML,
 * so nothing typed into the editor can run here.
 */
export function Markdown({ source }: { source: string }) {
  return (
    <>
      {parseAddendum(source).map((b, i) => {
        if (b.t === 'heading') {
          return (
            <Title key={i} order={b.level + 2 as 3 | 4 | 5} mt="xs">
              <Inlines items={b.inline} />
            </Title>
          );
        }
        if (b.t === 'list') {
          return (
            <List key={i} type={b.ordered ? 'ordered' : 'unordered'} withPadding>
              {b.items.map((it, j) => (
                <List.Item key={j}>
                  <Inlines items={it} />
                </List.Item>
              ))}
            </List>
          );
        }
        return (
          <Text key={i} my={4}>
            <Inlines items={b.inline} />
          </Text>
        );
      })}
    </>
  );
}
