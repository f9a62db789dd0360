"""Excel import and export framework.

An app declares its kinds in its own `transfer.py` (an `Importer` or `Exporter` subclass from
`spec`, registered with `registry.register`); `CoreConfig.ready` discovers those modules. The
engine (`imports`, `exports`) reads with python-calamine and writes with XlsxWriter; `services`
wraps both in background jobs that the pages of `views` poll, and the management commands
`import`, `template` and `export` are their command-line twins.
"""
