// MIME renderer for Vega-Lite 6 chart outputs ("application/vnd.vegalite.v6+json").
//
// The chart is drawn with vega-embed, vega and vega-lite bundled into this extension (loaded as a
// separate chunk on the first chart), so nothing is fetched from a CDN or any other host: the
// spec's data must be inline (data.values or datasets), and the loader refuses every URL.
// If drawing fails (a spec vega-lite cannot compile, data that is not inline), the output's
// stored static image (image/svg+xml or image/png) is shown with an error line.
import { Widget } from '@lumino/widgets';

export const MIME_TYPE = 'application/vnd.vegalite.v6+json';

// Lower rank wins. Lab's own ranks: text/html 50, markdown 60, latex 70, image/svg+xml 80,
// image/png 90, text/plain 120. Below 50, so the chart wins over a text/html copy of it too.
export const RANK = 45;

// A vega loader that never touches the network or the file system; data: URIs are allowed
// (image marks with inline images). Every refused URI is added to `refused`.
function offlineLoader(vega, refused) {
  const refuse = uri => {
    refused.push(String(uri));
    return Promise.reject(new Error(`bookkit-lab draws charts offline; refusing to load ${uri}`));
  };
  const base = vega.loader();
  return Object.assign(Object.create(base), {
    load: refuse,
    http: refuse,
    file: refuse,
    sanitize: uri =>
      typeof uri === 'string' && uri.startsWith('data:') ? Promise.resolve({ href: uri }) : refuse(uri)
  });
}

let libraries = null;
function loadLibraries() {
  if (!libraries) {
    libraries = Promise.all([import('vega-embed'), import('vega')]).then(([embed, vega]) => ({
      embed: embed.default,
      vega
    }));
    libraries.catch(() => {
      libraries = null;
    });
  }
  return libraries;
}

function text(value) {
  return Array.isArray(value) ? value.join('') : typeof value === 'string' ? value : '';
}

// The stored static image as an <img> (a data: URI, so an SVG's scripts never run).
function staticImage(data, alt) {
  const svg = text(data['image/svg+xml']);
  const png = text(data['image/png']).replace(/\s+/g, '');
  if (!svg && !png) {
    return null;
  }
  const img = document.createElement('img');
  img.className = 'bookkit-chart-fallback';
  img.alt = alt;
  img.src = svg
    ? `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`
    : `data:image/png;base64,${png}`;
  return img;
}

export class VegaLite6Renderer extends Widget {
  constructor(options) {
    super();
    this._mimeType = options.mimeType;
    this._result = null;
    this.addClass('bookkit-vegalite');
    this.node.dataset.mimeType = this._mimeType;
  }

  async renderModel(model) {
    this._finalize();
    this.node.textContent = '';
    delete this.node.dataset.bookkitChart;
    const data = model.data;
    const spec = data[this._mimeType];
    try {
      if (!spec || typeof spec !== 'object') {
        throw new Error('the output holds no Vega-Lite spec');
      }
      const { embed, vega } = await loadLibraries();
      const host = document.createElement('div');
      host.className = 'bookkit-vegalite-chart';
      this.node.appendChild(host);
      const refused = [];
      this._result = await embed(host, JSON.parse(JSON.stringify(spec)), {
        mode: 'vega-lite',
        renderer: 'svg',
        loader: offlineLoader(vega, refused),
        // Export (PNG/SVG, made in the browser) and the spec's source; no "Open in Vega Editor",
        // which would post the chart to another site.
        actions: { export: true, source: true, compiled: false, editor: false },
        downloadFileName: 'chart'
      });
      if (refused.length) {
        // vega only warns when data fails to load, and would draw an empty chart
        throw new Error(`its data is not inline: ${refused[0]} is not fetched`);
      }
      this.node.dataset.bookkitChart = 'ok';
    } catch (err) {
      this._finalize();
      this.node.textContent = '';
      this._showFallback(data, spec, err);
    }
  }

  _showFallback(data, spec, err) {
    const alt = (spec && typeof spec.description === 'string' && spec.description) ||
      text(data['text/plain']) || 'chart';
    const img = staticImage(data, alt);
    if (img) {
      this.node.appendChild(img);
    }
    const line = document.createElement('div');
    line.className = 'bookkit-chart-error';
    line.setAttribute('role', 'alert');
    const reason = err && err.message ? err.message : String(err);
    line.textContent = `The interactive chart could not be drawn (${reason}); ` +
      (img ? 'showing the stored image.' : 'no stored image either.');
    this.node.appendChild(line);
    this.node.dataset.bookkitChart = 'error';
  }

  _finalize() {
    if (this._result) {
      try {
        this._result.finalize();
      } catch (err) {
        // the view is gone either way
      }
      this._result = null;
    }
  }

  dispose() {
    if (this.isDisposed) {
      return;
    }
    this._finalize();
    super.dispose();
  }
}

export const rendererFactory = {
  safe: true,
  mimeTypes: [MIME_TYPE],
  defaultRank: RANK,
  createRenderer: options => new VegaLite6Renderer(options)
};

const extension = {
  id: 'bookkit-lab:vegalite6',
  description: 'Draws Vega-Lite 6 chart outputs offline with vega-embed.',
  rendererFactory,
  rank: RANK,
  dataType: 'json'
};

export default extension;
