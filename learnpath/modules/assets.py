"""Images uploaded in the editor: type checked by content, size limited, metadata stripped.

An image is decoded with Pillow and encoded again, so what is stored holds pixels only: no
EXIF (camera, GPS position, owner), no comments, no trailing bytes. The type is what the bytes
are, never what the file name or the browser says. Plain functions that flush.
"""

import hashlib
import io
import re
import warnings

from PIL import Image, ImageOps, UnidentifiedImageError
from sqlalchemy import select

from learnpath.extensions import db
from learnpath.modules.models import Module, ModuleAsset
from learnpath.modules.services import ModuleError
from learnpath.slugs import slugify
from learnpath.web.i18n import lazy_text as _l

MAX_BYTES = 2 * 1024 * 1024
MAX_PIXELS = 40_000_000  # a decompression bomb is refused before it is decoded
FORMATS = {"PNG": ("image/png", "png"), "JPEG": ("image/jpeg", "jpg"),
           "GIF": ("image/gif", "gif"), "WEBP": ("image/webp", "webp")}


class AssetError(ModuleError):
    """An upload that is not an image we take."""


def _open(data: bytes) -> Image.Image:
    if not data:
        raise AssetError(_l("Please choose an image file."))
    if len(data) > MAX_BYTES:
        raise AssetError(_l("The image is larger than %(max)d MB; make it smaller first.",
                            max=MAX_BYTES // (1024 * 1024)))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            if image.format not in FORMATS:
                raise AssetError(_l("This file is not a PNG, JPEG, GIF or WebP image."))
            if image.width * image.height > MAX_PIXELS:
                raise AssetError(_l("The image has too many pixels; make it smaller first."))
            image.load()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError,
            Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise AssetError(_l("This file is not a PNG, JPEG, GIF or WebP image.")) from None
    return image


def _clean(image: Image.Image) -> bytes:
    """Encode the pixels again, without any of the file's metadata."""
    fmt = image.format
    out = io.BytesIO()
    if fmt == "JPEG":
        image = ImageOps.exif_transpose(image)  # keep the photo upright once EXIF is gone
        image.convert("RGB").save(out, "JPEG", quality=88, optimize=True)
    elif fmt == "GIF":
        image.save(out, "GIF", save_all=getattr(image, "is_animated", False))
    elif fmt == "WEBP":
        image.save(out, "WEBP", quality=88)
    else:
        if image.mode not in ("RGB", "RGBA", "L", "LA", "P", "1"):
            image = image.convert("RGBA")
        image.save(out, "PNG", optimize=True)
    return out.getvalue()


def _filename(name: str, extension: str) -> str:
    stem = re.sub(r"\.[A-Za-z0-9]{1,5}$", "", (name or "").rsplit("/", 1)[-1])
    return f"{(slugify(stem) or 'image')[:80]}.{extension}"


def store_image(module: Module, uploader, filename: str, data: bytes) -> ModuleAsset:
    """Check and clean an uploaded image and keep it with the module; raise AssetError."""
    image = _open(data)
    content_type, extension = FORMATS[image.format]
    clean = _clean(image)
    asset = ModuleAsset(module_id=module.id, uploaded_by_id=getattr(uploader, "id", None),
                        filename=_filename(filename, extension), content_type=content_type,
                        data=clean, size=len(clean), width=image.width, height=image.height,
                        sha256=hashlib.sha256(clean).hexdigest())
    db.session.add(asset)
    db.session.flush()
    return asset


def get_asset(asset_id: int, filename: str) -> ModuleAsset | None:
    """The asset with this id and name (a wrong name is a missing asset)."""
    asset = db.session.get(ModuleAsset, asset_id)
    return asset if asset is not None and asset.filename == filename else None


def asset_url(asset: ModuleAsset) -> str:
    return f"/module-assets/{asset.id}/{asset.filename}"


def markdown_for(asset: ModuleAsset, alt: str) -> str:
    alt = " ".join((alt or "").replace("[", "").replace("]", "").split())
    return f"![{alt}]({asset_url(asset)})"


_ASSET_LINK = re.compile(r"/module-assets/(\d+)/([A-Za-z0-9._-]+)")


def portable_text(text: str, folder, key: str) -> str:
    """The text as an export writes it: uploaded images saved as files beside it, under
    images/<key>/, and linked relatively, so the folder works in any Markdown tool."""
    def save(match):
        asset = get_asset(int(match[1]), match[2])
        if asset is None:
            return match[0]
        relative = f"images/{key}/{asset.id}-{asset.filename}"
        path = folder / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(asset.data)
        return relative
    return _ASSET_LINK.sub(save, text)


def assets_of(module: Module) -> list[ModuleAsset]:
    return list(db.session.scalars(select(ModuleAsset).where(ModuleAsset.module_id == module.id)
                                   .order_by(ModuleAsset.id)))
