/* The site's search (generator/search.py builds the index with Pagefind).

   Every page: a search field in the header that opens the search page, tim-kiem.html?q=….
   The search page: runs the query with Pagefind's API, fetching only the index chunks of the
   words typed and the fragments of the results shown.

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
    var phraseFound = true;
    var phraseAt = {};  // page id → [position of the phrase's first word, number of words]

    function load() {
      if (!pagefind) {
        pagefind = import(new URL("pagefind/pagefind.js", ROOT).href).then(function (pf) {
          return pf.options({ baseUrl: ROOT.pathname }).then(function () { return pf; });
        });
      }
      return pagefind;
    }

    /* Pagefind's results for pages with every word of the query (its score ranks them); with
       several words, only the pages where they stand next to each other, in order. Pagefind's
       own phrase search (a query in double quotes) is not used: in 1.5.2 it misses a phrase
       whose word has another spelling on the same page ("mô hình" on a page that also has
       "mở"). Instead each word is searched alone, and its positions on each page (which
       Pagefind returns with every result, without fetching the page) must follow each other.
       A token such as 05-KH/ĐTN is one position, where each of its parts is found. */
    function run(text, id) {
      // Words with a letter or digit (a lone dash or quote is no word).
      var words = text.replace(/"/g, " ").split(/\s+/).filter(function (w) { return /[\p{L}\p{N}]/u.test(w); });
      if (!words.length) return Promise.resolve(id === current ? [] : null);
      var partsOf = words.map(function (w) { return w.split(/[^\p{L}\p{N}]+/u).filter(Boolean); });
      var checked = words.length > 1 || partsOf[0].length > 1;
      return load().then(function (pf) {
        var whole = Promise.all(spellings(words.join(" ")).map(function (s) { return pf.search(s); }));
        var each = !checked ? Promise.resolve([]) : Promise.all(partsOf.map(function (parts) {
          return Promise.all(parts.map(function (part) {
            return Promise.all(spellings(part).map(function (s) { return pf.search(s); }));
          }));
        }));
        return Promise.all([whole, each]);
      }).then(function (r) {
        if (id !== current) return null;
        var best = {};
        r[0].forEach(function (found) {
          (found ? found.results : []).forEach(function (x) {
            if (!best[x.id] || best[x.id].score < x.score) best[x.id] = x;
          });
        });
        var all = Object.keys(best).map(function (k) { return best[k]; });
        all.sort(function (a, b) { return b.score - a.score; });
        if (!checked) return all;
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
          if (where.length) phraseAt[x.id] = [where[0], at.length];
          return where.length > 0;
        });
        phraseFound = phrase.length > 0 || words.length < 2;
        if (phrase.length || words.length < 2) return phrase;
        // No page with the phrase: the pages with every word, said so in the status line.
        return all.filter(function (x) { return at.every(function (pos) { return !!pos[x.id]; }); });
      });
    }

    function render(items) {
      items.forEach(function (d) {
        var li = document.createElement("li");
        li.className = "tk-search-result";
        if (d.exact !== undefined) li.dataset.exact = d.exact ? "1" : "0";
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
      return Promise.all(batch.map(function (r) {
        return r.data().then(function (d) {
          if (phraseAt[r.id]) d.excerpt = phraseExcerpt(d.content || "", phraseAt[r.id]) || d.excerpt;
          return d;
        });
      })).then(function (data) {
        if (id !== current) return;
        if (hasMarks(query)) {
          // Pages with the query's words as typed, marks and all, first (a stable sort).
          var words = exactWords(query.replace(/"/g, ""));
          var exact = function (d) {
            var text = (d.content || "").toLocaleLowerCase("vi").normalize("NFC");
            return words.every(function (w) { return text.indexOf(w) !== -1; }) ? 0 : 1;
          };
          data = data.map(function (d, i) { d.exact = exact(d) === 0; return [exact(d), i, d]; })
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
      phraseFound = true;
      phraseAt = {};
      run(query, id).then(function (found) {
        if (found === null || id !== current) return;
        results = found;
        status.textContent = !found.length ? "Không tìm thấy trang nào có “" + query + "”."
          : phraseFound ? found.length + " trang có “" + query + "”"
          : "Không trang nào có cả cụm “" + query + "”; " + found.length + " trang có đủ các từ:";
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
