"""pytest set-up shared by the whole project (loaded first: `tests` is a test path)."""
import os

import pytest_fixes  # noqa: F401 (pytest-odoo fixes; bin/test also loads it as a plugin)

# The reliability tests start their own servers and crash their own PostgreSQL: they run with
# `make reliability` (bin/reliability sets AFTERSALES_RELIABILITY), not within `make test`.
collect_ignore = [] if os.environ.get("AFTERSALES_RELIABILITY") else ["reliability"]
