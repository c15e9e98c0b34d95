"""The paper: text (paper.md) and the build that regenerates its tables and figures.

Run ``python -m paper [--quick] [--out DIR]`` from the repository root.
"""
