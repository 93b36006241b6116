/* The site's search (generator/search.py builds the index with Pagefind).

   Every page: a search field in the header that opens the search page, tim-kiem.html?q=….
   The search page: runs the query with Pagefind's API, fetching only the index chunks of the
   words typed and the fragments of the results shown.

   What this adds to Pagefind, which already folds diacritics ("giam sat" finds "giám sát") and
   ranks a query typed with marks by its exact words first:
   - "d" also finds "đ": in Vietnamese "đ" only begins a syllable, so each word of the query
     that begins with "d" is also searched with "đ" (at most 16 spellings of a query);
   - several words are a phrase first: only pages with the words next to each other, in order
     ("quan triet" finds "quán triệt", never "cơ quan" alone; "Xuân Tín" only where that name
     is written); when no page has the phrase, pages with every word are listed;
   - among the results shown, pages with the query's exact marks come first. */
(function () {
  "use strict";
  var script = document.currentScript;
  var ROOT = new URL("..", script ? script.src : location.href);  // assets/ is under the root
  var PAGE = new URL("tim-kiem.html", ROOT);
  var MAX_SPELLINGS = 16;
  var BATCH = 10;

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
    input.setAttribute("aria-label", "Tìm kiếm trên trang");
    form.appendChild(input);
    inner.appendChild(form);
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

  function cleanTitle(t) {
    return (t || "").replace(/¶\s*$/, "").trim();
  }

  function exactWords(query) {
    return query.toLocaleLowerCase("vi").normalize("NFC").split(/\s+/).filter(Boolean);
  }

  function searchPage(form) {
    var input = document.getElementById("tk-search-input");
    var status = document.getElementById("tk-search-status");
    var list = document.getElementById("tk-search-results");
    var more = document.getElementById("tk-search-more");
    var pagefind = null;
    var current = 0;  // the number of the latest search: an older one that ends later is dropped
    var results = [];
    var shown = 0;
    var query = "";

    function load() {
      if (!pagefind) {
        pagefind = import(new URL("pagefind/pagefind.js", ROOT).href).then(function (pf) {
          return pf.options({ baseUrl: ROOT.pathname }).then(function () { return pf; });
        });
      }
      return pagefind;
    }

    /* Results of one spelling: a phrase first when it has several words; then pages with every
       word. Each result keeps its score from the search by words. */
    function one(pf, text) {
      var words = pf.search(text);
      var quoted = /"/.test(text) || text.trim().split(/\s+/).length < 2 ? null
        : pf.search('"' + text.trim() + '"');
      return Promise.all([words, quoted]).then(function (r) {
        var byWords = r[0] ? r[0].results : [];
        if (!r[1]) return { phrase: null, words: byWords };
        return { phrase: r[1].results, words: byWords };
      });
    }

    function run(text, id) {
      return load().then(function (pf) {
        return Promise.all(spellings(text).map(function (s) { return one(pf, s); }));
      }).then(function (all) {
        var phraseIds = {};
        var anyPhrase = false;
        all.forEach(function (r) {
          (r.phrase || []).forEach(function (x) { phraseIds[x.id] = x; anyPhrase = true; });
        });
        var best = {};
        all.forEach(function (r) {
          r.words.forEach(function (x) {
            if (anyPhrase && !phraseIds[x.id]) return;
            if (!best[x.id] || best[x.id].score < x.score) best[x.id] = x;
          });
        });
        // A phrase result the search by words did not return (it should not happen) still counts.
        Object.keys(phraseIds).forEach(function (k) { if (!best[k]) best[k] = phraseIds[k]; });
        var list = Object.keys(best).map(function (k) { return best[k]; });
        list.sort(function (a, b) { return b.score - a.score; });
        if (id !== current) return null;
        return list;
      });
    }

    function render(items) {
      items.forEach(function (d) {
        var li = document.createElement("li");
        li.className = "tk-search-result";
        var a = document.createElement("a");
        a.href = d.url;
        a.className = "tk-search-result__title";
        a.textContent = cleanTitle(d.meta && d.meta.title) || d.url;
        li.appendChild(a);
        var p = document.createElement("p");
        p.className = "tk-search-result__excerpt";
        p.innerHTML = excerptHtml(d.excerpt || "");
        li.appendChild(p);
        var subs = (d.sub_results || []).filter(function (s) { return s.url !== d.url; }).slice(0, 3);
        if (subs.length) {
          var ul = document.createElement("ul");
          subs.forEach(function (s) {
            var sl = document.createElement("li");
            var sa = document.createElement("a");
            sa.href = s.url;
            sa.textContent = cleanTitle(s.title);
            sl.appendChild(sa);
            var sp = document.createElement("span");
            sp.innerHTML = " — " + excerptHtml(s.excerpt || "");
            sl.appendChild(sp);
            ul.appendChild(sl);
          });
          li.appendChild(ul);
        }
        list.appendChild(li);
      });
    }

    function showMore(id) {
      var batch = results.slice(shown, shown + BATCH);
      shown += batch.length;
      more.hidden = true;
      return Promise.all(batch.map(function (r) { return r.data(); })).then(function (data) {
        if (id !== current) return;
        if (hasMarks(query)) {
          // Pages with the query's words as typed, marks and all, first (a stable sort).
          var words = exactWords(query.replace(/"/g, ""));
          var exact = function (d) {
            var text = (d.content || "").toLocaleLowerCase("vi").normalize("NFC");
            return words.every(function (w) { return text.indexOf(w) !== -1; }) ? 0 : 1;
          };
          data = data.map(function (d, i) { return [exact(d), i, d]; })
            .sort(function (a, b) { return a[0] - b[0] || a[1] - b[1]; })
            .map(function (x) { return x[2]; });
        }
        render(data);
        more.hidden = shown >= results.length;
        status.dataset.state = "done";
      });
    }

    function start(text) {
      query = text.normalize("NFC").trim();
      var id = ++current;
      list.innerHTML = "";
      more.hidden = true;
      results = [];
      shown = 0;
      if (!query) {
        status.textContent = "";
        status.dataset.state = "empty";
        return;
      }
      status.dataset.state = "searching";
      status.textContent = "Đang tìm…";
      run(query, id).then(function (found) {
        if (found === null || id !== current) return;
        results = found;
        status.textContent = found.length
          ? found.length + " trang có “" + query + "”"
          : "Không tìm thấy trang nào có “" + query + "”.";
        if (!found.length) { status.dataset.state = "done"; return; }
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
