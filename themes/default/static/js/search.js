/*
 * cxmap search page: runs the query in the search box against the index cxmap wrote at
 * build time (search/index.json), with elasticlunr.js (assets/js/elasticlunr.min.js).
 *
 * Nothing is fetched from another host. The page works without this script: it then
 * says that search needs JavaScript. The site root comes from the form's data-root
 * attribute, so every URL stays relative and the site works under any sub-path. Opened
 * from disk (file:), where a browser will not fetch a file, the same index is loaded
 * as a script (search/index.js).
 *
 * Every word it says comes from the form's data-* attributes, written by the page in
 * its language (data-prompt, data-results-one…), with `{query}`, `{count}` and
 * `{limit}` filled in here.
 */
(function () {
  "use strict";

  var form = document.getElementById("search-form");
  var input = document.getElementById("search-input");
  var list = document.getElementById("search-results");
  var status = document.getElementById("search-status");
  if (!form || !input || !list || !status) return;

  var root = form.getAttribute("data-root") || "";

  /* A sentence of the page's language, from the form's data-<name>, filled in. */
  function text(name, values) {
    var out = form.getAttribute("data-" + name) || "";
    Object.keys(values || {}).forEach(function (key) {
      out = out.split("{" + key + "}").join(String(values[key]));
    });
    return out;
  }
  var LIMIT = 50;
  var DELAY = 200;
  // A word matches as a prefix (expand) in any field; the title counts most.
  var CONFIG = {
    fields: { title: { boost: 3 }, context: { boost: 1 }, body: { boost: 1 } },
    bool: "OR",
    expand: true
  };

  var data = null;
  var index = null;
  var timer = null;
  var shown = null;
  var baseTitle = document.title;

  var nojs = document.getElementById("search-nojs");
  if (nojs) nojs.hidden = true;
  if (typeof elasticlunr === "undefined") {
    say(text("no-script"));
    return;
  }

  /* Latin letters without accents, as the index was built (`María` → `maria`). */
  var FOLD = { "ß": "ss", "æ": "ae", "Æ": "AE", "ø": "o", "Ø": "O", "œ": "oe", "Œ": "OE",
    "ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "ð": "d", "Ð": "D", "þ": "th", "Þ": "TH", "ı": "i" };
  function fold(text) {
    return text
      .normalize("NFD")
      .replace(/[\u0300-\u036f]/g, "")
      .replace(/[\u2018\u2019]/g, "'")
      .replace(/[ßæÆøØœŒłŁđĐðÐþÞı]/g, function (c) { return FOLD[c]; });
  }

  function say(text) {
    status.textContent = text;
  }

  function query() {
    return input.value.trim();
  }

  /* The words of a query that the index can match: not stop words or punctuation. The
     index's pipeline drops English stop words; other languages list theirs beside it. */
  function words(q) {
    var stop = (data && data.stop_words) || [];
    return elasticlunr.tokenizer(fold(q)).map(function (word) {
      /* The index keeps the first 40 characters of a word (MAX_WORD in search.rs). */
      return word.slice(0, 40);
    }).filter(function (word) {
      return stop.indexOf(word) < 0 && index.pipeline.run([word]).length > 0;
    });
  }

  /* Every word must match somewhere (in any field); scores add up. */
  function search(q) {
    var scores = null;
    words(q).forEach(function (word) {
      var found = {};
      index.search(word, CONFIG).forEach(function (r) { found[r.ref] = r.score; });
      if (scores === null) {
        scores = found;
        return;
      }
      Object.keys(scores).forEach(function (ref) {
        if (ref in found) scores[ref] += found[ref];
        else delete scores[ref];
      });
    });
    if (scores === null) return [];
    return Object.keys(scores)
      .map(function (ref) { return { ref: ref, score: scores[ref] }; })
      .sort(function (a, b) { return b.score - a.score || a.ref - b.ref; });
  }

  /* The query's words, for <mark>; null when the browser lacks Unicode regexps. */
  function marker(q) {
    var words = q.split(/[\s\-]+/).filter(function (w) { return w.length > 1; });
    if (!words.length) return null;
    var alternatives = words
      .map(function (w) { return w.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"); })
      .join("|");
    try {
      return new RegExp("(?<![\\p{L}\\p{N}])(" + alternatives + ")", "giu");
    } catch (e) {
      return null;
    }
  }

  /* Appends text to el, with the words matched by re wrapped in <mark>. */
  function appendMarked(el, text, re) {
    if (!re) {
      el.appendChild(document.createTextNode(text));
      return;
    }
    var parts = text.split(re);
    parts.forEach(function (part, i) {
      if (!part) return;
      if (i % 2 === 1) {
        var mark = document.createElement("mark");
        mark.textContent = part;
        el.appendChild(mark);
      } else {
        el.appendChild(document.createTextNode(part));
      }
    });
  }

  function render(q, results) {
    var re = marker(q);
    var items = document.createDocumentFragment();
    results.slice(0, LIMIT).forEach(function (r) {
      var doc = data.docs[r.ref];
      if (!doc) return;
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = root + doc.url;
      appendMarked(a, doc.title, re);
      var kind = document.createElement("span");
      kind.className = "search-kind";
      kind.textContent = text("kind-" + doc.kind) || doc.kind;
      var p = document.createElement("p");
      if (doc.context) {
        var context = document.createElement("span");
        context.className = "search-context";
        context.textContent = doc.context;
        p.appendChild(context);
        if (doc.excerpt) p.appendChild(document.createTextNode(" · "));
      }
      appendMarked(p, doc.excerpt, re);
      li.appendChild(a);
      li.appendChild(document.createTextNode(" "));
      li.appendChild(kind);
      li.appendChild(p);
      items.appendChild(li);
    });
    list.textContent = "";
    list.appendChild(items);
  }

  function run() {
    clearTimeout(timer);
    timer = null;
    var q = query();
    if (!index || q === shown) return;
    shown = q;
    remember(q);
    if (!q) {
      list.textContent = "";
      say(text("prompt"));
      return;
    }
    var results = search(q);
    render(q, results);
    var said = { query: text("quoted", { query: q }), count: results.length, limit: LIMIT };
    if (!words(q).length) {
      say(text("too-common", said));
    } else if (!results.length) {
      say(text("no-results", said));
    } else if (results.length > LIMIT) {
      say(text("results-more", said));
    } else {
      say(text(results.length === 1 ? "results-one" : "results-other", said));
    }
  }

  /* Keeps ?q= in the address, so reload, back and a shared link show the same. */
  function remember(q) {
    document.title = q ? q + " · " + baseTitle : baseTitle;
    try {
      var url = q ? "?q=" + encodeURIComponent(q) : location.pathname;
      history.replaceState(null, "", url);
    } catch (e) {
      // Some browsers refuse this for pages opened from disk; the search still works.
    }
  }

  function links() {
    return Array.prototype.slice.call(list.querySelectorAll("a"));
  }

  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(run, DELAY);
  });

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    shown = null;
    run();
  });

  /* Arrow keys move between the box and the results; Escape goes back to the box. */
  input.addEventListener("keydown", function (event) {
    if (event.key === "ArrowDown") {
      var first = links()[0];
      if (first) {
        event.preventDefault();
        first.focus();
      }
    }
  });

  list.addEventListener("keydown", function (event) {
    var all = links();
    var at = all.indexOf(document.activeElement);
    if (at < 0) return;
    if (event.key === "ArrowDown" && at + 1 < all.length) {
      event.preventDefault();
      all[at + 1].focus();
    } else if (event.key === "ArrowUp") {
      event.preventDefault();
      if (at > 0) all[at - 1].focus();
      else input.focus();
    } else if (event.key === "Escape") {
      event.preventDefault();
      input.focus();
    }
  });

  function ready(loaded) {
    if (!loaded || !loaded.index || !loaded.docs) {
      failed();
      return;
    }
    data = loaded;
    index = elasticlunr.Index.load(loaded.index);
    shown = null;
    run();
  }

  function failed() {
    say(text("failed"));
  }

  function load() {
    if (location.protocol === "file:") {
      var script = document.createElement("script");
      script.src = root + "search/index.js";
      script.onload = function () { ready(window.cxmapSearchIndex); };
      script.onerror = failed;
      document.head.appendChild(script);
      return;
    }
    fetch(root + "search/index.json")
      .then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.json();
      })
      .then(ready, failed);
  }

  var initial = new URLSearchParams(location.search).get("q");
  if (initial) input.value = initial;
  say(text("loading"));
  load();
})();
