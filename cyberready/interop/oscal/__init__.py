"""OSCAL 1.1 JSON in and out (docs/oscal.md).

* :func:`catalog_document` — a framework as an OSCAL catalog (groups are domains, controls
  carry their objective, guidance and rubric as parts and their weight, phases, scope and
  provenance as props, and their crosswalk references as links);
* :func:`assessment_results_document` — an assessment's answers, readiness scores, top risks and
  planned actions as OSCAL assessment results, marked with the technical report's TLP label;
* :func:`read_catalog` — an OSCAL catalog file as the data of a cyberready framework file,
  with what OSCAL cannot say (effects, effort; weight and scope when absent) marked ``todo:``
  on each control for ``cyberready validate`` to report.

Everything written is plain JSON built here (compliance-trestle is used only by the tests, to
check the files against the OSCAL models). The output is deterministic: uuids are uuid5 of
stable ids, dates come from the input, never the clock.

>>> from cyberready.workspace import shipped_library
>>> lib = shipped_library()
>>> doc = catalog_document(lib.frameworks["usaid-ecbs"], lib.catalogs)["catalog"]
>>> group = doc["groups"][0]
>>> group["id"], group["controls"][0]["id"], [p["name"] for p in group["controls"][0]["parts"]]
('VR', 'ECBS-VR-01', ['statement', 'guidance', 'maturity-rubric'])
>>> doc["metadata"]["last-modified"]
'2023-01-01T00:00:00Z'
"""

from __future__ import annotations

from cyberready.interop.oscal._catalog import catalog_document
from cyberready.interop.oscal._common import NAMESPACE, OSCAL_VERSION, dumps
from cyberready.interop.oscal._import import ImportedCatalog, read_catalog
from cyberready.interop.oscal._results import assessment_results_document

__all__ = [
    "NAMESPACE",
    "OSCAL_VERSION",
    "ImportedCatalog",
    "assessment_results_document",
    "catalog_document",
    "dumps",
    "read_catalog",
]
