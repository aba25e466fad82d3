// @ts-check
// The part of Go's text/template that kubectl's `-o go-template` gives and the probe script uses:
// text, {{.a.b}}, {{$}}, {{$x := …}}, {{$x.a}}, {{"literal"}}, {{printf "%q" …}}, {{index … "key"}},
// {{range …}}…{{else}}…{{end}}, {{if …}}…{{else}}…{{end}}, {{with …}}…{{else}}…{{end}}. Missing fields
// are nil and print as Go does (`<no value>`, `%!q(<nil>)`), so a template that forgets a guard shows it.

/** @typedef {{ kind: 'text', text: string } | { kind: 'print', pipe: string } | { kind: 'set', name: string, pipe: string } | { kind: 'block', op: 'range' | 'if' | 'with', pipe: string, body: Node[], otherwise: Node[] }} Node */

/** @param {string} src @returns {Node[]} */
export function parseTemplate(src) {
  /** @type {{ nodes: Node[], block?: Extract<Node, { kind: 'block' }>, inElse: boolean }[]} */
  const stack = [{ nodes: [], inElse: false }];
  const top = () => /** @type {(typeof stack)[number]} */ (stack[stack.length - 1]);
  const push = (/** @type {Node} */ n) => {
    const t = top();
    if (t.block && t.inElse) t.block.otherwise.push(n);
    else t.nodes.push(n);
  };
  let i = 0;
  while (i < src.length) {
    const open = src.indexOf('{{', i);
    if (open < 0) {
      push({ kind: 'text', text: src.slice(i) });
      break;
    }
    if (open > i) push({ kind: 'text', text: src.slice(i, open) });
    const close = findClose(src, open + 2);
    const action = src.slice(open + 2, close).trim();
    i = close + 2;
    const block = /^(range|if|with)\s+(.*)$/s.exec(action);
    const set = /^(\$\w+)\s*:=\s*(.*)$/s.exec(action);
    if (block) {
      /** @type {Extract<Node, { kind: 'block' }>} */
      const node = { kind: 'block', op: /** @type {'range' | 'if' | 'with'} */ (block[1]), pipe: block[2] ?? '', body: [], otherwise: [] };
      push(node);
      stack.push({ nodes: node.body, block: node, inElse: false });
    } else if (action === 'else') {
      top().inElse = true;
    } else if (action === 'end') {
      if (stack.length < 2) throw new Error('template: unexpected {{end}}');
      stack.pop();
    } else if (set) {
      push({ kind: 'set', name: set[1] ?? '', pipe: set[2] ?? '' });
    } else {
      push({ kind: 'print', pipe: action });
    }
  }
  if (stack.length !== 1) throw new Error('template: unexpected EOF (a block has no {{end}})');
  return stack[0]?.nodes ?? [];
}

/** The end of an action, skipping over string literals. @param {string} src @param {number} from */
function findClose(src, from) {
  let inString = false;
  for (let j = from; j < src.length; j++) {
    const c = src[j];
    if (inString) {
      if (c === '\\') j++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '}' && src[j + 1] === '}') return j;
  }
  throw new Error('template: unclosed action');
}

/** Go's strconv.Quote, for the strings kubectl's objects hold. @param {string} s */
export function goQuote(s) {
  /** @type {Record<string, string>} */
  const named = { '\u0007': '\\a', '\b': '\\b', '\f': '\\f', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\u000b': '\\v', '"': '\\"', '\\': '\\\\' };
  let out = '"';
  for (const ch of s) {
    const code = /** @type {number} */ (ch.codePointAt(0));
    if (named[ch]) out += named[ch];
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else if (code === 0x2028 || code === 0x2029) out += `\\u${code.toString(16)}`;
    else out += ch;
  }
  return `${out}"`;
}

/** @param {unknown} v */
function truthy(v) {
  if (v === undefined || v === null || v === false || v === 0 || v === '') return false;
  if (Array.isArray(v)) return v.length > 0;
  if (typeof v === 'object') return Object.keys(v).length > 0;
  return true;
}

/** @param {unknown} v @returns {string} */
function show(v) {
  if (v === undefined || v === null) return '<no value>';
  if (typeof v === 'object') return Array.isArray(v) ? `[${v.map(show).join(' ')}]` : `map[${Object.keys(v).sort().map((k) => `${k}:${show(/** @type {any} */ (v)[k])}`).join(' ')}]`;
  return String(v);
}

/** @param {string} src @returns {string[]} words, a string literal kept whole */
function words(src) {
  return [...src.matchAll(/"(?:[^"\\]|\\.)*"|\S+/g)].map((m) => m[0]);
}

/**
 * @typedef {{ dot: unknown, root: unknown, vars: Map<string, unknown> }} Scope
 * @param {string} word @param {Scope} scope
 */
function argument(word, scope) {
  if (word.startsWith('"')) return JSON.parse(word);
  if (/^-?\d+(\.\d+)?$/.test(word)) return Number(word);
  const m = /^(\$\w*)?((?:\.[\w-]+)*|\.)$/.exec(word);
  if (!m) throw new Error(`template: cannot evaluate ${word}`);
  const variable = m[1];
  if (variable && variable !== '$' && !scope.vars.has(variable)) throw new Error(`template: undefined variable ${variable}`);
  let value = variable === undefined ? scope.dot : variable === '$' ? scope.root : scope.vars.get(variable);
  for (const field of (m[2] ?? '').split('.').filter(Boolean)) {
    value = value !== null && typeof value === 'object' ? /** @type {Record<string, unknown>} */ (value)[field] : undefined;
  }
  return value;
}

/** @param {string} pipe @param {Scope} scope @returns {unknown} */
function evaluate(pipe, scope) {
  const [fn, ...args] = words(pipe);
  if (fn === 'printf') {
    const [format = '', ...rest] = args.map((a) => argument(a, scope));
    let k = 0;
    return String(format).replace(/%([qsd%])/g, (_, verb) => {
      if (verb === '%') return '%';
      const v = rest[k++];
      if (v === undefined || v === null) return `%!${verb}(<nil>)`;
      return verb === 'q' ? goQuote(String(v)) : String(v);
    });
  }
  if (fn === 'index') {
    const [collection, key] = args.map((a) => argument(a, scope));
    if (collection === undefined || collection === null) throw new Error('template: index of untyped nil');
    return /** @type {Record<string, unknown>} */ (collection)[String(key)];
  }
  if (args.length) throw new Error(`template: function ${fn} is not defined`);
  return argument(fn ?? '.', scope);
}

/** @param {Node[]} nodes @param {Scope} scope @param {string[]} out */
function run(nodes, scope, out) {
  for (const n of nodes) {
    if (n.kind === 'text') out.push(n.text);
    else if (n.kind === 'print') out.push(show(evaluate(n.pipe, scope)));
    else if (n.kind === 'set') scope.vars.set(n.name, evaluate(n.pipe, scope));
    else {
      const v = evaluate(n.pipe, scope);
      const inner = (/** @type {unknown} */ dot) => ({ dot, root: scope.root, vars: new Map(scope.vars) });
      if (n.op === 'if') run(truthy(v) ? n.body : n.otherwise, inner(scope.dot), out);
      else if (n.op === 'with') run(truthy(v) ? n.body : n.otherwise, inner(truthy(v) ? v : scope.dot), out);
      else {
        const items = Array.isArray(v) ? v : v && typeof v === 'object' ? Object.keys(v).sort().map((k) => /** @type {any} */ (v)[k]) : [];
        if (!items.length) run(n.otherwise, inner(scope.dot), out);
        for (const item of items) run(n.body, inner(item), out);
      }
    }
  }
}

/** Renders a template over `data` as kubectl does. @param {string} src @param {unknown} data */
export function renderTemplate(src, data) {
  /** @type {string[]} */
  const out = [];
  run(parseTemplate(src), { dot: data, root: data, vars: new Map() }, out);
  return out.join('');
}
