// Notebook plugin: MyST roles in rendered Markdown cells, as a reader of the built book sees them.
//
// - {glue}`x`, {glue:}`x`, {glue:text}`x`, {glue:md}`x`: the value that a code cell of the same
//   notebook stored under that name (myst-nb's glue, i.e. a display_data output with
//   metadata.scrapbook); {glue:md} and the Markdown values of {glue}/{glue:} are rendered as
//   inline Markdown. A name with no stored value shows "[x: not computed yet — run the notebook]".
// - {cite:p}`a,b` -> "(a; b)", {cite:t}`a` -> "a", {numref}`fig-x` -> "the figure",
//   {doc}`text <target>` -> "text" (and {ref} likewise).
// - "$" is literal in Markdown cells, as in the book (which has no dollar math), so "US$ {glue:}`x`"
//   is not taken for LaTeX.
//
// The plugin works on the rendered DOM: a MutationObserver on each notebook catches every
// (re-)rendering of a Markdown cell, and the values are re-read from the model whenever the cells
// or any code cell's outputs change (re-running a cell, opening the notebook).
import { collectGlue, findRoles, glueDisplay, literalDollars } from './roles.js';

const MARKDOWN_CELL = '.jp-MarkdownCell';
const RENDERED = '.jp-MarkdownCell .jp-RenderedMarkdown';

function escapeHtml(s) {
  return s.replace(/[&<>"']/g, c => `&#${c.charCodeAt(0)};`);
}

// A small inline Markdown renderer, used only if the notebook has no Markdown parser.
function simpleInline(md) {
  return escapeHtml(md)
    .replace(/`([^`]+)`/g, '<code>$1</code>')
    .replace(/\*\*([^*]+)\*\*|__([^_]+)__/g, (m, a, b) => `<strong>${a || b}</strong>`)
    .replace(/\*([^*]+)\*|\b_([^_]+)_\b/g, (m, a, b) => `<em>${a || b}</em>`)
    .replace(/\[([^\]]+)\]\(([^)\s]+)\)/g, '<a href="$2">$1</a>');
}

async function renderInline(rendermime, md) {
  const parser = rendermime && rendermime.markdownParser;
  let html = parser ? await parser.render(md) : simpleInline(md);
  html = html.trim();
  const para = /^<p>([\s\S]*)<\/p>$/.exec(html);
  if (para && !/<p[\s>]/.test(para[1])) {
    html = para[1];
  }
  const sanitizer = rendermime && rendermime.sanitizer;
  return sanitizer ? sanitizer.sanitize(html) : escapeHtml(md);
}

function touchesMarkdown(record) {
  const target = record.target.nodeType === Node.ELEMENT_NODE ? record.target : record.target.parentElement;
  if (target && target.closest(MARKDOWN_CELL)) {
    return true;
  }
  for (const node of record.addedNodes) {
    if (node.nodeType === Node.ELEMENT_NODE &&
        (node.matches(MARKDOWN_CELL) || node.querySelector(MARKDOWN_CELL))) {
      return true;
    }
  }
  return false;
}

class RoleFiller {
  constructor(panel) {
    this._panel = panel;
    this._model = null;
    this._store = new Map();
    this._storeStale = true;
    this._html = new Map(); // Markdown source -> sanitized inline HTML
    this._rendering = new Set();
    this._scheduled = false;
    this._wired = new WeakSet();
    this._disposed = false;

    this._observer = new MutationObserver(records => {
      if (records.some(touchesMarkdown)) {
        this._schedule();
      }
    });
    this._observer.observe(panel.content.node, { childList: true, subtree: true, characterData: true });

    panel.content.modelChanged.connect(this._wireModel, this);
    panel.context.ready.then(() => this._wireModel()).catch(() => undefined);
    panel.disposed.connect(this.dispose, this);
    this._wireModel();
  }

  dispose() {
    if (this._disposed) {
      return;
    }
    this._disposed = true;
    this._observer.disconnect();
    if (this._model) {
      this._model.cells.changed.disconnect(this._onCellsChanged, this);
    }
  }

  _wireModel() {
    const model = this._panel.content.model;
    if (!model || model === this._model) {
      this._refresh();
      return;
    }
    if (this._model) {
      this._model.cells.changed.disconnect(this._onCellsChanged, this);
    }
    this._model = model;
    model.cells.changed.connect(this._onCellsChanged, this);
    this._onCellsChanged();
  }

  _onCellsChanged() {
    const cells = this._model.cells;
    for (let i = 0; i < cells.length; i++) {
      const cell = cells.get(i);
      if (cell && cell.type === 'code' && cell.outputs && !this._wired.has(cell)) {
        this._wired.add(cell);
        cell.outputs.changed.connect(this._refresh, this);
      }
    }
    this._refresh();
  }

  _refresh() {
    this._storeStale = true;
    this._schedule();
  }

  _schedule() {
    if (this._scheduled || this._disposed) {
      return;
    }
    this._scheduled = true;
    // A microtask: runs before the browser paints, so raw roles never flash on screen.
    Promise.resolve().then(() => {
      this._scheduled = false;
      if (!this._disposed) {
        this._apply();
      }
    });
  }

  _apply() {
    if (this._storeStale) {
      this._store = collectGlue(this._model);
      this._storeStale = false;
    }
    for (const root of this._panel.content.node.querySelectorAll(RENDERED)) {
      findRoles(root);
      for (const span of root.querySelectorAll('span.bookkit-role[data-bookkit-kind="glue"]')) {
        this._fill(span);
      }
    }
  }

  // Write a glue span only when what it should show has changed (keeps the observer quiet).
  _fill(span) {
    const name = span.dataset.bookkitName;
    const shown = glueDisplay(span.dataset.bookkitRole, this._store.get(name), name);
    const key = `${shown.kind}\u0000${shown.value}`;
    if (span.dataset.bookkitKey === key) {
      return;
    }
    if (shown.kind === 'markdown') {
      const html = this._html.get(shown.value);
      if (html === undefined) {
        this._renderMarkdown(shown.value);
        if (span.dataset.bookkitPending !== key) {
          span.textContent = shown.value;
          span.dataset.bookkitPending = key;
          span.dataset.bookkitState = 'pending';
        }
        return;
      }
      span.innerHTML = html;
    } else {
      span.textContent = shown.value;
    }
    delete span.dataset.bookkitPending;
    span.dataset.bookkitState = shown.kind === 'missing' ? 'missing' : 'value';
    span.classList.toggle('bookkit-role-missing', shown.kind === 'missing');
    span.dataset.bookkitKey = key;
  }

  _renderMarkdown(md) {
    if (this._rendering.has(md)) {
      return;
    }
    this._rendering.add(md);
    renderInline(this._panel.content.rendermime, md)
      .catch(() => escapeHtml(md))
      .then(html => {
        this._html.set(md, html);
        this._rendering.delete(md);
        this._schedule();
      });
  }
}

// In this notebook only (its rendermime is its own clone), Markdown is rendered with "$" literal,
// as in the book: Lab's renderer is wrapped, and gets the source with every "$" escaped.
function dollarsLiteral(rendermime) {
  const MARKDOWN = 'text/markdown';
  const base = rendermime && rendermime.getFactory(MARKDOWN);
  if (!base || base.bookkitDollarsLiteral) {
    return;
  }
  const factory = {
    bookkitDollarsLiteral: true,
    safe: base.safe,
    mimeTypes: [MARKDOWN],
    defaultRank: base.defaultRank,
    createRenderer: options => {
      const renderer = base.createRenderer(options);
      const renderModel = renderer.renderModel.bind(renderer);
      renderer.renderModel = (model, keepExisting) => {
        const source = model.data[MARKDOWN];
        const escaped = literalDollars(Array.isArray(source) ? source.join('') : source);
        if (escaped === source) {
          return renderModel(model, keepExisting);
        }
        return renderModel({
          data: { ...model.data, [MARKDOWN]: escaped },
          metadata: model.metadata,
          trusted: model.trusted,
          setData: options => model.setData(options)
        }, keepExisting);
      };
      return renderer;
    }
  };
  rendermime.addFactory(factory, rendermime.getRank(MARKDOWN));
}

function isNotebookPanel(widget) {
  return Boolean(widget && widget.content && widget.context && widget.content.model &&
    widget.content.model.cells && widget.content.modelChanged && widget.context.ready);
}

const plugin = {
  id: 'bookkit-lab:myst-roles',
  description: 'Shows MyST glue, cite, numref and doc roles of rendered Markdown cells as the book does.',
  autoStart: true,
  activate: app => {
    const attached = new WeakSet();
    const attach = panel => {
      if (!attached.has(panel) && isNotebookPanel(panel)) {
        attached.add(panel);
        dollarsLiteral(panel.content.rendermime);
        new RoleFiller(panel);
      }
    };
    app.docRegistry.addWidgetExtension('Notebook', {
      createNew: panel => {
        attach(panel);
      }
    });
    // Notebooks restored before this plugin was activated.
    app.restored.then(() => {
      for (const widget of app.shell.widgets('main')) {
        attach(widget);
      }
    });
  }
};

export default plugin;
