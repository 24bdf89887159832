# The interface of __package__/_names.py.jinja, which is rendered per spec; not copied.
PACKAGE: str
DISTRIBUTION: str
VERSION: str

class ErrorRoot(Exception): ...
