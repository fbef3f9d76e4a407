// Practice progress kept in localStorage, shown on the home page and on skill pages.
import { MESSAGES, format } from "./messages.mjs";

const PREFIX = "cadre:";

export function progressKey(site, skill) {
  return `${PREFIX}${site}:practice:${skill}`;
}

export function loadProgress(site, skill) {
  try {
    return JSON.parse(localStorage.getItem(progressKey(site, skill)) || "null");
  } catch {
    return null;
  }
}

export function saveProgress(site, skill, record) {
  try {
    localStorage.setItem(progressKey(site, skill), JSON.stringify(record));
  } catch {
    // Private mode or a full storage: practising still works, it is just not remembered.
  }
}

function siteName() {
  return document.body.dataset.site || "";
}

function badge(record) {
  if (!record) return "";
  return format(MESSAGES.practised_best, { score: record.best });
}

function showBadges(site) {
  for (const el of document.querySelectorAll("[data-progress-skill]")) {
    const text = badge(loadProgress(site, el.dataset.progressSkill));
    if (text) {
      el.textContent = text;
      el.hidden = false;
    }
  }
}

function remember(name, value) {
  try {
    if (value === undefined) return localStorage.getItem(`${PREFIX}${siteName()}:${name}`) || "";
    localStorage.setItem(`${PREFIX}${siteName()}:${name}`, value);
  } catch {
    return "";
  }
  return value;
}

function showRequired(site) {
  const box = document.getElementById("required-progress");
  const source = document.getElementById("required-data");
  if (!box || !source) return;
  const data = JSON.parse(source.textContent);
  const post = box.querySelector("select[name=post]");
  const township = box.querySelector("select[name=township]");
  const out = box.querySelector("output");
  post.value = remember("post") || "";
  township.value = remember("township") || "";
  const update = () => {
    remember("post", post.value);
    remember("township", township.value);
    const ids = [...new Set([...data.all, ...(data.posts[post.value] || []), ...(data.townships[township.value] || [])])];
    const done = ids.filter((id) => loadProgress(site, id)).length;
    out.textContent = format(MESSAGES.practised_required, { done, total: ids.length });
  };
  post.addEventListener("change", update);
  township.addEventListener("change", update);
  box.hidden = false;
  update();
}

export function initProgress() {
  const site = siteName();
  showBadges(site);
  showRequired(site);
}
