/*
 * cxmap data tables: filters and sorting for the pain point and opportunity lists.
 *
 * The tables are complete without this script. It shows the filter form (a
 * <form class="filters" data-table="…" data-count="…">), hides the rows that do not
 * match, says how many are left in the count's live region, sorts by a column when
 * its header button is pressed (aria-sort on the <th>), and keeps the filters and the
 * sort in the address, so a filtered view can be shared.
 *
 * The count's words come from the page, in its language: data-pattern
 * ("{shown} of {total} {rows}"), with data-one or data-many for {rows}.
 *
 * A select named N keeps the rows whose data-N equals its value; "q" keeps the rows
 * that contain every word typed (accents and case ignored). A cell's data-sort-value,
 * when present, is what the column sorts by (ranks for severity and priority).
 */
(function () {
  "use strict";

  var collator = new Intl.Collator(document.documentElement.lang || undefined, {
    numeric: true,
    sensitivity: "base"
  });

  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  function words(text) {
    return fold(text).split(/\s+/).filter(Boolean);
  }

  function setup(form) {
    var table = document.getElementById(form.getAttribute("data-table"));
    var count = document.getElementById(form.getAttribute("data-count"));
    if (!table || !table.tBodies.length || !count) {
      return;
    }
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    var haystacks = rows.map(function (row) {
      return fold(row.textContent.replace(/\s+/g, " "));
    });
    var order = rows.map(function (row, i) {
      return i;
    });
    var selects = Array.prototype.slice.call(form.querySelectorAll("select[name]"));
    var query = form.querySelector("input[name='q']");
    var buttons = Array.prototype.slice.call(table.querySelectorAll("thead button[data-sort]"));
    var one = count.getAttribute("data-one") || "";
    var many = count.getAttribute("data-many") || "";
    var pattern = count.getAttribute("data-pattern") || "{shown} / {total} {rows}";
    var sort = null; // { key, dir }

    function filter() {
      var wanted = selects
        .filter(function (s) {
          return s.value !== "";
        })
        .map(function (s) {
          return [s.name, s.value];
        });
      var terms = query ? words(query.value) : [];
      var shown = 0;
      rows.forEach(function (row, i) {
        var keep =
          wanted.every(function (w) {
            return row.getAttribute("data-" + w[0]) === w[1];
          }) &&
          terms.every(function (t) {
            return haystacks[i].indexOf(t) !== -1;
          });
        row.hidden = !keep;
        if (keep) {
          shown++;
        }
      });
      var text = pattern
        .replace("{shown}", shown)
        .replace("{total}", rows.length)
        .replace("{rows}", rows.length === 1 ? one : many)
        .trim();
      if (count.textContent !== text) {
        count.textContent = text;
      }
    }

    function value(row, column) {
      var cell = row.cells[column];
      if (!cell) {
        return "";
      }
      var v = cell.getAttribute("data-sort-value");
      return v === null ? cell.textContent.trim() : v;
    }

    function compare(a, b) {
      var na = Number(a);
      var nb = Number(b);
      if (a !== "" && b !== "" && !isNaN(na) && !isNaN(nb)) {
        return na - nb;
      }
      return collator.compare(a, b);
    }

    function applySort() {
      buttons.forEach(function (button) {
        var th = button.closest("th");
        if (sort && button.getAttribute("data-sort") === sort.key) {
          th.setAttribute("aria-sort", sort.dir);
        } else {
          th.removeAttribute("aria-sort");
        }
      });
      var sequence = order.slice();
      if (sort) {
        var button = buttons.filter(function (b) {
          return b.getAttribute("data-sort") === sort.key;
        })[0];
        var column = button.closest("th").cellIndex;
        var sign = sort.dir === "descending" ? -1 : 1;
        var keys = rows.map(function (row) {
          return value(row, column);
        });
        sequence.sort(function (i, j) {
          // Ties keep the page's order (journey, stage, step) whatever the direction.
          return sign * compare(keys[i], keys[j]) || i - j;
        });
      }
      var fragment = document.createDocumentFragment();
      sequence.forEach(function (i) {
        fragment.appendChild(rows[i]);
      });
      body.appendChild(fragment);
    }

    function remember() {
      var params = new URLSearchParams(window.location.search);
      selects.forEach(function (s) {
        params.delete(s.name);
        if (s.value !== "") {
          params.set(s.name, s.value);
        }
      });
      if (query) {
        params.delete("q");
        if (query.value.trim() !== "") {
          params.set("q", query.value);
        }
      }
      params.delete("sort");
      params.delete("order");
      if (sort) {
        params.set("sort", sort.key);
        params.set("order", sort.dir === "descending" ? "desc" : "asc");
      }
      var search = params.toString();
      var url = window.location.pathname + (search ? "?" + search : "") + window.location.hash;
      try {
        window.history.replaceState(null, "", url);
      } catch (e) {
        // Some browsers refuse for pages opened from disk; the filters still work.
      }
    }

    // Start from the address: ?journey=…&severity=high&q=…&sort=severity&order=desc
    var params = new URLSearchParams(window.location.search);
    selects.forEach(function (s) {
      var v = params.get(s.name);
      if (v !== null) {
        var known = Array.prototype.some.call(s.options, function (o) {
          return o.value === v;
        });
        if (known) {
          s.value = v;
        }
      }
    });
    if (query && params.has("q")) {
      query.value = params.get("q");
    }
    var sortKey = params.get("sort");
    if (
      sortKey &&
      buttons.some(function (b) {
        return b.getAttribute("data-sort") === sortKey;
      })
    ) {
      sort = { key: sortKey, dir: params.get("order") === "desc" ? "descending" : "ascending" };
    }

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      filter();
      remember();
    });
    form.addEventListener("input", function () {
      filter();
      remember();
    });
    form.addEventListener("change", function () {
      filter();
      remember();
    });
    form.addEventListener("reset", function () {
      // The fields are cleared after this event; filter once they are.
      window.setTimeout(function () {
        filter();
        remember();
      }, 0);
    });
    buttons.forEach(function (button) {
      button.disabled = false;
      button.addEventListener("click", function () {
        var key = button.getAttribute("data-sort");
        var first = button.getAttribute("data-sort-first") || "ascending";
        var dir = first;
        if (sort && sort.key === key) {
          dir = sort.dir === "ascending" ? "descending" : "ascending";
        }
        sort = { key: key, dir: dir };
        applySort();
        remember();
      });
    });

    form.hidden = false;
    if (sort) {
      applySort();
    }
    filter();
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll("form.filters[data-table]"), setup);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
