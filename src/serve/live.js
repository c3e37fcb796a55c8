// cxmap serve: reloads this page when its file changes, swaps stylesheets in place,
// and shows the build's errors over the page until they are fixed. Served only by
// `cxmap serve`; never part of a built site. The overlay's words come from the script
// element (data-title, data-hide, data-hint), in the page's language.
(function () {
  'use strict';
  if (!window.EventSource) return;
  var me = document.currentScript;
  var path = (me && me.dataset.path) || '';
  var version = Number((me && me.dataset.version) || 0);
  var words = (me && me.dataset) || {};
  var overlay = null;

  function rootPath(href) {
    try {
      var u = new URL(href, location.href);
      if (u.origin !== location.origin) return null;
      var p = decodeURIComponent(u.pathname).replace(/^\//, '');
      return p === '' || p.endsWith('/') ? p + 'index.html' : p;
    } catch (e) {
      return null;
    }
  }

  function swapStyles(styles, v) {
    var links = document.querySelectorAll('link[rel~="stylesheet"]');
    for (var i = 0; i < links.length; i++) {
      var link = links[i];
      var p = rootPath(link.getAttribute('href'));
      if (p && styles.indexOf(p) !== -1) {
        var u = new URL(link.href);
        u.searchParams.set('cxmap', String(v));
        link.href = u.toString();
      }
    }
  }

  function showErrors(text) {
    if (!overlay) {
      overlay = document.createElement('div');
      overlay.id = 'cxmap-overlay';
      overlay.setAttribute('role', 'alert');
      var s = overlay.style;
      s.position = 'fixed';
      s.inset = '0';
      s.zIndex = '2147483647';
      s.overflow = 'auto';
      s.background = 'rgba(20, 20, 24, 0.94)';
      s.color = '#fff';
      s.padding = '1.5rem';
      s.font = '15px/1.45 system-ui, sans-serif';
      var h = document.createElement('h2');
      h.textContent = words.title || '';
      h.style.margin = '0 0 0.75rem';
      h.style.fontSize = '1.2rem';
      h.style.color = '#ffb4a8';
      var close = document.createElement('button');
      close.type = 'button';
      close.textContent = words.hide || '×';
      close.style.float = 'right';
      close.style.font = 'inherit';
      close.addEventListener('click', function () {
        overlay.hidden = true;
      });
      var pre = document.createElement('pre');
      // The site's theme styles `pre` (a light background in the default theme); the
      // overlay's own colours win, or the errors are white on near-white.
      var ps = pre.style;
      ps.setProperty('white-space', 'pre-wrap', 'important');
      ps.setProperty('font', '14px/1.4 ui-monospace, monospace', 'important');
      ps.setProperty('margin', '0', 'important');
      ps.setProperty('padding', '0', 'important');
      ps.setProperty('border', '0', 'important');
      ps.setProperty('background', 'transparent', 'important');
      ps.setProperty('color', '#fff', 'important');
      var hint = document.createElement('p');
      hint.textContent = words.hint || '';
      overlay.appendChild(close);
      overlay.appendChild(h);
      overlay.appendChild(pre);
      overlay.appendChild(hint);
      document.body.appendChild(overlay);
    }
    overlay.querySelector('pre').textContent = text;
    overlay.hidden = false;
  }

  function clearErrors() {
    if (overlay) {
      overlay.remove();
      overlay = null;
    }
  }

  var source = new EventSource('/__cxmap/events');
  source.addEventListener('hello', function (e) {
    var d = JSON.parse(e.data);
    // A build finished between serving this page and connecting.
    if (d.version !== version && version !== 0) location.reload();
  });
  source.addEventListener('errors', function (e) {
    showErrors(JSON.parse(e.data).text);
  });
  source.addEventListener('change', function (e) {
    var d = JSON.parse(e.data);
    clearErrors();
    var reload =
      d.pages.indexOf(path) !== -1 ||
      (path === '404.html' && d.pages.length > 0) ||
      d.other.some(function (p) {
        return /\.(js|png|jpe?g|gif|webp|avif|svg|woff2?|otf|ttf)$/.test(p) && !/\/map\.svg$/.test(p);
      });
    if (reload) {
      location.reload();
      return;
    }
    if (d.styles.length) swapStyles(d.styles, d.version);
    version = d.version;
  });
})();
