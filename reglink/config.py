"""The run configuration file (TOML): resolution settings and rule parameters.

```toml
[resolve]
threshold = 0.9        # match probability at which mentions join one entity
keep_threshold = 0.5   # links at or above this are written to links.csv
seed = 42
threads = 2
memory_limit = "8GB"
temp_directory = "/var/tmp/reglink"   # where DuckDB spills beyond memory_limit
predict_chunks = 1     # score pairs in N x N chunks to bound memory
dob_conflicts = true   # never join two dates of birth no recording error explains

[rules.prolific_father]
min_births = 5
```
"""

from __future__ import annotations

import tomllib
from dataclasses import fields, replace
from pathlib import Path
from typing import Any

from resolver.clustering import ClusterOptions
from resolver.errors import ConfigError
from resolver.linkage import LinkageOptions
from resolver.pipeline import ResolveOptions

_LINKAGE_KEYS = {f.name for f in fields(LinkageOptions)} - {"model_path"}
_CLUSTER_KEYS = {f.name for f in fields(ClusterOptions)}


def load_config(path: Path | None) -> dict[str, Any]:
    """The parsed TOML config, or an empty one."""
    if path is None:
        return {}
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read config file: {exc.strerror}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from exc


def resolve_options(
    config: dict[str, Any],
    *,
    mapping: Path | None = None,
    model: Path | None = None,
    overrides: dict[str, Any] | None = None,
) -> ResolveOptions:
    """ResolveOptions from the ``[resolve]`` section, then command-line overrides."""
    section = dict(config.get("resolve", {}))
    section.update({k: v for k, v in (overrides or {}).items() if v is not None})
    unknown = set(section) - _LINKAGE_KEYS - _CLUSTER_KEYS
    if unknown:
        raise ConfigError(
            f"unknown [resolve] setting(s): {', '.join(sorted(unknown))}; "
            f"known: {', '.join(sorted(_LINKAGE_KEYS | _CLUSTER_KEYS))}"
        )
    for key in ("threshold", "keep_threshold"):
        if key in section and not 0.0 < float(section[key]) < 1.0:
            raise ConfigError(f"[resolve] {key} must be between 0 and 1, got {section[key]}")
    linkage = replace(
        LinkageOptions(),
        model_path=model,
        **{k: v for k, v in section.items() if k in _LINKAGE_KEYS},
    )
    clustering = replace(
        ClusterOptions(), **{k: v for k, v in section.items() if k in _CLUSTER_KEYS}
    )
    return ResolveOptions(linkage=linkage, clustering=clustering, mapping=mapping)
