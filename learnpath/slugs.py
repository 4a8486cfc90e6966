"""Slugs: the lower-case ASCII addresses of modules, paths and skills (no feature imports)."""

import re
import unicodedata


def slugify(value: str) -> str:
    """Turn text into a lower-case ASCII slug of letters, digits and single hyphens."""
    folded = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", folded.lower()).strip("-")
