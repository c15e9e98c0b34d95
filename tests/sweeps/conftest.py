"""Shared fixtures of the sweep tests: one small Dask LocalCluster for the module runs."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def dask_client():
    """A LocalCluster of 2 worker processes with 1 thread each (started once)."""
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=":0") as cluster, \
            distributed.Client(cluster, set_as_default=False) as client:
        yield client
