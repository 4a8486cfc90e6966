"""What every feature's pages share, and nothing more: access rules (access.py), security
headers (headers.py), error pages (errors.py), i18n helpers (i18n.py), shared form pieces
(forms.py), page numbers (paging.py), CSV downloads (csv.py) and fixed addresses (urls.py).

Nothing here imports a feature (pyproject.toml's import contracts check it): a feature that
needs web/ to behave differently for it registers a hook (see errors.register_error_format).
"""
