
(function () {
  "use strict";
  // Sorting and filtering of the overview. Without this script the page is complete and in
  // input order. The address can carry a view: #ampel=red,yellow&sort=-ampel&q=acme
  var table = document.getElementById("overview");
  var controls = document.getElementById("controls");
  if (!table || !controls) { return; }
  var body = table.tBodies[0];
  var rows = Array.prototype.slice.call(body.rows);
  var text = document.getElementById("filter");
  var shown = document.getElementById("shown");
  var boxes = Array.prototype.slice.call(controls.querySelectorAll("input[name=ampel]"));
  var heads = Array.prototype.slice.call(table.tHead.rows[0].cells).filter(function (th) {
    return th.hasAttribute("data-key");
  });

  function apply() {
    var q = text.value.trim().toLowerCase();
    var on = {};
    boxes.forEach(function (b) { on[b.value] = b.checked; });
    var n = 0;
    rows.forEach(function (r) {
      var show = on[r.getAttribute("data-ampel")] === true &&
        (q === "" || r.textContent.toLowerCase().indexOf(q) >= 0);
      r.hidden = !show;
      if (show) { n += 1; }
    });
    shown.textContent = n + " / " + rows.length;
  }

  function key(row, col) {
    var cell = row.cells[col];
    return cell.hasAttribute("data-sort") ? cell.getAttribute("data-sort") : cell.textContent.trim();
  }

  function sortBy(th, descending) {
    var col = th.cellIndex;
    var numeric = th.getAttribute("data-type") === "number";
    rows.sort(function (a, b) {
      var x = key(a, col);
      var y = key(b, col);
      var d = numeric ? Number(x) - Number(y) : x.localeCompare(y);
      if (descending) { d = -d; }
      // Ties keep input order.
      return d !== 0 ? d : Number(key(a, 0)) - Number(key(b, 0));
    });
    rows.forEach(function (r) { body.appendChild(r); });
    heads.forEach(function (h) { h.removeAttribute("aria-sort"); });
    th.setAttribute("aria-sort", descending ? "descending" : "ascending");
  }

  heads.forEach(function (th) {
    var button = document.createElement("button");
    button.type = "button";
    while (th.firstChild) { button.appendChild(th.firstChild); }
    th.appendChild(button);
    button.addEventListener("click", function () {
      var now = th.getAttribute("aria-sort");
      var descending = now ? now === "ascending" : th.getAttribute("data-first") === "descending";
      sortBy(th, descending);
    });
  });
  text.addEventListener("input", apply);
  boxes.forEach(function (b) { b.addEventListener("change", apply); });

  location.hash.replace(/^#/, "").split("&").forEach(function (part) {
    var at = part.indexOf("=");
    if (at < 0) { return; }
    var name = part.slice(0, at);
    var value = decodeURIComponent(part.slice(at + 1));
    if (name === "ampel") {
      var wanted = value.split(",");
      boxes.forEach(function (b) { b.checked = wanted.indexOf(b.value) >= 0; });
    } else if (name === "q") {
      text.value = value;
    } else if (name === "sort") {
      var descending = value.charAt(0) === "-";
      var column = descending ? value.slice(1) : value;
      heads.forEach(function (th) {
        if (th.getAttribute("data-key") === column) { sortBy(th, descending); }
      });
    }
  });
  controls.hidden = false;
  apply();
})();
