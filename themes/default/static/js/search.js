/*
 * cxmap search page: runs the query in the search box against the index cxmap wrote at
 * build time (search/index.js, loaded as a script, so a site opened from disk searches
 * too). Query words go through the same elasticlunr.js functions (tokenizer, trimmer,
 * stop words, stemmer; assets/js/elasticlunr.min.js) that the index's words went
 * through at build time.
 *
 * The index lists every word, sorted, with the documents that hold it and a weight (a
 * title match weighs more); a word of the query matches every indexed word it starts,
 * an exact match counting most, and rarer words count more than common ones.
 *
 * Nothing is fetched from another host. The page works without this script: it then
 * says that search needs JavaScript. The site root comes from the form's data-root
 * attribute, so every URL stays relative and the site works under any sub-path.
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
  // A longer indexed word that a query word only starts counts this much.
  var PREFIX = 0.5;

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
    var out = [];
    elasticlunr.tokenizer(fold(q)).forEach(function (word) {
      /* The index keeps the first 40 characters of a word (MAX_WORD in search.rs). */
      word = word.slice(0, 40);
      if (stop.indexOf(word) >= 0) return;
      index.pipeline.run([word]).forEach(function (w) {
        if (w && stop.indexOf(w) < 0) out.push(w);
      });
    });
    return out;
  }

  /* The first indexed word not before `word` (the words are sorted). */
  function firstFrom(word) {
    var lo = 0;
    var hi = index.words.length;
    while (lo < hi) {
      var mid = (lo + hi) >> 1;
      if (index.words[mid] < word) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /* Adds the documents of a postings list ([delta, weight…]) to found, each weight
     times `factor`; `each` turns an id into documents. */
  function addPostings(list, factor, found, each) {
    var id = 0;
    for (var k = 0; k < list.length; k += 2) {
      id += list[k];
      each(id, list[k + 1] * factor);
    }
  }

  /* Score by document for one query word: every indexed word it starts. */
  function scoresFor(word) {
    var found = {};
    var add = function (doc, score) { found[doc] = (found[doc] || 0) + score; };
    var byContext = function (target, score) {
      index.byTarget[target].forEach(function (doc) { add(doc, score); });
    };
    var n = index.docs.length;
    for (var i = firstFrom(word); i < index.words.length; i++) {
      var w = index.words[i];
      if (w.lastIndexOf(word, 0) !== 0) break;
      var postings = index.postings[i];
      var context = index.context[i];
      var df = postings.length / 2 + context.length / 2;
      var factor = Math.log(1 + n / df) * (w === word ? 1 : PREFIX);
      addPostings(postings, factor, found, add);
      addPostings(context, factor, found, byContext);
    }
    return found;
  }

  /* Every word must match somewhere (in any field); scores add up. */
  function search(q) {
    var scores = null;
    words(q).forEach(function (word) {
      var found = scoresFor(word);
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
      .map(function (ref) { return { ref: Number(ref), score: scores[ref] }; })
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
      var doc = documentAt(r.ref);
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

  /* What a result shows: docs are [kind, title, excerpt, target], targets [url, context]. */
  function documentAt(ref) {
    var row = index.docs[ref];
    if (!row) return null;
    var target = index.targets[row[3]] || ["", ""];
    return {
      kind: data.kinds[row[0]],
      title: row[1],
      excerpt: row[2],
      url: target[0],
      context: target[1]
    };
  }

  function ready(loaded) {
    if (!loaded || loaded.version !== 2 || !loaded.docs || !loaded.words) {
      failed();
      return;
    }
    data = loaded;
    var byTarget = loaded.targets.map(function () { return []; });
    loaded.docs.forEach(function (row, i) { byTarget[row[3]].push(i); });
    index = {
      pipeline: elasticlunr.Pipeline.load(loaded.pipeline),
      docs: loaded.docs,
      targets: loaded.targets,
      words: loaded.words,
      postings: loaded.postings,
      context: loaded.context,
      byTarget: byTarget
    };
    shown = null;
    run();
  }

  function failed() {
    say(text("failed"));
  }

  /* A script element, not fetch(): a browser runs it from a server and from disk. */
  function load() {
    var script = document.createElement("script");
    script.src = root + "search/index.js";
    script.onload = function () { ready(window.cxmapSearchIndex); };
    script.onerror = failed;
    document.head.appendChild(script);
  }

  var initial = new URLSearchParams(location.search).get("q");
  if (initial) input.value = initial;
  say(text("loading"));
  load();
})();
