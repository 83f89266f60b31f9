"""The read-only JSON API, version 1 (mounted at /api/v1/): released cycles, their
frameworks and report cards, and the jurisdictions. GET only."""

from __future__ import annotations

from django.conf import settings
from ninja import NinjaAPI, Swagger
from ninja.errors import AuthenticationError, Throttled
from ninja.pagination import PageNumberPagination, paginate
from ninja.throttling import AuthRateThrottle

from assessments.framework_document import FrameworkDocument
from assessments.frameworks import framework_document
from reportcards.selectors import DocumentMissing

from . import reports
from .auth import UNAUTHORIZED, StaffSessionAuth, TokenAuth
from .schemas import CycleOut, ErrorOut, JurisdictionOut, ReportCardOut

PAGE_SIZE = 20
ERRORS = {401: ErrorOut, 404: ErrorOut, 409: ErrorOut, 429: ErrorOut}

api = NinjaAPI(
    title="Report Cards API",
    version="1",
    description="Released report cards: the figures each released version printed.",
    auth=[TokenAuth(), StaffSessionAuth()],
    throttle=[AuthRateThrottle(settings.API_THROTTLE_RATE)],
    # Served from the app's own static files; no validator badge calling out to the web.
    docs=Swagger(settings={"validatorUrl": None}),
    urls_namespace="api",
)


class Pages(PageNumberPagination):
    """?page=2&page_size=50 (at most 100 a page); answers {items, count}."""

    def __init__(self, **kwargs):
        super().__init__(page_size=PAGE_SIZE, max_page_size=100, **kwargs)


@api.exception_handler(AuthenticationError)
def unauthorized(request, exc):
    return api.create_response(request, {"detail": UNAUTHORIZED}, status=401)


@api.exception_handler(Throttled)
def throttled(request, exc):
    wait = int(exc.wait or 60)
    message = (
        f"Too many requests: at most {settings.API_THROTTLE_RATE} per token or user. "
        f"Try again in {wait} seconds."
    )
    response = api.create_response(request, {"detail": message}, status=429)
    response["Retry-After"] = str(wait)
    return response


@api.exception_handler(reports.NotReleased)
def not_released(request, exc):
    return api.create_response(request, {"detail": str(exc)}, status=404)


@api.exception_handler(DocumentMissing)
def document_missing(request, exc):
    return api.create_response(request, {"detail": str(exc)}, status=409)


@api.get("/cycles", response=list[CycleOut], tags=["cycles"])
@paginate(Pages)
def cycles(request):
    """Released cycles, newest first. A cycle under embargo is not listed until released."""
    return reports.released_cycles()


@api.get("/cycles/{year}/framework", response={200: FrameworkDocument, **ERRORS}, tags=["cycles"])
def framework(request, year: int):
    """The framework the cycle was graded against, in the framework file format."""
    return framework_document(reports.released_cycle(year).framework)


@api.get("/cycles/{year}/report-cards", response=list[ReportCardOut], tags=["report cards"])
@paginate(Pages)
def report_cards(
    request,
    year: int,
    jurisdiction: str | None = None,
    grade: str | None = None,
    tier: int | None = None,
):
    """The cycle's released report cards, best rank first: each jurisdiction's latest
    released version (the release, or a correction published after it)."""
    return reports.report_cards(year, code=jurisdiction, grade=grade, tier=tier)


@api.get(
    "/cycles/{year}/report-cards/{code}",
    response={200: ReportCardOut, **ERRORS},
    tags=["report cards"],
)
def report_card(request, year: int, code: str):
    return reports.report_card(year, code)


@api.get("/jurisdictions", response=list[JurisdictionOut], tags=["jurisdictions"])
@paginate(Pages)
def jurisdictions(request):
    """Every jurisdiction, by code."""
    return reports.jurisdictions()
