"""Fixed wording of the report card, taken from the published 2023 report
(shared/seed/mississippi-2023-report-card.txt). `{name}` is the jurisdiction's name.
State-specific text never lives here: it comes from the assessment, and the wording of a
framework's edition (history, tiers, resources, calls to action) from the framework's texts
(assessments/data/framework_*.yaml)."""

TITLE = "Report Cards on Child & Youth Sex Trafficking"
TAGLINE = "State Action. National Change."

SECTIONS = (
    ("history", "Historical Background"),
    ("framework", "Legislative Framework"),
    ("report-card", "Report Card"),
    ("safe-harbor", "Safe Harbor Scorecard"),
    ("analysis", "Analysis Report"),
    ("appendix", "Appendix"),
    ("resources", "Resources"),
)

# The six areas of the Protected Innocence Challenge framework (2011–2019), in the order
# of the stored area scores.
PIC_AREAS = (
    "Sex trafficking law",
    "Demand (buyers)",
    "Traffickers",
    "Facilitators",
    "Protections for child victims",
    "Investigative & prosecution tools",
)

GRADES_BASIS = (
    "**GRADES ARE BASED SOLELY ON AN ANALYSIS OF STATE STATUTES.** While we recognize the "
    "critical importance of non-legislative responses to propel progress, grading on "
    "statutory law provides a clear mechanism for evaluating policy goals across all states "
    "while ensuring that survivor-centered reforms are an enduring part of states’ responses."
)

SAFE_HARBOR_WHAT = (
    "“Safe Harbor” refers to laws that insulate survivors from a punitive response and direct "
    "them toward funded, comprehensive, and protective services."
)

SAFE_HARBOR_WHY = (
    "These laws ensure survivors of child and youth sex trafficking are not involved in the "
    "juvenile or criminal justice system and receive trauma-informed care. Appropriate "
    "identification and access to services are vital to creating a just response for "
    "survivors of child and youth sex trafficking."
)

SAFE_HARBOR_LAWS = (
    "Comprehensive Safe Harbor laws **SHOULD PROHIBIT ARRESTING, DETAINING, CHARGING, & "
    "PROSECUTING** all minors for prostitution offenses, regardless of whether a finding of "
    "trafficking victimization is made, and, instead, require law enforcement to direct child "
    "and youth survivors to **SPECIALIZED SERVICES & CARE.** Safe Harbor laws **SHOULD ALSO "
    "PROHIBIT CRIMINALIZATION** of child sex trafficking survivors for other crimes committed "
    "as a result of their victimization."
)

ANALYSIS_INTRO = (
    "This report provides a thorough analysis of {name}’s statutes related to offender "
    "accountability and victim protections while providing recommendations for addressing "
    "gaps in those statutes.{marker} This report does not analyze case law, agency rules, or "
    "regulations, nor does it analyze practices or initiatives that exist outside of "
    "statutory law. However, stakeholders were invited to share non-statutory responses to "
    "paint a fuller picture of the state’s anti-child sex trafficking response; where such "
    "responses were submitted, they are included as “Insights from the Field” under the "
    "respective policy goal but are not factored into the state’s grade."
)

SYNTHETIC_NOTICE = "Synthetic demo data: not an assessment of {name}’s law."
ILLUSTRATIVE_NOTICE = (
    "Illustrative framework ({name}): an example with placeholder texts, not a real edition."
)
DRAFT_NOTICE = "DRAFT: contains determinations that are not yet approved."
