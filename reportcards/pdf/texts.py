"""Fixed wording of the report card, taken from the published 2023 report
(shared/seed/mississippi-2023-report-card.txt). `{name}` is the jurisdiction's name.
State-specific text never lives here: it comes from the assessment."""

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

HISTORY_INTRO = (
    "In 2011, Shared Hope released the nation’s first legal framework that challenged states "
    "to enact laws that comprehensively address the crime of child sex trafficking. When we "
    "launched the Protected Innocence Challenge project—and issued the inaugural State Report "
    "Cards—the majority of states received an “F” grade, reflecting the reality that many "
    "states’ laws failed to even recognize the crime of child sex trafficking. Since then, we "
    "have been working to lay the foundation for transformational policy, practice, and "
    "cultural change by supporting state legislators and stakeholders in identifying gaps in "
    "the fabric of laws needed to address this heinous crime. By 2019, no state received an "
    "“F” grade, and a majority of the country received an “A” or “B.”"
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

SHIFT_IN_FOCUS = (
    "The Protected Innocence Challenge project was Shared Hope’s vision for mobilizing "
    "collective state action to ensure national change. Building on the progress already made "
    "under that project—while preserving its most fundamental components—we released a new, "
    "advanced legislative framework in 2020 that focuses on new policy priorities reflective "
    "of feedback and research collected from the field. This framework is meant to challenge "
    "states to take the next step in the fight against sex trafficking by focusing on the "
    "area of law where the largest gaps remain—victim protections."
)

TIERS_INTRO = (
    "Another way the Report Cards on Child & Youth Sex Trafficking will measure progress is "
    "through a Tier system that will help states understand how they are doing compared to "
    "other states. Especially at this stage where grades are clustered at lower levels, the "
    "Tiers help to show states where they are on a spectrum. This provides another way for "
    "states to evaluate the progress they make beyond changes to their letter grade."
)

GRADES_BASIS = (
    "**Grades are based solely on an analysis of state statutes.** While we recognize the "
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
    "Comprehensive Safe Harbor laws **should prohibit arresting, detaining, charging, & "
    "prosecuting** all minors for prostitution offenses, regardless of whether a finding of "
    "trafficking victimization is made, and, instead, require law enforcement to direct child "
    "and youth survivors to **specialized services & care**. Safe Harbor laws **should also "
    "prohibit criminalization** of child sex trafficking survivors for other crimes committed "
    "as a result of their victimization."
)

SAFE_HARBOR_RESOURCES = (
    "**SAFE HARBOR RESOURCES:** For additional information, visit "
    "reportcards.sharedhope.org/safeharbor/.",
    "**SAFE HARBOR MAP:** To see our map of state Safe Harbor law development, visit "
    "reportcards.sharedhope.org/wp-content/uploads/2022/11/SafeHarborMapDec2022.pdf.",
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

RESOURCES = (
    "**REPORT CARDS PROJECT:** For more information on the Report Cards Project, visit "
    "reportcards.sharedhope.org.",
    "**TOOLKIT:** To see how your state compares, visit reportcards.sharedhope.org/toolkit.",
    "**RELATED RESOURCES:** To better understand a policy goal or to see where the nation "
    "stands as a whole on a particular issue, visit "
    "reportcards.sharedhope.org/related-resources and click on the corresponding issue brief "
    "or survey chart, respectively.",
)

HIGHLIGHTED_RESOURCES = (
    (
        "Community-Based Services White Paper",
        "This white paper discusses the importance of providing comprehensive, "
        "trauma-informed services to all child sex trafficking victims, regardless of system "
        "involvement, and provides examples of state statutory responses.",
    ),
    (
        "Victim-Offender Intersectionality Report",
        "This report examines the phenomenon of sex trafficking survivors entering the "
        "criminal justice system for allegedly engaging in sex trafficking conduct and "
        "provides tools for criminal justice stakeholders to assist in identifying and "
        "responding to these cases in a trauma-informed manner.",
    ),
    (
        "Trauma, Coercion, and the Tools of Trafficking Exploitation",
        "This law journal article examines the harms of relying on a juvenile justice-based "
        "response for serving child sex trafficking victims, the importance of enacting "
        "strong non-criminalization laws, the intertwined nature of sex trafficking "
        "victimization and criminalized conduct, and the importance of using a "
        "trauma-informed lens in response.",
    ),
)

TECHNICAL_ASSISTANCE = (
    "For legislators and policy advocates assisting elected officials in creating "
    "legislation, request a consultation with our Policy Team online at "
    "sharedhope.org/legislative-technical-assistance. We will set up a meeting to discuss "
    "your legislative goals and create a customized plan for ongoing technical assistance, "
    "bill drafting services, and legislative support."
)

ADVOCACY = (
    "The Advocacy Action Center is an online resource that allows individuals to join the "
    "fight against child sex trafficking either through legislator engagement or by signing "
    "a petition. For more information, visit act.sharedhope.org/actioncenter.",
    "**Contact your legislators**, letting them know you want greater protections for child "
    "sex trafficking victims and increased accountability for their exploiters.",
    "**Sign a petition** to show your support for issues that advance justice for child sex "
    "trafficking survivors.",
)

SYNTHETIC_NOTICE = "Synthetic demo data: not an assessment of {name}’s law."
ILLUSTRATIVE_NOTICE = (
    "Illustrative framework ({name}): an example with placeholder texts, not a real edition."
)
DRAFT_NOTICE = "DRAFT: contains determinations that are not yet approved."
