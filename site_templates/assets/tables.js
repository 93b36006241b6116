/* Wide tables and charts scroll inside their own box. Say so where one is wider than the
   screen, above the box; on a wide screen, where nothing overflows, say nothing. */
(function () {
  "use strict";
  var HINT = "Bảng rộng: vuốt hoặc kéo sang ngang để xem hết →";
  function mark(box) {
    var wide = box.scrollWidth > box.clientWidth + 1;
    var hint = box.previousElementSibling;
    var has = hint && hint.classList.contains("scroll-hint");
    if (wide && !has) {
      hint = document.createElement("p");
      hint.className = "scroll-hint";
      hint.textContent = box.classList.contains("chart-scroll") ? "Biểu đồ rộng: vuốt sang ngang để xem hết →" : HINT;
      box.parentNode.insertBefore(hint, box);
    } else if (!wide && has) {
      hint.parentNode.removeChild(hint);
    }
  }
  /* A chart too long to read on a phone shows its table first there (site.css), open. */
  var phone = window.matchMedia ? window.matchMedia("(max-width: 44.9375em)") : null;
  function tableFirst() {
    if (!phone || !phone.matches) return;
    Array.prototype.forEach.call(document.querySelectorAll(".chart-block--table-first > details.chart-data"),
      function (d) { d.open = true; });
  }
  function all() {
    Array.prototype.forEach.call(document.querySelectorAll(".table-wrap, .chart-scroll"), mark);
    tableFirst();
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", all);
  else all();
  window.addEventListener("resize", all);
  // Material's instant navigation swaps the page without a new load.
  if (window.document$ && window.document$.subscribe) window.document$.subscribe(all);
})();
