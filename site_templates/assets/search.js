/* The site's search (generator/search.py builds the index with Pagefind).

   Every page: a search field in the header that shows the first results as one types (from the
   third letter) and opens the search page, tim-kiem.html?q=…, on Enter.
   The search page: runs the query with Pagefind's API, fetching only the index chunks of the
   words typed and the fragments of the results shown.
   Both: an outline section's page (every unit's text of that section) is shown with its matches
   unit by unit, each linked at the unit's heading; a draft's page is marked "Bản nháp" and put
   after the final reports' pages.

   What this adds to Pagefind, which already folds diacritics ("giam sat" finds "giám sát") and
   ranks a query typed with marks by its exact words first:
   - "d" also finds "đ": in Vietnamese "đ" only begins a syllable, so each word of the query
     that begins with "d" is also searched with "đ" (at most 16 spellings of a query);
   - several words are a phrase: only pages with the words next to each other, in order
     ("quan triet" finds "quán triệt", never "cơ quan" alone; "Xuân Tín" only where that name
     is written); when no page has the phrase, pages with every word are listed, and said so;
   - among the results shown, pages with the query's exact marks come first. */
(function () {
  "use strict";
  var script = document.currentScript;
  var ROOT = new URL("..", script ? script.src : location.href);  // assets/ is under the root
  var PAGE = new URL("tim-kiem.html", ROOT);
  var MAX_SPELLINGS = 16;
  var BATCH = 10;

  var MIN_LETTERS = 3;  // the header field shows results from the third letter typed
  var HEADER_RESULTS = 5;

  function headerField() {
    var inner = document.querySelector(".md-header__inner");
    if (!inner || inner.querySelector(".tk-header-search")) return;
    var form = document.createElement("form");
    form.className = "tk-header-search";
    form.setAttribute("role", "search");
    form.action = PAGE.href;
    form.method = "get";
    var input = document.createElement("input");
    input.type = "search";
    input.name = "q";
    input.placeholder = "Tìm kiếm";
    input.autocomplete = "off";
    input.setAttribute("aria-label", "Tìm kiếm trên trang");
    input.setAttribute("aria-controls", "tk-header-results");
    form.appendChild(input);
    var panel = document.createElement("div");
    panel.id = "tk-header-results";
    panel.className = "tk-header-results md-typeset";
    panel.hidden = true;
    panel.setAttribute("aria-live", "polite");
    form.appendChild(panel);
    inner.appendChild(form);
    liveResults(form, input, panel);
  }

  /* As one types in the header field, as Material's own search does: from the third letter, the
     first results under the field, and a link to all of them on the search page. */
  function liveResults(form, input, panel) {
    var current = 0;
    var timer = null;
    function close() { panel.hidden = true; panel.dataset.state = "closed"; }
    function show(text) {
      var query = text.normalize("NFC").trim();
      var id = ++current;
      if (query.replace(/[^\p{L}\p{N}]/gu, "").length < MIN_LETTERS) { close(); return; }
      panel.hidden = false;
      panel.dataset.state = "searching";
      panel.innerHTML = "";
      var status = document.createElement("p");
      status.className = "tk-search-status";
      status.textContent = "Đang tìm…";
      panel.appendChild(status);
      find(query).then(function (found) {
        if (id !== current) return null;
        return Promise.all(found.results.slice(0, HEADER_RESULTS).map(function (r) {
          return dataOf(r, found);
        })).then(function (data) {
          if (id !== current) return;
          data = ordered(data, query);
          status.textContent = !found.results.length ? "Không tìm thấy trang nào có “" + query + "”."
            : found.results.length + " trang có “" + query + "”" + (found.phraseFound ? "" : " (đủ các từ, không liền nhau)");
          var list = document.createElement("ol");
          list.className = "tk-search-results";
          panel.appendChild(list);
          renderInto(list, data, 2);
          if (found.results.length) {
            var all = document.createElement("a");
            all.className = "tk-header-results__all";
            var url = new URL(PAGE.href);
            url.searchParams.set("q", query);
            all.href = url.href;
            all.textContent = "Xem tất cả " + found.results.length + " kết quả →";
            panel.appendChild(all);
          }
          panel.dataset.state = "done";
        });
      }).catch(function (e) {
        if (id !== current) return;
        status.textContent = "Không tìm được: " + e;
        panel.dataset.state = "error";
      });
    }
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () { show(input.value); }, 200);
    });
    input.addEventListener("focus", function () {
      // Pagefind's code (about 155 kB) starts loading as the field is tapped, while one types.
      load().catch(function () { pagefind = null; });
      if (panel.dataset.state === "done" && input.value.trim()) panel.hidden = false;
    });
    input.addEventListener("keydown", function (e) { if (e.key === "Escape") close(); });
    document.addEventListener("click", function (e) { if (!form.contains(e.target)) close(); });
  }

  function hasMarks(text) {
    return text.normalize("NFD") !== text.normalize("NFD").replace(/[\u0300-\u036f]/g, "") ||
      /[đĐ]/.test(text);
  }

  /* Every spelling of the query with "đ" for a "d" that begins a word (letters after a space,
     a dash or a slash), as typed first. */
  function spellings(query) {
    var out = [query];
    var re = /(^|[^0-9A-Za-z\u00C0-\u024F\u1E00-\u1EFF])([dD])/g;
    var positions = [];
    var m;
    while ((m = re.exec(query)) !== null) positions.push(m.index + m[1].length);
    positions.forEach(function (pos) {
      var more = [];
      out.forEach(function (s) {
        if (out.length + more.length >= MAX_SPELLINGS) return;
        more.push(s.slice(0, pos) + (s[pos] === "D" ? "Đ" : "đ") + s.slice(pos + 1));
      });
      out = out.concat(more);
    });
    return out;
  }

  function escapeHtml(s) {
    return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
  }

  /* Pagefind's excerpts are the page's text with <mark> around the words found; anything else
     that looks like a tag is shown as text. */
  function excerptHtml(excerpt) {
    return excerpt.split(/(<\/?mark>)/).map(function (part) {
      if (part === "<mark>" || part === "</mark>") return part;
      return escapeHtml(part.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"')
        .replace(/&#39;/g, "'").replace(/&amp;/g, "&"));
    }).join("");
  }

  /* The words around a phrase found at word `at[0]` (Pagefind counts a page's words as its
     text split at white space), the phrase's `at[1]` words marked: Pagefind's own excerpt
     shows where most words of the query are, which for a phrase may be elsewhere. */
  function phraseExcerpt(content, at) {
    var words = content.split(/\s+/).filter(Boolean);
    if (at[0] + at[1] > words.length) return null;
    var from = Math.max(0, at[0] - 12);
    var to = Math.min(words.length, at[0] + at[1] + 18);
    return words.slice(from, to).map(function (w, i) {
      var inPhrase = from + i >= at[0] && from + i < at[0] + at[1];
      return inPhrase ? "<mark>" + w + "</mark>" : w;
    }).join(" ");
  }

  function cleanTitle(t) {
    return (t || "").replace(/¶\s*$/, "").trim();
  }

  function exactWords(query) {
    return query.toLocaleLowerCase("vi").normalize("NFC").split(/\s+/).filter(Boolean);
  }

  /* The index is in bundles (generator/search.py, issue 19): the first in pagefind/, with
     Pagefind's code; the others, and the bundle of the pages changed since, listed in
     pagefind/bundles.json with the pages of the first ones that are out of date ("hidden": their
     new version is in the bundle of changes, or they are gone). Pagefind merges the bundles'
     results into one list by score; each bundle adds a small file and one index chunk a word. */
  var pagefind = null;
  var hidden = {};
  function load() {
    if (!pagefind) {
      pagefind = import(new URL("pagefind/pagefind.js", ROOT).href).then(function (pf) {
        var none = { merge: [], hidden: [] };
        return pf.options({ baseUrl: ROOT.pathname }).then(function () {
          return fetch(new URL("pagefind/bundles.json", ROOT).href, { cache: "no-cache" }).then(function (r) {
            return r.ok ? r.json() : none;
          }, function () { return none; });
        }).then(function (list) {
          hidden = {};
          (list.hidden || []).forEach(function (id) { hidden[id] = true; });
          return Promise.all((list.merge || []).map(function (bundle) {
            return pf.mergeIndex(new URL("pagefind/" + bundle, ROOT).pathname, { baseUrl: ROOT.pathname });
          }));
        }).then(function () { return pf; });
      });
    }
    return pagefind;
  }

  /* One search over every bundle, without the pages that are out of date. */
  function searchAll(pf, text) {
    return pf.search(text).then(function (found) {
      if (found) found.results = found.results.filter(function (x) { return !hidden[x.id]; });
      return found;
    });
  }

  /* Pagefind's results for pages with every word of the query (its score ranks them); with
     several words, only the pages where they stand next to each other, in order. Pagefind's
     own phrase search (a query in double quotes) is not used: in 1.5.2 it misses a phrase
     whose word has another spelling on the same page ("mô hình" on a page that also has
     "mở"). Instead each word is searched alone, and its positions on each page (which
     Pagefind returns with every result, without fetching the page) must follow each other.
     A token such as 05-KH/ĐTN is one position, where each of its parts is found.
     Resolves to {results, phraseFound, phraseAt: page id → [first word, number of words]}. */
  function find(text) {
    var phraseAt = {};
    var done = function (results, phraseFound) {
      return { results: results, phraseFound: phraseFound, phraseAt: phraseAt };
    };
    // Words with a letter or digit (a lone dash or quote is no word).
    var words = text.replace(/"/g, " ").split(/\s+/).filter(function (w) { return /[\p{L}\p{N}]/u.test(w); });
    if (!words.length) return Promise.resolve(done([], true));
    var partsOf = words.map(function (w) { return w.split(/[^\p{L}\p{N}]+/u).filter(Boolean); });
    var checked = words.length > 1 || partsOf[0].length > 1;
    return load().then(function (pf) {
      var whole = Promise.all(spellings(words.join(" ")).map(function (s) { return searchAll(pf, s); }));
      var each = !checked ? Promise.resolve([]) : Promise.all(partsOf.map(function (parts) {
        return Promise.all(parts.map(function (part) {
          return Promise.all(spellings(part).map(function (s) { return searchAll(pf, s); }));
        }));
      }));
      return Promise.all([whole, each]);
    }).then(function (r) {
      var best = {};
      r[0].forEach(function (found) {
        (found ? found.results : []).forEach(function (x) {
          if (!best[x.id] || best[x.id].score < x.score) best[x.id] = x;
        });
      });
      var all = Object.keys(best).map(function (k) { return best[k]; });
      all.sort(function (a, b) { return b.score - a.score; });
      if (!checked) return done(all, true);
      // at[i][page id] = {position: true} of word i: where each of its parts is (any spelling).
      var at = r[1].map(function (parts) {
        var perPart = parts.map(function (perSpelling) {
          var pos = {};
          perSpelling.forEach(function (found) {
            (found ? found.results : []).forEach(function (x) {
              var set = pos[x.id] || (pos[x.id] = {});
              x.words.forEach(function (p) { set[p] = true; });
            });
          });
          return pos;
        });
        var out = {};
        Object.keys(perPart[0]).forEach(function (page) {
          Object.keys(perPart[0][page]).forEach(function (p) {
            if (perPart.every(function (pos) { return pos[page] && pos[page][p]; })) {
              (out[page] || (out[page] = {}))[p] = true;
            }
          });
        });
        return out;
      });
      var phrase = all.filter(function (x) {
        var first = at[0][x.id];
        var where = !first ? [] : Object.keys(first).map(Number).sort(function (a, b) { return a - b; })
          .filter(function (p) {
            return at.every(function (pos, i) { return pos[x.id] && pos[x.id][p + i]; });
          });
        if (where.length) phraseAt[x.id] = [where[0], at.length, where];
        return where.length > 0;
      });
      if (phrase.length || words.length < 2) return done(phrase, true);
      // No page with the phrase: the pages with every word, said so in the status line.
      return done(all.filter(function (x) { return at.every(function (pos) { return !!pos[x.id]; }); }), false);
    });
  }

  /* A result's page data: its excerpt around the phrase found, when the query was one. */
  function dataOf(r, found) {
    return r.data().then(function (d) {
      var at = found.phraseAt[r.id];
      if (at) {
        d.excerpt = phraseExcerpt(d.content || "", at) || d.excerpt;
        d.phraseWhere = at[2].map(function (w) { return [w, at[1]]; });
      }
      return d;
    });
  }

  /* Within the results shown: pages with the query's words as typed, marks and all, first (when
     typed with marks); then a draft's page after the final ones. The sort is stable. */
  function ordered(data, query) {
    var words = exactWords(query.replace(/"/g, ""));
    var marks = hasMarks(query);
    return data.map(function (d, i) {
      var text = (d.content || "").toLocaleLowerCase("vi").normalize("NFC");
      if (marks) d.exact = words.every(function (w) { return text.indexOf(w) !== -1; });
      return [marks && !d.exact ? 1 : 0, d.meta && d.meta.draft ? 1 : 0, i, d];
    }).sort(function (a, b) { return a[0] - b[0] || a[1] - b[1] || a[2] - b[2]; })
      .map(function (x) { return x[3]; });
  }

  /* The parts of a result to link to. A page compiling every unit (an outline section) gives its
     matches unit by unit: each at the heading of the unit (the h2) it is under, so "giam sat"
     leads to muc-3-2-3.html#<unit>. Other pages: Pagefind's own sub-results. */
  function partsOf(d) {
    var subs = (d.sub_results || []).filter(function (s) { return s.url !== d.url; });
    if (!(d.meta && d.meta.compiled)) return { list: subs, more: 0 };
    var units = (d.anchors || []).filter(function (a) { return a.element === "h2" && a.id; });
    var byUnit = [];
    var seen = {};
    function add(at, excerpt) {
      var unit = null;
      units.forEach(function (a) { if (a.location <= at) unit = a; });
      if (!unit || seen[unit.id]) return;
      seen[unit.id] = true;
      byUnit.push({ url: d.url.split("#")[0] + "#" + unit.id, title: unit.text, excerpt: excerpt, unit: unit.id });
    }
    if (d.phraseWhere) {
      // Each place the phrase stands, under its unit, with the words around it.
      d.phraseWhere.forEach(function (w) { add(w[0], phraseExcerpt(d.content || "", w) || ""); });
    } else {
      (d.sub_results || []).forEach(function (s) {
        add(s.locations && s.locations.length ? s.locations[0] : (s.anchor ? s.anchor.location : -1), s.excerpt);
      });
    }
    return { list: byUnit, more: 0 };
  }

  function renderInto(list, items, maxParts) {
    items.forEach(function (d) {
      var li = document.createElement("li");
      li.className = "tk-search-result";
      if (d.exact !== undefined) li.dataset.exact = d.exact ? "1" : "0";
      if (d.meta && d.meta.draft) li.dataset.draft = "1";
      if (d.meta && d.meta.compiled) li.dataset.compiled = "1";
      var a = document.createElement("a");
      a.href = d.url;
      a.className = "tk-search-result__title";
      a.textContent = cleanTitle(d.meta && d.meta.title) || d.url;
      li.appendChild(a);
      if (d.meta && d.meta.draft) {
        var badge = document.createElement("span");
        badge.className = "badge badge--draft tk-search-result__draft";
        badge.textContent = "Bản nháp";
        li.appendChild(document.createTextNode(" "));
        li.appendChild(badge);
      }
      var p = document.createElement("p");
      p.className = "tk-search-result__excerpt";
      p.innerHTML = excerptHtml(d.excerpt || "");
      li.appendChild(p);
      var parts = partsOf(d);
      var subs = parts.list.slice(0, d.meta && d.meta.compiled && maxParts >= 3 ? maxParts + 2 : maxParts);
      if (subs.length) {
        var ul = document.createElement("ul");
        ul.className = "tk-search-result__parts";
        subs.forEach(function (s) {
          var sl = document.createElement("li");
          var sa = document.createElement("a");
          sa.href = s.url;
          sa.textContent = cleanTitle(s.title);
          if (s.unit) sa.dataset.unit = s.unit;
          sl.appendChild(sa);
          var sp = document.createElement("span");
          sp.innerHTML = " — " + excerptHtml(s.excerpt || "");
          sl.appendChild(sp);
          ul.appendChild(sl);
        });
        if (parts.list.length > subs.length) {
          var rest = document.createElement("li");
          rest.className = "tk-search-result__more";
          rest.textContent = "… và " + (parts.list.length - subs.length) + (d.meta && d.meta.compiled ? " đơn vị khác" : " chỗ khác") + " trên trang này";
          ul.appendChild(rest);
        }
        li.appendChild(ul);
      }
      list.appendChild(li);
    });
  }

  function searchPage(form) {
    var input = document.getElementById("tk-search-input");
    var status = document.getElementById("tk-search-status");
    var list = document.getElementById("tk-search-results");
    var more = document.getElementById("tk-search-more");
    var current = 0;  // the number of the latest search: an older one that ends later is dropped
    var found = null;
    var shown = 0;
    var query = "";

    function showMore(id) {
      var batch = found.results.slice(shown, shown + BATCH);
      shown += batch.length;
      more.hidden = true;
      return Promise.all(batch.map(function (r) { return dataOf(r, found); })).then(function (data) {
        if (id !== current) return;
        renderInto(list, ordered(data, query), 3);
        more.hidden = shown >= found.results.length;
        status.dataset.state = "done";
      });
    }

    function start(text) {
      query = text.normalize("NFC").trim();
      var id = ++current;
      list.innerHTML = "";
      more.hidden = true;
      found = null;
      shown = 0;
      if (!query) {
        status.textContent = "";
        status.dataset.state = "empty";
        return;
      }
      status.dataset.state = "searching";
      status.textContent = "Đang tìm…";
      find(query).then(function (f) {
        if (id !== current) return;
        found = f;
        var n = f.results.length;
        status.textContent = !n ? "Không tìm thấy trang nào có “" + query + "”."
          : f.phraseFound ? n + " trang có “" + query + "”"
          : "Không trang nào có cả cụm “" + query + "”; " + n + " trang có đủ các từ:";
        if (!n) { status.dataset.state = "done"; return; }
        return showMore(id);
      }).catch(function (e) {
        status.dataset.state = "error";
        status.textContent = "Không tìm được: " + e;
      });
    }

    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      var url = new URL(location.href);
      url.searchParams.set("q", input.value);
      history.replaceState(null, "", url.href);
      start(input.value);
    });
    var timer = null;
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () { start(input.value); }, 250);
    });
    more.addEventListener("click", function () { showMore(current); });
    var q = new URL(location.href).searchParams.get("q") || "";
    input.value = q;
    status.dataset.state = "ready";
    if (q) start(q);
    else input.focus();
  }

  function init() {
    headerField();
    var form = document.getElementById("tk-search-form");
    if (form && !form.dataset.ready) {
      form.dataset.ready = "1";
      searchPage(form);
    }
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
  if (window.document$ && window.document$.subscribe) window.document$.subscribe(init);
})();
