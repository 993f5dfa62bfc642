"""The package's version, in one place: the build (hatch) reads it from here, and modules that
stamp it into their outputs import it from here rather than from the package, so that they do
not depend on ``cyberready/__init__.py`` (which would make an import cycle)."""

__version__ = "0.1.0"
