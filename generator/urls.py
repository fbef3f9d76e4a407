"""Site paths and the relative links between them.

A site path names a page folder ('skills/x/', '' for the home page) or a file ('assets/style.css').
Links are always relative and name index.html explicitly, so the site works from any sub-folder,
any static host, and opened straight from disk (file://), where a folder link shows a listing.
"""

from __future__ import annotations

from urllib.parse import quote


def is_folder(path: str) -> bool:
    return path == "" or path.endswith("/")


def output_file(path: str) -> str:
    """Return the file a site path is written to: folders get index.html."""
    return path + "index.html" if is_folder(path) else path


def href(from_page: str, to: str, fragment: str = "") -> str:
    """Return the relative, percent-encoded link from the page at `from_page` to site path `to`."""
    # Site paths are clean (no '.', '..' or '//'), so the relative path is plain string work;
    # posixpath.relpath would resolve both against the working directory on every call.
    here = output_file(from_page).split("/")[:-1]
    there = output_file(to).split("/")
    common = 0
    for a, b in zip(here, there[:-1], strict=False):
        if a != b:
            break
        common += 1
    rel = "../" * (len(here) - common) + "/".join(there[common:])
    return quote(rel, safe="/%") + ("#" + fragment if fragment else "")
