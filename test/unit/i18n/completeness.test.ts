import { AccountState, IdentityState, SigningState, blockerKinds } from '../../../shared/domain/person-state.ts';
import { ConnectionTestCode, DcResultCode } from '../../../shared/domain/connection-test.ts';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { auditActionLabels, auditActionLabelsEn, auditOutcomes, journalChangeWhys, journalColumns, journalFindingCodes, journalIdpCodes, packageProblemCodes, packageSignatureCodes } from '../../../shared/domain/audit.ts';
import { BulkPauseCode, bulkActions, bulkJobStates, bulkPlans, bulkResultDa, bulkRowStates, bulkSkipReasons } from '../../../shared/domain/bulk.ts';
import { driftKinds, FixableDriftKind, MitIdRowState, peopleColumnIds } from '../../../shared/domain/people.ts';
import { acceptanceStates, LeakCheck, policyGroups } from '../../../shared/domain/policies.ts';
import { systemDetailCodes, systems, urlProblems } from '../../../shared/domain/settings.ts';
import { adFullReasons, syncMethodCodes, syncPhaseCodes } from '../../../shared/domain/sync.ts';
import { errorCodes, messageKeys } from '../../../shared/errors.ts';
import { domainKinds, passwordResults } from '../../../shared/idp/password-policy.ts';
import { deviceTypes, nsisStatuses } from '../../../shared/idp/people.ts';
import { mitidCalls } from '../../../shared/mitid/domain.ts';
import { ReadinessFix } from '../../../shared/operations/fullservice.ts';
import { writeOutcomeCodes } from '../../../shared/operations/people.ts';
import { tokenCheckStates } from '../../../shared/operations/tokens.ts';
import { adMirrorCodes, FloorWarning } from '../../../shared/operations/policies.ts';
import { jobPhases } from '../../../shared/operations/audit.ts';
import { operations } from '../../../shared/operations/index.ts';
import { roles } from '../../../shared/roles.ts';

// One language at a time: every text the renderer asks for, and every value of every enum it shows,
// has a translation in Danish and in English. A new t('key'), a new t(`prefix.${value}`) or a new value
// in one of the enums below without both translations fails here.

const ROOT = join(import.meta.dirname, '../../../src-renderer');
type Tree = { [k: string]: string | Tree };

function walk(dir: string, keep: (f: string) => boolean): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path, keep) : keep(path) ? [path] : [];
  });
}

function flatten(tree: Tree, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(tree)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (typeof v === 'string') out.set(key, v);
    else for (const [kk, vv] of flatten(v, key)) out.set(kk, vv);
  }
  return out;
}

// The locale files come in pairs: da.json/en.json, or <name>.da.json/<name>.en.json.
const localeFiles = walk(ROOT, (f) => /(^|[/.])da\.json$/.test(f));
const pairs = localeFiles.map((da) => ({ da, en: da.replace(/da\.json$/, 'en.json') }));
const merged = { da: new Map<string, string>(), en: new Map<string, string>() };
for (const p of pairs) {
  for (const lang of ['da', 'en'] as const) for (const [k, v] of flatten(JSON.parse(readFileSync(p[lang], 'utf8')) as Tree)) merged[lang].set(k, v);
}

/** i18next's plural forms: a key is there when it or its _one/_other forms are. */
const has = (lang: 'da' | 'en', key: string) => merged[lang].has(key) || (merged[lang].has(`${key}_one`) && merged[lang].has(`${key}_other`));
const missing = (keys: string[]) => ({ da: keys.filter((k) => !has('da', k)), en: keys.filter((k) => !has('en', k)) });

const sources = walk(ROOT, (f) => /\.tsx?$/.test(f)).map((f) => ({ file: relative(ROOT, f), text: readFileSync(f, 'utf8') }));

/** Every value a template key can take, by the key's prefix; `*` stands for the value. */
const enumerations: Record<string, readonly string[]> = {
  'actions.said.*': writeOutcomeCodes,
  'actions.token.check.*': tokenCheckStates,
  'audit.outcomes.*': auditOutcomes,
  'audit.sources.*': ['console', 'idp'],
  'audit.jobPhase.*': jobPhases,
  'audit.packageProblem.*': packageProblemCodes,
  'audit.journalFinding.*': journalFindingCodes,
  'audit.journalWhy.*': journalChangeWhys,
  'audit.journalColumns.*': journalColumns,
  'audit.idpCheck.*': journalIdpCodes,
  'audit.packageSignature.*': packageSignatureCodes,
  'bulk.actionHelp.*': bulkActions,
  'bulk.actions.*': bulkActions,
  'bulk.filter.*': ['all', 'todo', 'failed', 'skipped', 'done'],
  'bulk.pauseCodes.*': BulkPauseCode.options,
  'bulk.pauseText.*': BulkPauseCode.options,
  'bulk.plans.*': bulkPlans,
  'bulk.results.*': Object.keys(bulkResultDa),
  'bulk.rowStates.*': bulkRowStates,
  'bulk.skips.*': bulkSkipReasons,
  'bulk.states.*': bulkJobStates,
  'bulk.targets.*': ['people', 'ou', 'group', 'csv'],
  'codes.device.*': deviceTypes,
  'codes.password.*': passwordResults,
  'errors.codes.*': errorCodes,
  'errors.messages.*': messageKeys,
  'errors.reasons.*': ['signed-out', 'role', 'scope', 'scopeUnits', 'scopeNoAccount'],
  'errors.urlProblems.*': Object.keys(urlProblems),
  'errors.mitidCalls.*': Object.keys(mitidCalls),
  'people.col.*': peopleColumnIds,
  'settings.testResult.*': ConnectionTestCode.options,
  'settings.dcResult.*': DcResultCode.options,
  // A column without a short name falls back to its full one (defaultValue).
  'people.colShort.*': ['username', 'adState', 'passwordAge', 'deviceCount', 'nsisStatus', 'passwordExpires', 'localCredential', 'employeeId'],
  'people.chip.*': ['locked', 'disabled', 'passwordExpired', 'mustChange', 'noMfa', 'noIdentity', 'drift'],
  'people.state.account.*': AccountState.options,
  'people.state.identity.*': IdentityState.options,
  'people.state.signing.*': SigningState.options,
  'people.blocker.*': blockerKinds,
  'people.driftFix.*': FixableDriftKind.options,
  'people.driftKind.*': driftKinds,
  'people.history.*': ['console', 'idp'],
  'people.mitid.*': MitIdRowState.options,
  'people.mitidState.*': ['active', 'suspended', 'pending', 'other'],
  'people.nsis.*': nsisStatuses,
  'people.signingState.*': ['none', 'waiting-for-person', 'active'],
  'people.source.*': systems,
  'people.sourceState.*': ['not-loaded', 'loading', 'ok', 'failed', 'not-configured'],
  'policies.fields.*.help': policyGroups.flatMap((g) => g.fields),
  'policies.fields.*.label': policyGroups.flatMap((g) => g.fields),
  'policies.groups.*': policyGroups.map((g) => g.id),
  'policies.kind.*': domainKinds,
  'policies.floor.*': FloorWarning.shape.outside.options,
  'policies.leak.*': LeakCheck.shape.state.options,
  'policies.mirrorResult.*': adMirrorCodes,
  'policies.terms.states.*': ['all', 'missing', ...acceptanceStates],
  'readiness.fixes.button.*': ReadinessFix.options.map((o) => o.shape.kind.value),
  'roles.*': roles,
  'systems.*': [...systems, 'ok', 'down', 'not-configured', 'unknown'],
  'systems.detail.*': systemDetailCodes,
  'sync.phase.*': syncPhaseCodes,
  'sync.method.*': syncMethodCodes,
  'sync.fullWhy.*': adFullReasons,
};
/** Template keys that fall back on purpose (a field name main may add later reads as itself). */
const openEnded = new Set(['errors.fieldNames.*', 'errors.fieldHints.*']);

describe('translations', () => {
  it('every locale file has the same keys in Danish and English, none empty', () => {
    expect(pairs.length).toBeGreaterThanOrEqual(7);
    for (const p of pairs) {
      const da = flatten(JSON.parse(readFileSync(p.da, 'utf8')) as Tree);
      const en = flatten(JSON.parse(readFileSync(p.en, 'utf8')) as Tree);
      const file = relative(ROOT, p.da);
      expect({ file, onlyDa: [...da.keys()].filter((k) => !en.has(k)) }).toEqual({ file, onlyDa: [] });
      expect({ file, onlyEn: [...en.keys()].filter((k) => !da.has(k)) }).toEqual({ file, onlyEn: [] });
      expect({ file, empty: [...da, ...en].filter(([, v]) => v.trim() === '').map(([k]) => k) }).toEqual({ file, empty: [] });
    }
  });

  it('every literal key the renderer asks for exists in both languages', () => {
    const keys = new Set<string>();
    for (const s of sources) for (const m of s.text.matchAll(/\bt\(\s*'([a-zA-Z][\w.-]*)'/g)) keys.add(m[1]!);
    expect(keys.size).toBeGreaterThan(300);
    expect(missing([...keys])).toEqual({ da: [], en: [] });
  });

  it('every template key the renderer builds is covered for every value of its enum', () => {
    const templates = new Set<string>();
    for (const s of sources) for (const m of s.text.matchAll(/\bt\(\s*`([^`]*)`/g)) templates.add(m[1]!.replace(/\$\{[^}]*\}/g, '*'));
    const unknown = [...templates].filter((tpl) => !(tpl in enumerations) && !openEnded.has(tpl));
    // A new t(`prefix.${x}`) must name its values here, or nothing would check them.
    expect(unknown).toEqual([]);
    const keys = Object.entries(enumerations).flatMap(([tpl, values]) => values.map((v) => tpl.replace('*', v)));
    expect(missing(keys)).toEqual({ da: [], en: [] });
  });

  it('no user-visible JSX attribute or inline text is a literal outside the locale tables', () => {
    // Words that are the same in both languages (names, formats) may stay literal.
    const allowed = new Set(['https://', 'https://…', 'Dansk', 'English', 'NSIS', 'IdP', 'Ctrl K', '?', 'Lokal IdP Admin']);
    const found: string[] = [];
    for (const s of sources.filter((x) => x.file.endsWith('.tsx'))) {
      for (const m of s.text.matchAll(/\b(?:aria-label|label|title|placeholder|description|alt)="([^"]*)"/g)) if (!allowed.has(m[1]!)) found.push(`${s.file}: ${m[0]}`);
      for (const m of s.text.matchAll(/(?<=[\w"'}]>)\s*([A-Za-zÆØÅæøå][^<>{}()=;]*?)\s*</g)) if (!allowed.has(m[1]!.trim())) found.push(`${s.file}: ${m[1]}`);
    }
    expect(found).toEqual([]);
  });

  it('every audit action has a label in both languages, and every journaled operation has one', () => {
    expect(Object.keys(auditActionLabelsEn).sort()).toEqual(Object.keys(auditActionLabels).sort());
    const journaled = Object.entries(operations)
      .filter(([, spec]) => (spec as { writes?: boolean }).writes)
      .map(([name]) => name);
    expect(journaled.length).toBeGreaterThan(10);
    expect(journaled.filter((op) => !(op in auditActionLabels))).toEqual([]);
  });

  it('every event main journals on its own (outside the operation contract) has a label too', () => {
    // `operation: 'x.y'` in main's source: the events services and the console itself record (the create
    // guard, bulk rows, purges); a missing one would show its raw name in the timeline.
    const root = join(import.meta.dirname, '../../../src-main');
    const walk = (dir: string): string[] =>
      readdirSync(dir).flatMap((n) => (statSync(join(dir, n)).isDirectory() ? walk(join(dir, n)) : /\.tsx?$/.test(n) ? [join(dir, n)] : []));
    const recorded = new Set(walk(root).flatMap((f) => [...readFileSync(f, 'utf8').matchAll(/operation: '([a-zA-Z]+\.[a-zA-Z.]+)'/g)].map((m) => m[1] as string)));
    expect(recorded.size).toBeGreaterThan(5);
    expect([...recorded].filter((op) => !(op in auditActionLabels) || !(op in auditActionLabelsEn))).toEqual([]);
  });
});
