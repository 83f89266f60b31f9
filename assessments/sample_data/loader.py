"""Loads the sample data of `load_sample_data`: framework, jurisdictions, the 2023 cycle,
Mississippi from the seed and labelled synthetic assessments for the other 50.

Source data lives in readable YAML under assessments/data/ and statutes/data/.
"""

from __future__ import annotations

from pathlib import Path

import yaml
from django.db import transaction

from statutes.models import Jurisdiction

from ..frameworks import framework_file, framework_load
from ..importing import assessment_import
from ..models import Assessment, Cycle
from ..recompute import cycle_recompute
from .synthetic import generate_synthetic_assessments

APP_DIR = Path(__file__).resolve().parent.parent
FRAMEWORK_FILE = APP_DIR / "data" / "framework_2023.yaml"
MISSISSIPPI_FILE = APP_DIR / "data" / "mississippi_2023.yaml"
JURISDICTIONS_FILE = APP_DIR.parent / "statutes" / "data" / "jurisdictions.yaml"
CYCLE_YEAR = 2023


def read_yaml(path: Path):
    with path.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def load_jurisdictions(rows: list[dict]) -> int:
    for row in rows:
        Jurisdiction.objects.update_or_create(
            code=row["code"],
            defaults={
                "name": row["name"],
                "kind": row["kind"],
                "citation_prefix": row["citation_prefix"],
            },
        )
    return len(rows)


def load_sample_data(*, replace: bool = False, username: str = "admin", log=print) -> Cycle:
    """Idempotent: existing assessments are kept unless `replace` is set.

    The framework is loaded as `load_framework` loads it (a file already loaded changes
    nothing); the 2023 cycle, once it exists, keeps the framework version it was made with.
    """
    framework_document = framework_file(FRAMEWORK_FILE)
    framework_data = read_yaml(FRAMEWORK_FILE)
    jurisdictions = read_yaml(JURISDICTIONS_FILE)
    mississippi = read_yaml(MISSISSIPPI_FILE)
    with transaction.atomic():
        log(f"Jurisdictions: {load_jurisdictions(jurisdictions)}")
        framework = framework_load(framework_document).framework
        log(f"Framework: {framework} with {framework.goals.count()} policy goals")
        cycle, _ = Cycle.objects.get_or_create(
            year=CYCLE_YEAR,
            defaults={
                "framework": framework,
                "legislative_cutoff": framework.cutoff_in(CYCLE_YEAR),
            },
        )
    existing = set(
        Assessment.objects.filter(cycle=cycle).values_list("jurisdiction__code", flat=True)
    )
    documents = [
        mississippi,
        *generate_synthetic_assessments(framework_data, jurisdictions, mississippi),
    ]
    loaded = 0
    for document in documents:
        if document["jurisdiction"] in existing and not replace:
            continue
        assessment_import(data=document, username=username, queue_recompute=False)
        loaded += 1
    log(f"Assessments loaded: {loaded} (kept {len(documents) - loaded} existing)")
    cycle_recompute(cycle_id=cycle.id)
    return cycle
