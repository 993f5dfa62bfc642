"""The only package that reads or writes files.

Everything else in cyberready works on parsed models and returns text or bytes; the files
themselves are this package's job:

- YAML (:func:`read_yaml`, :func:`load_file`): read with PyYAML's *safe* composer (no
  arbitrary objects, ever) keeping every node's line, so each problem names its file, line and
  field path, worded for the person who edits the file (pydantic's errors included). Problems
  are collected, never raised one at a time: a file (and a whole workspace) reports everything
  wrong with it at once, and the valid part of a file is salvaged for the cross-checks.
- CSV (:func:`read_csv_columns`, :class:`CsvRecords`): one reader, with every row's line, the
  delimiter (``,``, ``;`` or tab) detected when asked; cells written through :func:`csv_guard`.
- Files (:func:`atomic_write_bytes`, :func:`write_new_file`, :func:`write_files`,
  :func:`write_new_tree`, :func:`check_new_folder`): writes are
  atomic (a temporary file in the same folder, then a rename), so a reader sees the old file or
  the new one, never half; paths from workspace files stay inside the workspace
  (:func:`safe_join`, :func:`is_inside`).
- The shipped data (:func:`data_dir`): frameworks, scenarios and examples, installed or in a
  source checkout.

- The workspace lock (:func:`workspace_lock`) and the checks on where outputs go
  (:func:`check_output`: never over a file cyberready did not write, never into a workspace).

``import cyberready.io`` loads neither numpy nor pandas: the
functions that need them import them when called.
"""

from __future__ import annotations

from cyberready.io._csv_io import (
    CSV_DELIMITERS,
    CSV_GUARD,
    MAX_CSV_BYTES,
    MAX_ROW_PROBLEMS,
    CsvRecords,
    CsvTable,
    csv_guard,
    frame_csv,
    read_csv_columns,
    read_workspace_csv,
    sniff_delimiter,
)
from cyberready.io._errors import raise_if
from cyberready.io._files import (
    atomic_write_bytes,
    atomic_write_text,
    check_new_folder,
    is_inside,
    remove_stale_temporaries,
    safe_join,
    write_files,
    write_new_file,
    write_new_tree,
)
from cyberready.io._load import Loaded, load_file, load_model_file, parse_model, salvage_model
from cyberready.io._locate import data_dir
from cyberready.io._lock import LOCK_FILE, workspace_lock
from cyberready.io._outputs import (
    GENERATOR,
    check_output,
    clean_text,
    enclosing_workspace,
    markdown_marker,
    written_by_cyberready,
)
from cyberready.io._text import MAX_FILE_BYTES, read_bytes, read_text
from cyberready.io._yaml_io import MAX_YAML_NODES, Document, dump_yaml, format_path, read_yaml

__all__ = [
    "CSV_DELIMITERS",
    "CSV_GUARD",
    "GENERATOR",
    "LOCK_FILE",
    "MAX_CSV_BYTES",
    "MAX_FILE_BYTES",
    "MAX_ROW_PROBLEMS",
    "MAX_YAML_NODES",
    "CsvRecords",
    "CsvTable",
    "Document",
    "Loaded",
    "atomic_write_bytes",
    "atomic_write_text",
    "check_new_folder",
    "check_output",
    "clean_text",
    "csv_guard",
    "data_dir",
    "dump_yaml",
    "enclosing_workspace",
    "format_path",
    "frame_csv",
    "is_inside",
    "load_file",
    "load_model_file",
    "markdown_marker",
    "parse_model",
    "raise_if",
    "read_bytes",
    "read_csv_columns",
    "read_text",
    "read_workspace_csv",
    "read_yaml",
    "remove_stale_temporaries",
    "safe_join",
    "salvage_model",
    "sniff_delimiter",
    "workspace_lock",
    "write_files",
    "write_new_file",
    "write_new_tree",
    "written_by_cyberready",
]
