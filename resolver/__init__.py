"""Resolution of role-tagged person mentions into entities (ingest, standardise, link, cluster)."""
