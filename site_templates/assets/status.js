/* The status page's reminders (“đôn đốc”): the link to “Nộp báo cáo trực tuyến” made absolute
   when campaign.yaml gives no site_url (a message pasted into Zalo needs a whole address), and a
   button that copies the text. Without the script the text is still there to select by hand. */
(function () {
  "use strict";
  function copy(text) {
    if (navigator.clipboard && window.isSecureContext) return navigator.clipboard.writeText(text);
    // Plain http (a preview on the office network): the old way, through a selected text area.
    return new Promise(function (resolve, reject) {
      var area = document.createElement("textarea");
      area.value = text;
      area.setAttribute("readonly", "");
      area.style.position = "fixed";
      area.style.opacity = "0";
      document.body.appendChild(area);
      area.select();
      var ok = false;
      try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
      document.body.removeChild(area);
      if (ok) resolve(); else reject(new Error("copy"));
    });
  }
  function init() {
    Array.prototype.forEach.call(document.querySelectorAll(".reminder"), function (item) {
      var text = item.querySelector(".reminder__text");
      var button = item.querySelector(".reminder__copy");
      var done = item.querySelector(".reminder__done");
      if (!text || !button || button.dataset.ready) return;
      button.dataset.ready = "1";
      var rel = text.getAttribute("data-editor-href");
      if (rel && text.textContent.indexOf(": " + rel + " ") !== -1) {
        text.textContent = text.textContent.replace(": " + rel + " ", ": " + new URL(rel, location.href).href + " ");
      }
      button.hidden = false;
      button.addEventListener("click", function () {
        copy(text.textContent).then(function () {
          done.textContent = "Đã sao chép. Dán vào Zalo để gửi cho đơn vị.";
        }, function () {
          var range = document.createRange();
          range.selectNodeContents(text);
          var sel = window.getSelection();
          sel.removeAllRanges();
          sel.addRange(range);
          done.textContent = "Không sao chép tự động được: lời nhắn đã được chọn, hãy bấm giữ để sao chép.";
        });
      });
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
  if (window.document$ && window.document$.subscribe) window.document$.subscribe(init);
})();
