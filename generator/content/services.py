"""services.yaml: the public service items printed in the guide."""

from __future__ import annotations

from pathlib import Path

from ..errors import Diagnostics
from ..yamlloc import LList, Pos, load_yaml_file
from .config import ID_RE
from .models import Service
from .schema import Fields

KEYS = ("id", "title", "category", "skills", "procedure", "documents", "time_limit_days", "fee", "where", "hotline")


def load_services(path: Path, diags: Diagnostics) -> tuple[list[Service], list[tuple[str, str, Pos]]]:
    """Return the service items and every (kind, id, position) they refer to."""
    refs: list[tuple[str, str, Pos]] = []
    data = load_yaml_file(path, diags)
    if data is None:
        return [], refs
    if not isinstance(data, LList):
        diags.error(path, 1, 1, "services.yaml must be a list of service items (each starting with '- id: ...')")
        return [], refs
    services: list[Service] = []
    seen: dict[str, int] = {}
    for i, item in enumerate(data):
        f = Fields(diags, path, item, "a service item", KEYS, ("id", "title", "category"), at=data.item_pos[i])
        sid = f.text("id")
        if sid and not ID_RE.match(sid):
            f.fail("id", f"service id '{sid}' must use only a-z, 0-9 and '-'")
            continue
        if sid in seen:
            f.fail("id", f"duplicate service id '{sid}' (first used at line {seen[sid]})")
            continue
        if not sid:
            continue
        seen[sid] = f.at("id").line
        fee = f.data.get("fee", 0)
        if isinstance(fee, (int, float)) and not isinstance(fee, bool) and fee < 0:
            f.fail("fee", f"fee cannot be negative ({fee})")
        skills = f.text_list("skills")
        refs.append(("category", f.text("category"), f.at("category")))
        refs.extend(("skill", s, p) for s, p in skills)
        limit = f.integer("time_limit_days", 0, minimum=0) if f.has("time_limit_days") else None
        services.append(
            Service(
                id=sid,
                title=f.text("title"),
                category=f.text("category"),
                skills=tuple(s for s, _ in skills),
                procedure=tuple(s for s, _ in f.text_list("procedure")),
                documents=tuple(s for s, _ in f.text_list("documents")),
                time_limit_days=limit,
                fee=f.text("fee", "0"),
                where=f.text("where"),
                hotline=f.text("hotline"),
            )
        )
    return services, refs
