# The interface of __package__/_names.py.jinja, which is rendered per spec; not copied.
PACKAGE: str
DISTRIBUTION: str
VERSION: str
REQUEST_ID_HEADER: str

class ErrorRoot(Exception): ...
