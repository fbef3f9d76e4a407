// The registry's verification in the browser: a certificate page checks its own certificate, and
// the verify page checks one chosen by id (over HTTP), from a file, or pasted. Everything needed to
// judge (the public key, the signed tree head, the revoked certificates) is in the page itself.
import { MESSAGES, format } from "./messages.mjs";
import { checkCertificate } from "./verify.mjs";

function data(id) {
  const node = document.getElementById(id);
  return node ? JSON.parse(node.textContent) : null;
}

async function judge(cert, context) {
  const result = await checkCertificate(cert, context.key);
  // A revocation deleted from a certificate file is still known to the registry that published it.
  if (result.status === "valid" || result.status === "expired") {
    const id = cert && cert.entry && cert.entry.cert_id;
    if (context.revoked.includes(id)) return { ...result, status: "revoked", reasons: ["revoked-in-registry"] };
  }
  return result;
}

function render(box, result) {
  const entry = result.entry || {};
  const text = {
    valid: MESSAGES.cert_valid,
    expired: MESSAGES.cert_expired,
    revoked: MESSAGES.cert_revoked,
    forged: MESSAGES.cert_forged,
  }[result.status];
  box.className = `verdict-box ${result.status}`;
  box.dataset.status = result.status;
  box.replaceChildren();
  const title = document.createElement("p");
  title.className = "verdict-title";
  title.textContent = text;
  box.append(title);
  if (result.status !== "forged" && entry.cert_id) {
    const who = document.createElement("p");
    who.textContent = format(MESSAGES.cert_summary, {
      name: entry.cadre_name, skill: entry.skill_title, id: entry.cert_id, expires: String(entry.expires_at).slice(0, 10),
    });
    box.append(who);
  } else if (result.status === "forged") {
    const why = document.createElement("p");
    const reasons = result.reasons.map((code) => MESSAGES[`reason_${code.replace(/-/g, "_")}`] || code);
    why.textContent = format(MESSAGES.cert_forged_why, { reasons: reasons.join(";") });
    box.append(why);
  }
}

export async function initRegistry() {
  const context = data("registry-context");
  if (!context) return;
  const own = data("certificate-data");
  const box = document.getElementById("verdict");
  if (own && box) render(box, await judge(own, context));

  const form = document.getElementById("verify-form");
  if (!form) return;
  const out = document.getElementById("verify-result");
  const check = async (text) => {
    let cert = null;
    try {
      cert = JSON.parse(text);
    } catch {
      cert = null;
    }
    render(out, await judge(cert, context));
    out.hidden = false;
  };
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const id = form.elements.cert_id.value.trim();
    const pasted = form.elements.json.value.trim();
    if (pasted) return check(pasted);
    if (!id) return;
    try {
      const response = await fetch(`../certs/${encodeURIComponent(id)}.json`);
      if (!response.ok) throw new Error(String(response.status));
      check(await response.text());
    } catch {
      out.hidden = false;
      out.className = "verdict-box forged";
      out.textContent = location.protocol === "file:" ? MESSAGES.cert_open_file : format(MESSAGES.cert_not_found, { id });
    }
  });
  form.elements.file.addEventListener("change", async () => {
    const file = form.elements.file.files[0];
    if (file) check(await file.text());
  });
  const wanted = new URLSearchParams(location.search).get("id");
  if (wanted) {
    form.elements.cert_id.value = wanted;
    form.requestSubmit();
  }
}
