"""Pages as a user reads them: parsed HTML and its visible text, never regexes over markup."""

from bs4 import BeautifulSoup


def parsed(response) -> BeautifulSoup:
    return BeautifulSoup(response.content, "html.parser")


def text(element) -> str:
    """An element's visible text with whitespace collapsed, as a reader sees it."""
    return " ".join(element.get_text(" ").split())


def messages(response) -> list[str]:
    """The messages shown at the top of the page (success, warning, error)."""
    return [text(alert) for alert in parsed(response).select("[role=alert].alert-dismissible")]
