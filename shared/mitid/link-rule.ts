import { z } from 'zod';

/**
 * The one place the link between an AD account and its MitID Erhverv identity is defined: the Local IdP
 * sends NemLog-in a persistent NameID, and the same string is registered as the identity's
 * `subjectNameId`. The rule is configured per AD domain.
 */
export const LinkRule = z.discriminatedUnion('kind', [
  /** `sAMAccountName@suffix`; an empty suffix gives the bare sAMAccountName. */
  z.object({
    kind: z.literal('samaccountname-suffix'),
    suffix: z.string().trim().default(''),
    lowercase: z.boolean().default(false),
  }),
  /** The account's userPrincipalName as it stands in AD. */
  z.object({ kind: z.literal('upn'), lowercase: z.boolean().default(false) }),
]);
export type LinkRule = z.infer<typeof LinkRule>;
export type LinkRuleInput = z.input<typeof LinkRule>;

export interface LinkableAccount {
  sAMAccountName: string;
  userPrincipalName?: string | null;
}

/** Rules parsed once per rule object: the people index asks for 100,000 subjects in one merge. */
const parsedRules = new WeakMap<LinkRuleInput, LinkRule>();

/** The subjectNameId an account must have in MitID Erhverv, or null when the rule cannot produce one. */
export function subjectNameIdFor(account: LinkableAccount, ruleInput: LinkRuleInput): string | null {
  let rule = parsedRules.get(ruleInput);
  if (!rule) parsedRules.set(ruleInput, (rule = LinkRule.parse(ruleInput)));
  let value: string | null;
  if (rule.kind === 'upn') {
    value = account.userPrincipalName?.trim() || null;
  } else {
    const name = account.sAMAccountName.trim();
    value = name === '' ? null : rule.suffix === '' ? name : `${name}@${rule.suffix.replace(/^@/, '')}`;
  }
  if (value === null) return null;
  return rule.lowercase ? value.toLowerCase() : value;
}

/** Whether a registered subjectNameId still matches the account under the rule (drift detection). */
export function isLinked(account: LinkableAccount, ruleInput: LinkRuleInput, subjectNameId: string | null | undefined): boolean {
  const expected = subjectNameIdFor(account, ruleInput);
  return expected !== null && subjectNameId != null && expected === subjectNameId;
}
