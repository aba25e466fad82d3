// ABAC role-assignment conditions (conditionVersion 2.0) as ACR uses them for repository permissions:
//   ((!(ActionMatches{'…/repositories/content/read'}) AND !(ActionMatches{'…/repositories/metadata/read'}))
//    OR (@Request[Microsoft.ContainerRegistry/registries/repositories:name] StringStartsWithIgnoreCase 'team1/'))
// The condition is parsed, then evaluated for each pull data action: what remains must be a constant
// or an OR of positive comparisons on the repository name. Anything else is `unparsed`: a condition
// this code does not fully understand never becomes a grant.
import { escapeRegExp, matchesPattern } from './actions.js';

export const PULL_DATA_ACTIONS = [
  'Microsoft.ContainerRegistry/registries/repositories/content/read',
  'Microsoft.ContainerRegistry/registries/repositories/metadata/read',
] as const;

export interface RepositoryRule {
  op: 'equals' | 'startsWith' | 'like';
  value: string;
  ignoreCase: boolean;
}

export type RepositoryCondition =
  /** pulls are allowed only from repositories matching one of the rules (none when empty) */
  | { kind: 'repositories'; rules: RepositoryRule[] }
  /** the condition does not limit pulls (e.g. it only restricts writes) */
  | { kind: 'unrestricted' }
  | { kind: 'unparsed'; text: string };

/** A constant, "the repository matches one of these rules", or undefined when not interpretable. */
type Formula = boolean | RepositoryRule[] | undefined;
type Expr = (action: string) => Formula;

function and(xs: Formula[]): Formula {
  if (xs.includes(false)) return false;
  const rest = [...new Map(xs.filter((x) => x !== true).map((x) => [JSON.stringify(x), x])).values()];
  if (rest.length === 0) return true;
  return rest.length === 1 ? rest[0] : undefined; // an intersection of rule sets is not representable
}

function or(xs: Formula[]): Formula {
  if (xs.includes(true)) return true;
  const rest = xs.filter((x) => x !== false);
  if (rest.includes(undefined)) return undefined;
  return rest.length === 0 ? false : (rest as RepositoryRule[][]).flat();
}

const REPOSITORY_NAME = /^@(Request|Resource)\[Microsoft\.ContainerRegistry\/registries\/repositories:name\]$/i;
const OPERATORS = new Map<string, Omit<RepositoryRule, 'value'>>([
  ['stringequals', { op: 'equals', ignoreCase: false }],
  ['stringequalsignorecase', { op: 'equals', ignoreCase: true }],
  ['stringstartswith', { op: 'startsWith', ignoreCase: false }],
  ['stringstartswithignorecase', { op: 'startsWith', ignoreCase: true }],
  ['stringlike', { op: 'like', ignoreCase: false }],
  ['stringlikeignorecase', { op: 'like', ignoreCase: true }],
]);

function comparison(attribute: string, operator: string, values: string[], isSet: boolean): Formula {
  const [, forAny, name = ''] = /^(ForAnyOfAnyValues:)?(\w+)$/i.exec(operator) ?? [];
  const rule = OPERATORS.get(name.toLowerCase());
  if (!REPOSITORY_NAME.test(attribute) || !rule || Boolean(forAny) !== isSet) return undefined;
  return values.map((value) => ({ ...rule, value }));
}

interface Token {
  kind: 'punct' | 'word' | 'string' | 'attribute';
  text: string;
}

const KEYWORDS: Record<string, string> = { '&&': 'AND', '||': 'OR', '!': 'NOT' };

function tokenize(text: string): Token[] {
  const re = /\s*(?:([(){},!]|&&|\|\|)|'([^']*)'|(@\w+\[[^\]]*\])|([A-Za-z][\w:]*))\s*/y;
  const tokens: Token[] = [];
  while (re.lastIndex < text.length) {
    const m = re.exec(text);
    if (!m) throw new Error(`unexpected text at ${re.lastIndex}`);
    const [, punct, str, attribute, word] = m;
    if (punct !== undefined) tokens.push(KEYWORDS[punct] ? { kind: 'word', text: KEYWORDS[punct] } : { kind: 'punct', text: punct });
    else if (str !== undefined) tokens.push({ kind: 'string', text: str });
    else if (attribute !== undefined) tokens.push({ kind: 'attribute', text: attribute });
    else tokens.push({ kind: 'word', text: /^(and|or|not)$/i.test(word!) ? word!.toUpperCase() : word! });
  }
  return tokens;
}

/** Recursive descent: or := and (OR and)*; and := unary (AND unary)*; unary := NOT unary | primary. */
class Parser {
  private i = 0;
  constructor(private readonly tokens: Token[]) {}

  parse(): Expr {
    const expr = this.or();
    if (this.i !== this.tokens.length) throw new Error('trailing tokens');
    return expr;
  }

  private peek(text: string): boolean {
    const token = this.tokens[this.i];
    return token !== undefined && (token.kind === 'punct' || token.kind === 'word') && token.text === text;
  }

  private accept(text: string): boolean {
    if (!this.peek(text)) return false;
    this.i++;
    return true;
  }

  private next(kind: Token['kind']): string {
    const token = this.tokens[this.i++];
    if (token?.kind !== kind) throw new Error(`expected ${kind}`);
    return token.text;
  }

  private list(keyword: 'OR' | 'AND', item: () => Expr, combine: (xs: Formula[]) => Formula): Expr {
    const xs = [item()];
    while (this.accept(keyword)) xs.push(item());
    return xs.length === 1 ? xs[0]! : (action) => combine(xs.map((x) => x(action)));
  }

  private or(): Expr {
    return this.list('OR', () => this.and(), or);
  }

  private and(): Expr {
    return this.list('AND', () => this.unary(), and);
  }

  private unary(): Expr {
    if (!this.accept('NOT')) return this.primary();
    const inner = this.unary();
    return (action) => {
      const x = inner(action);
      return typeof x === 'boolean' ? !x : undefined;
    };
  }

  /** `{'a', 'b'}` or `'a'` */
  private values(): { values: string[]; isSet: boolean } {
    if (!this.accept('{')) return { values: [this.next('string')], isSet: false };
    const values = [this.next('string')];
    while (this.accept(',')) values.push(this.next('string'));
    this.expectPunct('}');
    return { values, isSet: true };
  }

  private expectPunct(text: string): void {
    if (!this.accept(text)) throw new Error(`expected ${text}`);
  }

  private primary(): Expr {
    if (this.accept('(')) {
      const expr = this.or();
      this.expectPunct(')');
      return expr;
    }
    if (this.tokens[this.i]?.kind === 'attribute') {
      const attribute = this.next('attribute');
      const operator = this.next('word');
      const { values, isSet } = this.values();
      const formula = comparison(attribute, operator, values, isSet);
      return () => formula;
    }
    const fn = this.next('word');
    const { values, isSet } = this.values();
    if (/^ActionMatches$/i.test(fn) && isSet && values.length === 1) return (action) => matchesPattern(values[0]!, action);
    if (/^SubOperationMatches$/i.test(fn)) return () => undefined;
    throw new Error(`unsupported function ${fn}`);
  }
}

/** What a role-assignment condition means for pulling (both pull data actions) from an ABAC-mode registry. */
export function parseRepositoryCondition(condition: string): RepositoryCondition {
  let expr: Expr;
  try {
    expr = new Parser(tokenize(condition)).parse();
  } catch {
    return { kind: 'unparsed', text: condition };
  }
  const pull = and(PULL_DATA_ACTIONS.map((a) => expr(a)));
  if (pull === undefined) return { kind: 'unparsed', text: condition };
  if (pull === true) return { kind: 'unrestricted' };
  return { kind: 'repositories', rules: pull === false ? [] : pull };
}

function likeToRegExp(pattern: string, ignoreCase: boolean): RegExp {
  const source = pattern.replace(/\\([*?])|([*?])|([^*?\\]+|\\)/g, (_, escaped?: string, wildcard?: string, text?: string) =>
    escaped ? `\\${escaped}` : wildcard ? (wildcard === '*' ? '.*' : '.') : escapeRegExp(text ?? ''),
  );
  return new RegExp(`^${source}$`, ignoreCase ? 'i' : '');
}

function ruleAllows(rule: RepositoryRule, repository: string): boolean {
  if (rule.op === 'like') return likeToRegExp(rule.value, rule.ignoreCase).test(repository);
  const [value, repo] = rule.ignoreCase ? [rule.value.toLowerCase(), repository.toLowerCase()] : [rule.value, repository];
  return rule.op === 'equals' ? repo === value : repo.startsWith(value);
}

export function repositoryAllowed(rules: RepositoryRule[], repository: string): boolean {
  return rules.some((r) => ruleAllows(r, repository));
}

/** e.g. `team1/app`, `team2/* (prefix)`, `team?/app (pattern)` */
export function describeRules(rules: RepositoryRule[]): string {
  if (rules.length === 0) return 'no repository';
  return rules.map((r) => (r.op === 'equals' ? r.value : r.op === 'startsWith' ? `${r.value}* (prefix)` : `${r.value} (pattern)`)).join(', ');
}
