"""Measurement reports, one function per ``latentkit measure`` report: each computes with
`latentkit.metrics`, draws with `latentkit.viz`, writes ``report.json``, ``report.md`` and its
figures into one folder (all or nothing), and returns the data. `REPORTS` maps names to them."""

from latentkit.reports.disentanglement import (
    dataset_sources,
    disentanglement_report,
    file_source,
)
from latentkit.reports.edits import edits_report
from latentkit.reports.inversion import inversion_report
from latentkit.reports.latent import latent_report
from latentkit.reports.modes import modes_report
from latentkit.reports.quality import quality_report

REPORTS = {
    "edits": edits_report,
    "disentanglement": disentanglement_report,
    "quality": quality_report,
    "latent": latent_report,
    "inversion": inversion_report,
    "modes": modes_report,
}

__all__ = [
    "REPORTS",
    "dataset_sources",
    "disentanglement_report",
    "edits_report",
    "file_source",
    "inversion_report",
    "latent_report",
    "modes_report",
    "quality_report",
]
