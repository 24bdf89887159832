"""The client's hand-written runtime, copied byte for byte into every generated package.

This file is not copied: it only makes the folder a package, so that mypy resolves the modules'
relative imports here (`_names.pyi` stands in for the rendered `__package__/_names.py`).
"""
