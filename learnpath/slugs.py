"""Slugs: the lower-case ASCII addresses of modules, paths and skills (no feature imports)."""

import re
import unicodedata


def slugify(value: str) -> str:
    """Turn text into a lower-case ASCII slug of letters, digits and single hyphens."""
    # Keep the meaning of language names: c++ -> cpp, c# -> csharp (never c, like c.md).
    value = re.sub(r"(?<=[A-Za-z0-9])\+\+(?![A-Za-z0-9])", "pp", value)
    value = re.sub(r"(?<=\b[A-Za-z])#(?![A-Za-z0-9])", "sharp", value)
    folded = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", folded.lower()).strip("-")
