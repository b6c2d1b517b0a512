// PlanGraph analysts' page: maps of a document or an agency, named queries as tables.
// Plain JS, no external resources: works offline.
(function () {
  "use strict";
  const $ = (sel) => document.querySelector(sel);

  async function getJSON(url) {
    const res = await fetch(url, { headers: { Accept: "application/json" } });
    let body = null;
    try { body = await res.json(); } catch (e) { body = null; }
    if (!res.ok) {
      let detail = body && body.detail;
      if (Array.isArray(detail)) {
        detail = detail.map((d) => `${(d.loc || []).slice(1).join(".")}: ${d.msg}`).join("; ");
      }
      throw new Error(`${res.status}: ${detail || res.statusText}`);
    }
    return body;
  }

  function showTab(id) {
    document.querySelectorAll(".tab").forEach((t) => t.classList.toggle("active", t.dataset.tab === id));
    document.querySelectorAll(".pane").forEach((p) => p.classList.toggle("active", p.id === id));
  }
  document.querySelectorAll(".tab").forEach((t) => t.addEventListener("click", () => showTab(t.dataset.tab)));

  // ---------------------------------------------------------------- maps
  function showMap(url, label) {
    const frame = $("#map-frame");
    $("#map-hint").textContent = `Map: ${label}`;
    $("#map-hint").classList.remove("error");
    frame.hidden = false;
    frame.src = url;
    showTab("map-pane");
  }

  async function loadDocuments() {
    const select = $("#doc-select");
    try {
      const data = await getJSON("documents?limit=1000");
      select.innerHTML = "";
      if (!data.items.length) {
        select.innerHTML = '<option value="">no documents ingested</option>';
        return;
      }
      for (const d of data.items) {
        const opt = document.createElement("option");
        opt.value = d.id;
        const title = d.title ? ` — ${d.title.slice(0, 60)}` : "";
        opt.textContent = `${d.number || d.id}${d.jurisdiction ? " (" + d.jurisdiction + ")" : ""}${title}`;
        opt.title = d.id;
        select.appendChild(opt);
      }
    } catch (e) {
      select.innerHTML = `<option value="">error: ${e.message}</option>`;
    }
  }
  $("#show-doc").addEventListener("click", () => {
    const id = $("#doc-select").value;
    if (id) showMap(`maps/document?doc_id=${encodeURIComponent(id)}`, id);
  });
  $("#doc-select").addEventListener("change", () => $("#show-doc").click());

  let searchTimer = null;
  async function searchAgencies() {
    const q = $("#agency-q").value.trim();
    const list = $("#agency-results");
    const url = q ? `agencies?with_tasks=true&limit=50&q=${encodeURIComponent(q)}` : "agencies?with_tasks=true&limit=50";
    try {
      const data = await getJSON(url);
      list.innerHTML = "";
      if (!data.items.length) {
        list.innerHTML = '<li class="meta">no agency found</li>';
        return;
      }
      for (const a of data.items) {
        const li = document.createElement("li");
        li.tabIndex = 0;
        li.dataset.id = a.id;
        const name = document.createElement("span");
        name.textContent = (a.abbr ? a.abbr + " – " : "") + (a.name || a.id);
        const meta = document.createElement("span");
        meta.className = "meta";
        meta.textContent = ` ${a.jurisdiction || ""} · ${a.tasks} task${a.tasks === 1 ? "" : "s"}`;
        li.append(name, meta);
        const open = () => showMap(`maps/agency?agency=${encodeURIComponent(a.id)}`, a.name || a.id);
        li.addEventListener("click", open);
        li.addEventListener("keydown", (ev) => { if (ev.key === "Enter") open(); });
        list.appendChild(li);
      }
    } catch (e) {
      list.innerHTML = "";
      const li = document.createElement("li");
      li.className = "meta";
      li.textContent = e.message;
      list.appendChild(li);
    }
  }
  $("#agency-q").addEventListener("input", () => {
    clearTimeout(searchTimer);
    searchTimer = setTimeout(searchAgencies, 200);
  });

  // ---------------------------------------------------------------- queries
  let queries = [];

  function paramField(p) {
    const wrap = document.createElement("div");
    wrap.className = "param" + (p.type === "bool" ? " checkbox" : "");
    const id = `param-${p.name}`;
    const label = document.createElement("label");
    label.htmlFor = id;
    label.textContent = `${p.name}${p.required ? " *" : ""} (${p.type})`;
    let input;
    if (p.type === "bool") {
      input = document.createElement("input");
      input.type = "checkbox";
      input.checked = p.default === true;
      wrap.append(input, label);
    } else {
      input = document.createElement("input");
      input.type = p.type === "text" ? "text" : "number";
      if (p.type === "float") input.step = "any";
      if (p.default !== null && p.default !== undefined) input.value = p.default;
      input.required = p.required;
      wrap.append(label, input);
    }
    input.id = id;
    input.name = p.name;
    input.dataset.type = p.type;
    if (p.doc) {
      const doc = document.createElement("div");
      doc.className = "doc";
      doc.textContent = p.doc;
      wrap.appendChild(doc);
    }
    return wrap;
  }

  function selectQuery(name) {
    const q = queries.find((x) => x.name === name);
    const box = $("#query-params");
    box.innerHTML = "";
    $("#query-desc").textContent = q ? q.description : "";
    if (q) q.params.forEach((p) => box.appendChild(paramField(p)));
  }

  async function loadQueries() {
    try {
      queries = await getJSON("queries");
      const select = $("#query-select");
      select.innerHTML = "";
      for (const q of queries) {
        const opt = document.createElement("option");
        opt.value = q.name;
        opt.textContent = q.name;
        select.appendChild(opt);
      }
      if (queries.length) selectQuery(queries[0].name);
    } catch (e) {
      $("#query-desc").textContent = `cannot load queries: ${e.message}`;
    }
  }
  $("#query-select").addEventListener("change", (ev) => selectQuery(ev.target.value));

  function cell(value) {
    const td = document.createElement("td");
    if (value === null || value === undefined) return td;
    if (typeof value === "boolean") {
      td.textContent = value ? "yes" : "";
      if (value) td.className = "bool-true";
    } else if (typeof value === "object") {
      td.textContent = Array.isArray(value) ? value.join(", ") : JSON.stringify(value);
    } else {
      td.textContent = String(value);
    }
    return td;
  }

  function renderRows(result) {
    const thead = $("#results thead");
    const tbody = $("#results tbody");
    thead.innerHTML = "";
    tbody.innerHTML = "";
    const tr = document.createElement("tr");
    for (const c of result.columns) {
      const th = document.createElement("th");
      th.textContent = c;
      tr.appendChild(th);
    }
    thead.appendChild(tr);
    for (const row of result.rows) {
      const r = document.createElement("tr");
      for (const c of result.columns) r.appendChild(cell(row[c]));
      tbody.appendChild(r);
    }
  }

  $("#query-form").addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const name = $("#query-select").value;
    const params = new URLSearchParams();
    document.querySelectorAll("#query-params input").forEach((input) => {
      if (input.dataset.type === "bool") params.set(input.name, input.checked ? "true" : "false");
      else if (input.value.trim() !== "") params.set(input.name, input.value.trim());
    });
    const status = $("#query-status");
    status.classList.remove("error");
    status.textContent = "running…";
    showTab("results-pane");
    try {
      const result = await getJSON(`queries/${encodeURIComponent(name)}?${params}`);
      renderRows(result);
      status.textContent = `${name}: ${result.count} row${result.count === 1 ? "" : "s"}`;
    } catch (e) {
      $("#results thead").innerHTML = "";
      $("#results tbody").innerHTML = "";
      status.classList.add("error");
      status.textContent = `${name}: ${e.message}`;
    }
  });

  loadDocuments();
  searchAgencies();
  loadQueries();
})();
