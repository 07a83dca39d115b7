// The dashboard's live parts. Every page works without this file; it only adds live validation, the branch list,
// live sync status, live refresh and the copy button.
(function () {
  "use strict";

  function $(id) { return document.getElementById(id); }

  // "owner/repo", "https://github.com/owner/repo(/tree/branch)", "git@github.com:owner/repo.git" -> parts, or null.
  function parseRepo(text) {
    var value = (text || "").trim();
    var path = value;
    var m = /^https?:\/\/[^/]+\/(.*)$/i.exec(value) || /^(?:www\.)?github\.com\/(.*)$/i.exec(value) || /^git@[^:]+:(.*)$/.exec(value);
    if (m) { path = m[1]; }
    var parts = path.replace(/^\/+|\/+$/g, "").split("/");
    if (parts.length < 2 || !parts[0] || !parts[1]) { return null; }
    var repo = parts[1].replace(/\.git$/i, "");
    if (!/^[A-Za-z0-9][A-Za-z0-9_-]{0,38}$/.test(parts[0]) || !/^[A-Za-z0-9._-]{1,100}$/.test(repo)) { return null; }
    var branch = parts.length >= 4 && parts[2] === "tree" ? decodeURIComponent(parts.slice(3).join("/")) : null;
    return { owner: parts[0], repo: repo, branch: branch };
  }

  function setupRepoGroup(prefix, side) {
    var owner = $("f-" + prefix + "Owner"), repo = $("f-" + prefix + "Repo"), branch = $("f-" + prefix + "Branch");
    var check = $(side + "-check"), list = $(side + "-branches");
    if (!owner || !repo || !branch || !check || !list) { return; }
    var timer = null, seq = 0;

    function validate() {
      var o = owner.value.trim(), r = repo.value.trim();
      if (!o || !r) { check.textContent = ""; check.className = "repo-check"; return; }
      var mine = ++seq;
      check.textContent = "Checking " + o + "/" + r + "…";
      check.className = "repo-check";
      fetch("/v1/repos/github/" + encodeURIComponent(o) + "/" + encodeURIComponent(r), { credentials: "same-origin", headers: { "Accept": "application/json" } })
        .then(function (res) { return res.json().then(function (body) { return { ok: res.ok, body: body }; }); })
        .then(function (answer) {
          if (mine !== seq) { return; }
          var body = answer.body;
          if (!answer.ok || !body.valid) {
            check.textContent = body && body.error ? body.error : "No repository " + o + "/" + r + " that you can see.";
            check.className = "repo-check bad";
            return;
          }
          var text = "Found " + o + "/" + r + (body.private ? " (private)" : "");
          if (body.parent) { text += ", a fork of " + body.parent.owner + "/" + body.parent.name; }
          check.textContent = text + ". " + body.branches.length + " branch" + (body.branches.length === 1 ? "" : "es") + ".";
          check.className = "repo-check ok";
          list.innerHTML = "";
          body.branches.forEach(function (name) { var option = document.createElement("option"); option.value = name; list.appendChild(option); });
          if (!branch.value && body.defaultBranch) { branch.value = body.defaultBranch; }
        })
        .catch(function () { if (mine === seq) { check.textContent = "Could not check the repository right now."; check.className = "repo-check bad"; } });
    }

    function later() { clearTimeout(timer); timer = setTimeout(validate, 400); }

    owner.addEventListener("input", function () {
      if (owner.value.indexOf("/") >= 0) {
        var parsed = parseRepo(owner.value);
        if (parsed) {
          owner.value = parsed.owner;
          repo.value = parsed.repo;
          if (parsed.branch) { branch.value = parsed.branch; }
        }
      }
      later();
    });
    repo.addEventListener("input", later);
    if (owner.value && repo.value) { validate(); }
  }

  function setupForkType() {
    var group = document.querySelector(".fork-fields");
    var radios = document.querySelectorAll("input[name='Form.ForkType']");
    if (!group || radios.length === 0) { return; }
    function update() { group.hidden = document.querySelector("input[name='Form.ForkType']:checked").value === "fork-all"; }
    radios.forEach(function (radio) { radio.addEventListener("change", update); });
    update();
  }

  function setupCopy() {
    document.querySelectorAll("[data-copy]").forEach(function (button) {
      var input = $(button.getAttribute("data-copy"));
      if (!input || !navigator.clipboard) { return; }
      button.hidden = false;
      button.addEventListener("click", function () {
        navigator.clipboard.writeText(input.value).then(function () {
          button.textContent = "Copied";
          setTimeout(function () { button.textContent = "Copy"; }, 2000);
        });
      });
    });
  }

  // Replaces the element with the same id from a fresh copy of the page, unless the keyboard focus is inside it
  // (replacing it would throw the user's place away; the next refresh catches up).
  function refreshSection(id) {
    return fetch(location.href, { credentials: "same-origin" })
      .then(function (res) { return res.text(); })
      .then(function (html) {
        var fresh = new DOMParser().parseFromString(html, "text/html").getElementById(id);
        var old = $(id);
        if (fresh && old && !old.contains(document.activeElement)) {
          // The element itself stays (a live region keeps announcing); its attributes and content are the fresh ones.
          Array.prototype.slice.call(old.attributes).forEach(function (a) { if (!fresh.hasAttribute(a.name)) { old.removeAttribute(a.name); } });
          Array.prototype.slice.call(fresh.attributes).forEach(function (a) { old.setAttribute(a.name, a.value); });
          old.replaceChildren.apply(old, Array.prototype.slice.call(fresh.childNodes));
        }
        return fresh;
      });
  }

  function setupLiveRefresh() {
    document.querySelectorAll("[data-live-refresh]").forEach(function (element) {
      var id = element.id;
      function every(el) { return parseInt(el.getAttribute("data-live-refresh"), 10) || 5000; }
      function tick() {
        refreshSection(id).then(function (fresh) { if (fresh && fresh.hasAttribute("data-live-refresh")) { setTimeout(tick, every(fresh)); } },
          function () { setTimeout(tick, every(element) * 2); });
      }
      setTimeout(tick, every(element));
    });
  }

  // While the run goes on only its status changes; the outcome in words comes from the server-rendered page, so the
  // wording lives in one place.
  function showStatus(status, error) {
    var box = $("sync-status");
    box.textContent = "";
    var line = document.createElement("p");
    var label = document.createElement("span");
    label.textContent = status === "queued" || status === "running" ? "Syncing: " : "Last run: ";
    var badge = document.createElement("span");
    badge.className = "badge badge-" + status;
    badge.textContent = status;
    label.appendChild(badge);
    line.appendChild(label);
    if (error) {
      var text = document.createElement("span");
      text.className = "outcome outcome-error";
      text.textContent = " " + error;
      line.appendChild(text);
    }
    box.appendChild(line);
    box.setAttribute("data-operation-status", status);
  }

  function follow(linkId, operationId) {
    fetch("/v1/operations/" + encodeURIComponent(operationId), { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (res) { if (!res.ok) { throw new Error(String(res.status)); } return res.json(); })
      .then(function (op) {
        if (op.status === "queued" || op.status === "running") {
          showStatus(op.status);
          setTimeout(function () { follow(linkId, operationId); }, 1000);
          return;
        }
        refreshSection("sync-status").then(function (fresh) { if (!fresh) { showStatus(op.status, op.error); } });
        refreshSection("operations");
      })
      .catch(function () { setTimeout(function () { follow(linkId, operationId); }, 3000); });
  }

  function setupSync() {
    var form = document.querySelector("[data-sync-form]");
    var box = $("sync-status");
    if (!form || !box) { return; }
    var linkId = form.getAttribute("data-link-id");
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      showStatus("queued");
      fetch("/v1/links/" + encodeURIComponent(linkId) + "/sync", {
        method: "POST", credentials: "same-origin", headers: { "Content-Type": "application/json", "Accept": "application/json" }, body: "{}"
      })
        .then(function (res) { return res.json().then(function (body) { return { ok: res.ok, body: body }; }); })
        .then(function (answer) {
          if (!answer.ok) { showStatus("error", answer.body.error); return; }
          box.setAttribute("data-operation-id", answer.body.enqueuedAs);
          // The page's address names the run, so a reload (and the refresh below) shows this run's outcome.
          history.replaceState(null, "", location.pathname + "?op=" + encodeURIComponent(answer.body.enqueuedAs) + "#sync");
          follow(linkId, answer.body.enqueuedAs);
        });
    });
    var status = box.getAttribute("data-operation-status");
    if (status === "queued" || status === "running") { follow(linkId, box.getAttribute("data-operation-id")); }
  }

  // A refused save puts its summary at the top; the focus goes there so that it is read first.
  function setupFocus() {
    var target = document.querySelector("[data-focus-on-load]");
    if (target) { target.focus(); }
  }

  setupFocus();
  setupRepoGroup("Upstream", "upstream");
  setupRepoGroup("Fork", "fork");
  setupForkType();
  setupCopy();
  setupLiveRefresh();
  setupSync();
})();
