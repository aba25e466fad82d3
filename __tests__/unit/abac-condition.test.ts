import { describeRules, parseRepositoryCondition, repositoryAllowed, type RepositoryCondition, type RepositoryRule } from '../../src/checks/abac-condition.js';

const CONTENT = "ActionMatches{'Microsoft.ContainerRegistry/registries/repositories/content/read'}";
const METADATA = "ActionMatches{'Microsoft.ContainerRegistry/registries/repositories/metadata/read'}";
const WRITE = "ActionMatches{'Microsoft.ContainerRegistry/registries/repositories/content/write'}";
const NAME = '@Request[Microsoft.ContainerRegistry/registries/repositories:name]';
const RESOURCE_NAME = '@Resource[Microsoft.ContainerRegistry/registries/repositories:name]';
/** The shape the portal and the ACR docs use: both read actions, then the repository expression. */
const reads = (expression: string) => `((!(${CONTENT}) AND !(${METADATA})) OR (${expression}))`;

const rule = (op: RepositoryRule['op'], value: string, ignoreCase = false): RepositoryRule => ({ op, value, ignoreCase });
const repositories = (...rules: RepositoryRule[]): RepositoryCondition => ({ kind: 'repositories', rules });

describe('parseRepositoryCondition: understood', () => {
  test.each<[string, string, RepositoryCondition]>([
    ['StringEqualsIgnoreCase (the documented example)', reads(`${NAME} StringEqualsIgnoreCase 'team1/app'`), repositories(rule('equals', 'team1/app', true))],
    ['StringEquals', reads(`${NAME} StringEquals 'team1/app'`), repositories(rule('equals', 'team1/app'))],
    ['StringStartsWith', reads(`${NAME} StringStartsWith 'team1/'`), repositories(rule('startsWith', 'team1/'))],
    ['StringStartsWithIgnoreCase on @Resource', reads(`${RESOURCE_NAME} StringStartsWithIgnoreCase 'team2/'`), repositories(rule('startsWith', 'team2/', true))],
    ['StringLike', reads(`${NAME} StringLike 'team*/app'`), repositories(rule('like', 'team*/app'))],
    [
      'ForAnyOfAnyValues:StringEquals',
      reads(`${NAME} ForAnyOfAnyValues:StringEquals {'a/one', 'b/two'}`),
      repositories(rule('equals', 'a/one'), rule('equals', 'b/two')),
    ],
    [
      'OR-ed alternatives',
      reads(`(${NAME} StringEquals 'a/one') OR (${NAME} StringStartsWithIgnoreCase 'b/')`),
      repositories(rule('equals', 'a/one'), rule('startsWith', 'b/', true)),
    ],
    [
      'multi-line, as Terraform heredocs write it',
      `(\n (\n  !(${CONTENT})\n  AND\n  !(${METADATA})\n )\n OR \n (\n  ${RESOURCE_NAME} StringStartsWithIgnoreCase 'team2/'\n )\n)\n`,
      repositories(rule('startsWith', 'team2/', true)),
    ],
    ['&& , || and ! spelled as symbols', `((!(${CONTENT}) && !(${METADATA})) || (${NAME} StringEquals 'x/y'))`, repositories(rule('equals', 'x/y'))],
    ['negation of an OR of actions', `(!(${CONTENT} OR ${METADATA})) OR (${NAME} StringEquals 'x/y')`, repositories(rule('equals', 'x/y'))],
    [
      'a wildcard action pattern',
      `(!(ActionMatches{'Microsoft.ContainerRegistry/registries/repositories/*'})) OR (${NAME} StringEquals 'x/y')`,
      repositories(rule('equals', 'x/y')),
    ],
    ['only content/read restricted: pulling needs it too', `(!(${CONTENT})) OR (${NAME} StringEquals 'x/y')`, repositories(rule('equals', 'x/y'))],
    [
      'the same restriction on both reads, AND-ed',
      `((!(${CONTENT})) OR (${NAME} StringEquals 'x/y')) AND ((!(${METADATA})) OR (${NAME} StringEquals 'x/y'))`,
      repositories(rule('equals', 'x/y')),
    ],
    [
      'a read block AND a write block',
      `(${reads(`${NAME} StringEquals 'x/y'`)}) AND ((!(${WRITE})) OR (${NAME} StringEquals 'w/z'))`,
      repositories(rule('equals', 'x/y')),
    ],
    ['reads denied everywhere', `!(${CONTENT})`, repositories()],
    ['only writes are restricted', `(!(${WRITE})) OR (${NAME} StringEquals 'team1/app')`, { kind: 'unrestricted' }],
    [
      'a sub-operation of another action',
      `(!(${WRITE} AND SubOperationMatches{'x'})) OR (${NAME} StringEquals 'team1/app')`,
      { kind: 'unrestricted' },
    ],
  ])('%s', (_name, condition, expected) => {
    expect(parseRepositoryCondition(condition)).toEqual(expected);
  });
});

describe('parseRepositoryCondition: anything not fully understood is unparsed', () => {
  test.each([
    ['a negated operator', reads(`${NAME} StringNotEquals 'team1/app'`)],
    ['an intersection of comparisons', reads(`${NAME} StringStartsWith 'team1/' AND ${NAME} StringLike '*app'`)],
    ['another attribute', reads(`@Principal[Microsoft.Directory/CustomSecurityAttributes/Attributes:team] StringEquals 'a'`)],
    ['another resource attribute', reads(`@Resource[Microsoft.ContainerRegistry/registries/repositories:tag] StringEquals 'a'`)],
    ['different restrictions per read action', `((!(${CONTENT})) OR (${NAME} StringEquals 'a/a')) AND ((!(${METADATA})) OR (${NAME} StringEquals 'b/b'))`],
    ['a sub-operation of a read action', `(!(${CONTENT} AND SubOperationMatches{'x'})) OR (${NAME} StringEquals 'team1/app')`],
    ['a set without ForAnyOfAnyValues', reads(`${NAME} StringEquals {'a', 'b'}`)],
    ['ForAllOfAllValues', reads(`${NAME} ForAllOfAllValues:StringEquals {'a', 'b'}`)],
    ['an unknown operator', reads(`${NAME} StringContains 'team1'`)],
    ['an unknown function', `Exists ${NAME}`],
    ['unbalanced parentheses', `((!(${CONTENT})) OR (${NAME} StringEquals 'a/b')`],
    ['an unterminated string', reads(`${NAME} StringEquals 'a/b`)],
    ['trailing text', `${reads(`${NAME} StringEquals 'a/b'`)} extra`],
    ['garbage', 'this is not a condition'],
    ['empty', ''],
  ])('%s', (_name, condition) => {
    expect(parseRepositoryCondition(condition)).toEqual({ kind: 'unparsed', text: condition });
  });
});

describe('repositoryAllowed', () => {
  test.each<[string, RepositoryRule[], string, boolean]>([
    ['equals', [rule('equals', 'team1/app')], 'team1/app', true],
    ['equals is case-sensitive', [rule('equals', 'Team1/App')], 'team1/app', false],
    ['equals ignoring case', [rule('equals', 'Team1/App', true)], 'team1/app', true],
    ['equals is whole-string', [rule('equals', 'team1/app')], 'team1/app2', false],
    ['startsWith', [rule('startsWith', 'team1/')], 'team1/app', true],
    ['startsWith, other prefix', [rule('startsWith', 'team1/')], 'team2/app', false],
    ['startsWith ignoring case', [rule('startsWith', 'TEAM1/', true)], 'team1/app', true],
    ['like with *', [rule('like', 'team*/app')], 'team42/app', true],
    ['like is whole-string', [rule('like', 'team*/app')], 'team42/app/x', false],
    ['like with ?', [rule('like', 'team?/app')], 'team1/app', true],
    ['like ? is one character', [rule('like', 'team?/app')], 'team12/app', false],
    ['like with an escaped *', [rule('like', 'a\\*b')], 'a*b', true],
    ['like with an escaped * is literal', [rule('like', 'a\\*b')], 'axb', false],
    ['like treats regex characters literally', [rule('like', 'a.b')], 'axb', false],
    ['like is case-sensitive', [rule('like', 'Team*')], 'team1', false],
    ['like ignoring case', [rule('like', 'Team*', true)], 'team1', true],
    ['any of several rules', [rule('equals', 'a'), rule('startsWith', 'b/')], 'b/x', true],
    ['no rules', [], 'a', false],
  ])('%s', (_name, rules, repository, expected) => {
    expect(repositoryAllowed(rules, repository)).toBe(expected);
  });
});

describe('describeRules', () => {
  test.each<[RepositoryRule[], string]>([
    [[rule('equals', 'team1/app'), rule('startsWith', 'team2/'), rule('like', 't?/x')], 'team1/app, team2/* (prefix), t?/x (pattern)'],
    [[], 'no repository'],
  ])('%j', (rules, expected) => {
    expect(describeRules(rules)).toBe(expected);
  });
});
