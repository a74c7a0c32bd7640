"""Fixtures of the reliability tests: the cluster, the prefork server, the admin's RPC."""
from reliability_tools import admin, cluster, server  # noqa: F401 - pytest fixtures
