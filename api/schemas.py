"""What the API answers, field by field: the OpenAPI schema is generated from these.

Scores are decimals written as strings ("16.25"), exactly as stored, never floats.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from ninja import Schema
from pydantic import Field

from assessments.document import GoalNumber
from assessments.scoring import Status


class CycleOut(Schema):
    year: int
    framework: str = Field(description="The framework version the cycle was graded against.")
    legislative_cutoff: datetime.date = Field(description="Laws enacted by this date count.")
    released_at: datetime.datetime = Field(description="When the cycle's release ran.")


class JurisdictionOut(Schema):
    code: str = Field(description="Postal code: MS.")
    name: str
    kind: str = Field(description="state, district or territory.")


class GoalOut(Schema):
    number: GoalNumber
    text: str
    status: Status
    points: Decimal | None = Field(description="Points earned towards the issue score.")
    max_points: Decimal
    safe_harbor: bool


class IssueOut(Schema):
    number: int
    title: str
    short_title: str
    score: Decimal
    max: Decimal
    grade: str
    goals: list[GoalOut]


class ExtraCreditOut(Schema):
    code: str
    label: str
    points: Decimal


class ReportCardOut(Schema):
    jurisdiction: str = Field(description="Postal code of the jurisdiction.")
    name: str
    year: int
    version: int = Field(description="The published version these figures were printed in.")
    published_at: datetime.datetime
    errata: str = Field(description="For a correction after the release: what changed and why.")
    pdf_sha256: str = Field(description="SHA-256 of the version's PDF.")
    synthetic: bool = Field(description="Sample data made up for demonstration, not a grade.")
    as_of: datetime.date = Field(description="Law enacted by this date is graded.")
    total: Decimal
    total_max: Decimal
    grade: str
    rank: int
    tied: bool
    tier: int
    jurisdiction_count: int
    issues: list[IssueOut]
    extra_credit: list[ExtraCreditOut]


class ErrorOut(Schema):
    detail: str
