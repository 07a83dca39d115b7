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

  // Replaces the element with the same id from a fresh copy of the page.
  function refreshSection(id) {
    return fetch(location.href, { credentials: "same-origin" })
      .then(function (res) { return res.text(); })
      .then(function (html) {
        var fresh = new DOMParser().parseFromString(html, "text/html").getElementById(id);
        var old = $(id);
        if (fresh && old) { old.replaceWith(fresh); }
        return fresh;
      });
  }

  function setupLiveRefresh() {
    document.querySelectorAll("[data-live-refresh]").forEach(function (element) {
      var id = element.id, every = parseInt(element.getAttribute("data-live-refresh"), 10) || 5000;
      function tick() {
        refreshSection(id).then(function (fresh) { if (fresh && fresh.hasAttribute("data-live-refresh")) { setTimeout(tick, every); } },
          function () { setTimeout(tick, every * 2); });
      }
      setTimeout(tick, every);
    });
  }

  function showStatus(status, error) {
    var box = $("sync-status");
    box.textContent = "";
    var label = document.createElement("span");
    label.textContent = status === "queued" || status === "running" ? "Syncing: " : "Last run: ";
    var badge = document.createElement("span");
    badge.className = "badge badge-" + status;
    badge.textContent = status;
    label.appendChild(badge);
    box.appendChild(label);
    if (error) {
      var text = document.createElement("span");
      text.className = "error-text";
      text.textContent = " " + error;
      box.appendChild(text);
    }
    box.setAttribute("data-operation-status", status);
  }

  function follow(linkId, operationId) {
    fetch("/v1/links/" + encodeURIComponent(linkId) + "/operations", { credentials: "same-origin" })
      .then(function (res) { return res.json(); })
      .then(function (body) {
        var op = (body.data || []).filter(function (o) { return o.id === operationId; })[0];
        if (!op) { return; }
        showStatus(op.status, op.error);
        if (op.status === "queued" || op.status === "running") {
          setTimeout(function () { follow(linkId, operationId); }, 1000);
        } else {
          refreshSection("operations");
        }
      }, function () { setTimeout(function () { follow(linkId, operationId); }, 3000); });
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
          follow(linkId, answer.body.enqueuedAs);
        });
    });
    var status = box.getAttribute("data-operation-status");
    if (status === "queued" || status === "running") { follow(linkId, box.getAttribute("data-operation-id")); }
  }

  setupRepoGroup("Upstream", "upstream");
  setupRepoGroup("Fork", "fork");
  setupForkType();
  setupCopy();
  setupLiveRefresh();
  setupSync();
})();
