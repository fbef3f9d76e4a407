"""PDF output through WeasyPrint, an optional extra: `pip install 'cadre[pdf]'` plus Debian's
libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 and fonts-noto-cjk for the Chinese text."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from ..errors import CadreError

INSTALL = (
    "writing PDF needs WeasyPrint: pip install 'cadre[pdf]' (and on Debian: "
    "apt-get install libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-noto-cjk)"
)


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def weasyprint_module() -> Any:
    """Return the weasyprint module, or fail with what to install."""
    try:
        import weasyprint
    except (ImportError, OSError) as exc:  # OSError: the module is there but Pango is not
        raise CadreError(INSTALL) from exc
    return weasyprint


def html_to_pdf(html: str, base: Path) -> tuple[bytes, list[str]]:
    """Return the PDF of `html` and every warning WeasyPrint logged (missing glyphs among them)."""
    weasyprint = weasyprint_module()
    handler = _Collect()
    logger = logging.getLogger("weasyprint")
    logger.addHandler(handler)
    try:
        document = weasyprint.HTML(string=html, base_url=str(base))
        pdf = document.write_pdf()
    finally:
        logger.removeHandler(handler)
    return bytes(pdf or b""), handler.messages
