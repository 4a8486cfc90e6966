"""Learning modules: Markdown format, knowledge checks, versions, import/export, pages."""
