// MyST roles as JupyterLab's Markdown renderer leaves them, and what to show instead.
//
// Lab's renderer (marked) knows nothing of MyST: {glue:md}`name` comes out as the text "{glue:md}"
// followed by an inline <code>name</code>. findRoles() finds those pairs in a rendered cell and
// swaps each for a <span class="bookkit-role">; the glue spans are filled (and refilled when the
// stored values change) by the notebook plugin.

export const GLUE_ROLES = new Set(['glue', 'glue:', 'glue:any', 'glue:text', 'glue:md']);
const CITE_PAREN = new Set(['cite', 'cite:p', 'cite:ps']);
const CITE_TEXT = new Set(['cite:t', 'cite:ts']);
const REF_ROLES = new Set(['doc', 'ref']);
const KNOWN = new Set([...GLUE_ROLES, ...CITE_PAREN, ...CITE_TEXT, ...REF_ROLES, 'numref']);

const ROLE_AT_END = /\{([a-z]+(?::[a-z]*)?)\}$/;

export const PAPERMILL_PREFIX = 'application/papermill.record/';

export function missingText(name) {
  return `[${name}: not computed yet \u2014 run the notebook]`;
}

// Text for the roles that do not depend on the notebook's values.
export function staticRoleText(role, arg) {
  if (CITE_PAREN.has(role) || CITE_TEXT.has(role)) {
    const keys = arg.split(',').map(k => k.trim()).filter(Boolean).join('; ');
    return CITE_PAREN.has(role) ? `(${keys})` : keys;
  }
  if (role === 'numref') {
    return 'the figure';
  }
  if (REF_ROLES.has(role)) {
    const m = /^([\s\S]*?)\s*<([^<>]+)>$/.exec(arg.trim());
    return m && m[1] ? m[1] : arg.trim();
  }
  return null;
}

// Swap every "{role}" + <code>arg</code> pair under `root` for a span; returns the new spans.
export function findRoles(root) {
  const found = [];
  for (const code of Array.from(root.querySelectorAll('code'))) {
    if (code.closest('pre') || code.closest('.bookkit-role')) {
      continue;
    }
    const before = code.previousSibling;
    if (!before || before.nodeType !== Node.TEXT_NODE) {
      continue;
    }
    const m = ROLE_AT_END.exec(before.data);
    if (!m || !KNOWN.has(m[1])) {
      continue;
    }
    const role = m[1];
    const arg = code.textContent;
    before.data = before.data.slice(0, before.data.length - m[0].length);
    const span = document.createElement('span');
    span.className = 'bookkit-role';
    span.dataset.bookkitRole = role;
    span.dataset.bookkitArg = arg;
    span.title = `{${role}}\`${arg}\``;
    if (GLUE_ROLES.has(role)) {
      span.dataset.bookkitKind = 'glue';
      span.dataset.bookkitName = arg.trim();
    } else {
      span.dataset.bookkitKind = role.split(':')[0];
      span.textContent = staticRoleText(role, arg);
    }
    code.replaceWith(span);
    found.push(span);
  }
  return found;
}

function text(value) {
  if (Array.isArray(value)) {
    return value.join('');
  }
  return typeof value === 'string' ? value : null;
}

// Python's repr of a str ('abc' or "it's") -> the string itself; anything else unchanged.
export function unquote(plain) {
  const m = /^(['"])([\s\S]*)\1$/.exec(plain);
  if (!m) {
    return plain;
  }
  return m[2].replace(/\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|.)/g, (all, esc) => {
    switch (esc[0]) {
      case 'n': return '\n';
      case 't': return '\t';
      case 'r': return '\r';
      case 'x':
      case 'u':
      case 'U': return String.fromCodePoint(parseInt(esc.slice(1), 16));
      default: return esc;
    }
  });
}

// name -> {plain, markdown} from the scrapbook outputs of a notebook model's code cells.
export function collectGlue(model) {
  const store = new Map();
  if (!model || !model.cells) {
    return store;
  }
  const cells = model.cells;
  for (let i = 0; i < cells.length; i++) {
    const cell = cells.get(i);
    if (!cell || cell.type !== 'code' || !cell.outputs) {
      continue;
    }
    const outputs = cell.outputs;
    for (let j = 0; j < outputs.length; j++) {
      const output = outputs.get(j);
      const scrapbook = output && output.metadata && output.metadata.scrapbook;
      if (!scrapbook || typeof scrapbook.name !== 'string') {
        continue;
      }
      const prefix = typeof scrapbook.mime_prefix === 'string' ? scrapbook.mime_prefix : PAPERMILL_PREFIX;
      const data = output.data || {};
      store.set(scrapbook.name, {
        plain: text(data[`${prefix}text/plain`]),
        markdown: text(data[`${prefix}text/markdown`])
      });
    }
  }
  return store;
}

// What a glue role shows: {kind: 'text'|'markdown'|'missing', value}.
// {glue:md} uses the Markdown value; {glue:text} the plain one; {glue} and {glue:} (myst-nb's
// glue:any) the Markdown value when there is one, else the plain one.
export function glueDisplay(role, entry, name) {
  if (!entry || (entry.plain === null && entry.markdown === null)) {
    return { kind: 'missing', value: missingText(name) };
  }
  const wantsMarkdown = role !== 'glue:text';
  if (wantsMarkdown && entry.markdown !== null) {
    return { kind: 'markdown', value: entry.markdown };
  }
  return { kind: 'text', value: unquote(entry.plain === null ? entry.markdown : entry.plain) };
}

// The book has no dollar math (myst_enable_extensions has no "dollarmath"), so "$" is always a
// literal there, as in "US$ {glue:}`x` billion". Lab's Markdown renderer would take the text
// between two such signs for LaTeX (and swallow the roles in it), so every "$" outside code is
// escaped before Lab renders a cell: "\$" renders as "$" and is never a math delimiter.
function escapeDollars(text) {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '\\' && i + 1 < text.length) {
      out += ch + text[++i];
    } else {
      out += ch === '$' ? '\\$' : ch;
    }
  }
  return out;
}

function escapeDollarsOutsideCodeSpans(line) {
  let out = '';
  let last = 0;
  for (const m of line.matchAll(/(?<!`)(`+)(?!`)[\s\S]*?[^`]\1(?!`)/g)) {
    out += escapeDollars(line.slice(last, m.index)) + m[0];
    last = m.index + m[0].length;
  }
  return out + escapeDollars(line.slice(last));
}

export function literalDollars(source) {
  if (typeof source !== 'string' || !source.includes('$')) {
    return source;
  }
  let fence = null;
  return source.split('\n').map(line => {
    const opener = /^ {0,3}(`{3,}|~{3,})/.exec(line);
    if (fence) {
      if (opener && opener[1][0] === fence[0] && opener[1].length >= fence.length &&
          /^ {0,3}[`~]+\s*$/.test(line)) {
        fence = null;
      }
      return line;
    }
    if (opener) {
      fence = opener[1];
      return line;
    }
    return escapeDollarsOutsideCodeSpans(line);
  }).join('\n');
}
