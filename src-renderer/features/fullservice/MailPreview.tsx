import { Fragment, type ReactNode } from 'react';
import { Text } from '@mantine/core';
import { mailTextProblems } from '../../../shared/idp/mail-templates.ts';

/** Sample values for the preview, one per documented placeholder. */
export const sampleValues: Record<string, string> = {
  '{modtager}': 'Mette Jensen',
  '{brugernavn}': 'mettej',
  '{nemloginuuid}': '8c3f…',
  '{ip}': '192.0.2.10',
  '{antal}': '7',
  '{max}': '5',
  '{liste}': '–',
  '{land}': 'Sverige',
  '{IDP_URL}': 'https://idp.kommune.dk',
  '{ROLLOVER_TTS}': '01-12-2026',
  '{EXPIRE_DATE}': '01-12-2026',
  '{kommune}': 'Fjordby Kommune',
  '{kontaktpunkt}': 'IT-supporten, 7000 0000',
  '{aktiveringslink}': 'https://idp.kommune.dk/aktiver',
  '{logo}': '[logo]',
  '{ekstraTekst}': '',
};

const entities: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', nbsp: '\u00a0', aelig: 'æ', oslash: 'ø', aring: 'å' };

function textOf(s: string): string {
  return s
    .replace(/&(#x?[0-9a-f]+|[a-z]+);?/gi, (m, e: string) => {
      if (e.startsWith('#')) {
        const code = e[1]?.toLowerCase() === 'x' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
        return Number.isFinite(code) ? String.fromCodePoint(code) : m;
      }
      return entities[e.toLowerCase()] ?? m;
    })
    .replace(/\{[^{}\s]{1,40}\}/g, (m) => sampleValues[m] ?? m);
}

const blockTags = new Set(['p', 'ul', 'ol', 'li', 'h1', 'h2', 'h3']);
const allowed = new Set(['p', 'br', 'b', 'strong', 'i', 'em', 'u', 'ul', 'ol', 'li', 'h1', 'h2', 'h3', 'a']);

interface Node {
  tag: string;
  children: (Node | string)[];
}

/**
 * The body as React elements, built from the checked subset only: never innerHTML. Links are shown, not
 * followed (a preview is no place to leave the console). A body that fails the check is shown as its raw text.
 */
export function MailPreview({ body }: { body: string }) {
  if (mailTextProblems(body, 'body').length > 0) return <Text style={{ whiteSpace: 'pre-wrap' }}>{body}</Text>;
  const root: Node = { tag: 'root', children: [] };
  const stack: Node[] = [root];
  for (const part of body.split(/(<[^<>]*>)/)) {
    if (!part) continue;
    const m = /^<(\/?)([a-z0-9]+)/i.exec(part);
    if (!m) {
      stack.at(-1)!.children.push(textOf(part));
      continue;
    }
    const tag = m[2]!.toLowerCase();
    if (!allowed.has(tag)) continue;
    if (tag === 'br') stack.at(-1)!.children.push({ tag: 'br', children: [] });
    else if (m[1]) {
      const i = stack.map((n) => n.tag).lastIndexOf(tag);
      if (i > 0) stack.length = i;
    } else {
      const n: Node = { tag, children: [] };
      stack.at(-1)!.children.push(n);
      stack.push(n);
    }
  }
  const render = (c: Node | string, k: number): ReactNode => {
    if (typeof c === 'string') return <Fragment key={k}>{c}</Fragment>;
    const kids = c.children.map(render);
    switch (c.tag) {
      case 'br': return <br key={k} />;
      case 'b': case 'strong': return <strong key={k}>{kids}</strong>;
      case 'i': case 'em': return <em key={k}>{kids}</em>;
      case 'u': return <u key={k}>{kids}</u>;
      case 'a': return <Text key={k} span td="underline" c="blue.9">{kids}</Text>;
      case 'ul': return <ul key={k}>{kids}</ul>;
      case 'ol': return <ol key={k}>{kids}</ol>;
      case 'li': return <li key={k}>{kids}</li>;
      case 'h1': case 'h2': case 'h3': return <Text key={k} fw={700} size="lg">{kids}</Text>;
      default: return blockTags.has(c.tag) ? <p key={k}>{kids}</p> : <Fragment key={k}>{kids}</Fragment>;
    }
  };
  return <div data-testid="mail-preview">{root.children.map(render)}</div>;
}

export function previewSubject(subject: string): string {
  return textOf(subject);
}
