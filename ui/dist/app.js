// Placeholder window until the real dashboard: shows the collector's status and the sites.
// Everything goes through textContent, never innerHTML: site names are user data.
"use strict";

const invoke = (command, args) => window.__TAURI__.core.invoke(command, args);
const $ = (id) => document.getElementById(id);

async function showStatus() {
  const box = $("status");
  const title = $("collector-title");
  const detail = $("collector-detail");
  try {
    const status = await invoke("collector_status");
    if (status.running) {
      box.dataset.state = "running";
      title.textContent = `Collector running on http://${status.address}`;
      detail.textContent = `Data folder: ${status.data_dir}`;
    } else if (status.error) {
      box.dataset.state = "error";
      title.textContent = "The collector is not running";
      detail.textContent = status.error;
    } else {
      box.dataset.state = "loading";
      title.textContent = "Starting the collector…";
      detail.textContent = "";
      setTimeout(showStatus, 500);
    }
  } catch (error) {
    box.dataset.state = "error";
    title.textContent = "Cannot reach the app";
    detail.textContent = String(error && error.message ? error.message : error);
  }
}

async function showSites() {
  const table = $("sites");
  const body = table.querySelector("tbody");
  const empty = $("sites-empty");
  const failure = $("sites-error");
  try {
    const sites = await invoke("list_sites");
    failure.hidden = true;
    body.replaceChildren(...sites.map(siteRow));
    table.hidden = sites.length === 0;
    empty.hidden = sites.length !== 0;
  } catch (error) {
    table.hidden = true;
    empty.hidden = true;
    failure.hidden = false;
    failure.textContent = `Cannot list sites: ${error && error.message ? error.message : error}`;
  }
}

function siteRow(site) {
  const row = document.createElement("tr");
  const name = cell(site.name);
  if (site.archived_at_ms != null) {
    const tag = document.createElement("span");
    tag.className = "archived";
    tag.textContent = " (archived)";
    name.append(tag);
  }
  const id = cell(site.tracking_id);
  id.className = "id";
  row.append(name, cell(site.domain), id);
  return row;
}

function cell(text) {
  const td = document.createElement("td");
  td.textContent = text;
  return td;
}

function refresh() {
  showStatus();
  showSites();
}

$("refresh").addEventListener("click", refresh);
window.addEventListener("focus", refresh);
refresh();
