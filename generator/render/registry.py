"""The public certificate registry (SPEC §7): list, one page and one proof file per certificate,
the signed tree head, the public key, and the page that verifies a certificate in the browser."""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from ..content.models import Project
from ..i18n import Translator
from ..ledger.log import Certificate, Ledger, parse_time
from ..ledger.merkle import all_inclusion_proofs
from ..ledger.signing import key_json
from .page import Page
from .practice import script_json


@dataclass(frozen=True)
class Registry:
    """What the build publishes of a ledger, read once."""

    certificates: list[Certificate]
    sth: dict[str, Any] | None
    public_key: str
    proofs: list[list[bytes]]

    @property
    def revoked(self) -> list[str]:
        return [c.cert_id for c in self.certificates if c.revocation is not None]

    def cert_json(self, cert: Certificate) -> dict[str, Any]:
        """Return ledger/certs/<cert_id>.json: the entry, its audit path and the tree head."""
        out: dict[str, Any] = {
            "entry": cert.entry, "leaf_index": cert.seq,
            "audit_path": [h.hex() for h in self.proofs[cert.seq]], "sth": self.sth,
        }
        if cert.revocation is not None:
            seq = int(cert.revocation["seq"])
            out["revocation"] = {"entry": cert.revocation, "leaf_index": seq, "audit_path": [h.hex() for h in self.proofs[seq]]}
        return out


def read_registry(ledger: Ledger) -> Registry:
    """Read everything the registry publishes from the ledger (proofs against its latest tree head)."""
    sth = ledger.tree_head()
    row = ledger.db.one("SELECT value FROM meta WHERE key = 'public_key'")
    leaves = ledger.leaf_hashes()
    size = sth["tree_size"] if sth else 0
    return Registry(ledger.certificates(), sth, row[0] if row else "", all_inclusion_proofs(leaves[:size]) if size else [])


def registry_pages(project: Project, registry: Registry | None, t: Translator) -> tuple[list[Page], dict[str, bytes]]:
    """Return the registry's pages and its JSON files (key, tree head, one proof per certificate)."""
    home = ((t("nav_home"), ""),)
    crumbs = (*home, (t("registry_title"), "ledger/"))
    files: dict[str, bytes] = {}
    pages: list[Page] = []
    context = {"key": key_json(registry.public_key) if registry else None, "sth": registry.sth if registry else None,
               "revoked": registry.revoked if registry else []}
    context_json = script_json(context)
    as_of = parse_time(registry.sth["timestamp"]) if registry and registry.sth else None
    cadres = {c.id: c for c in project.cadres}
    listed: dict[str, dict[str, list[Certificate]]] = defaultdict(lambda: defaultdict(list))
    if registry is not None and registry.sth is not None:
        files["ledger/key.json"] = _json(key_json(registry.public_key))
        files["ledger/sth.json"] = _json(registry.sth)
        for cert in registry.certificates:
            if cert.seq >= registry.sth["tree_size"]:
                continue
            data = registry.cert_json(cert)
            files[f"ledger/certs/{cert.cert_id}.json"] = _json(data)
            cadre = cadres.get(cert.cadre_id)
            township = cadre.township if cadre else t("unknown_township")
            status = cert.status(as_of) if as_of else "valid"
            if status == "valid":
                listed[township][cert.skill_id].append(cert)
            pages.append(Page(
                f"ledger/{cert.cert_id}/", "certificate.html", cert.cert_id, "ledger",
                {"cert": cert, "cadre": cadre, "status": status, "data_json": script_json(data),
                 "context_json": context_json, "skill": project.skills.get(cert.skill_id)},
                crumbs, f"{cert.entry['cadre_name']} · {cert.entry['skill_title']}", ("assets/verify.js",),
            ))
    townships = sorted(listed, key=lambda name: (list(project.townships).index(name) if name in project.townships else 99, name))
    groups = [(tw, [(project.skills.get(s), s, sorted(listed[tw][s], key=lambda c: c.cert_id))
                    for s in sorted(listed[tw])]) for tw in townships]
    counts = _counts(registry, as_of)
    pages.insert(0, Page("ledger/", "registry.html", t("registry_title"), "ledger",
                         {"groups": groups, "sth": registry.sth if registry else None, "counts": counts}, home))
    pages.append(Page("ledger/verify/", "verify.html", t("verify_title"), "ledger",
                      {"context_json": context_json}, crumbs, scripts=("assets/verify.js",)))
    return pages, files


def _counts(registry: Registry | None, as_of: Any) -> dict[str, int]:
    counts = {"valid": 0, "expired": 0, "revoked": 0}
    if registry and as_of:
        for cert in registry.certificates:
            counts[cert.status(as_of)] += 1
    return counts


def _json(data: Any) -> bytes:
    return (json.dumps(data, ensure_ascii=False, sort_keys=True, indent=1) + "\n").encode("utf-8")
