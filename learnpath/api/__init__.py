"""The versioned JSON API: personal access tokens, bearer auth, OpenAPI document."""
